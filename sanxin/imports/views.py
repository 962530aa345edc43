from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanxin.core.exports import csv_response, xlsx_response

from . import blanks
from .forms import UploadForm
from .selectors import get_job, jobs_visible_to
from .services import import_job_confirm, import_job_create
from .specs import get_spec, specs_for
from .specs.base import ExportMixin

ISSUES_ON_PAGE = 500


@login_required
def import_home(request: HttpRequest) -> HttpResponse:
    specs = specs_for(request.user)
    if not specs:
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, specs=specs)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(actor=request.user, target=form.cleaned_data["target"],
                                    upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("imports:job_detail", pk=job.pk)
    return render(request, "imports/home.html", {
        "form": form, "specs": specs, "jobs": jobs_visible_to(request.user)[:20],
    }, status=400 if form.errors else 200)


def _spec_or_404(request: HttpRequest, target: str):
    spec = get_spec(target)
    if spec is None or not spec.permitted(request.user):
        raise Http404
    return spec


@login_required
def template_download(request: HttpRequest, target: str, fmt: str) -> HttpResponse:
    spec = _spec_or_404(request, target)
    return blanks.csv_template(spec) if fmt == "csv" else blanks.xlsx_template(spec)


@login_required
def export(request: HttpRequest, target: str) -> HttpResponse:
    """The scoped list in the import columns: what comes out can go back in unchanged."""
    spec = get_spec(target)
    if not isinstance(spec, ExportMixin):
        raise Http404
    headers = [str(column.label) for column in spec.columns]
    rows = spec.export_rows(request.user, request.GET)
    if request.GET.get("format") == "csv":
        return csv_response(spec.name, headers, rows)
    scope = ", ".join(str(r) for r in request.user.scope_roles)
    return xlsx_response(spec.name, str(spec.label), headers, rows,
                         subtitle=_("Scope: %(scope)s") % {"scope": scope})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job(request.user, pk)
    return render(request, "imports/job_detail.html", {
        "job": job, "spec": get_spec(job.target), "issues": job.issues.all()[:ISSUES_ON_PAGE],
        "issues_on_page": ISSUES_ON_PAGE,
    })


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by htmx while the job runs; answers 286 (htmx: stop polling) once it is done."""
    job = get_job(request.user, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if not job.is_running:
        response.status_code = 286
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job(request.user, pk)
    try:
        import_job_confirm(actor=request.user, job=job)
    except ValidationError as exc:
        from django.contrib import messages

        messages.error(request, " ".join(exc.messages))
    return redirect("imports:job_detail", pk=job.pk)


@login_required
def job_issues(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job(request.user, pk)
    rows = ((i.row or "", i.column, i.value, i.message) for i in job.issues.iterator())
    return csv_response(f"import-{job.pk}-problems", [_("row"), _("column"), _("value"), _("problem")], rows)
