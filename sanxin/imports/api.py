"""Imports for machine clients: the kinds and their templates, upload → dry run, confirm → the
all-or-nothing import, job status with progress. The same services and background tasks as the
pages (services.py, jobs.py); a job is its uploader's own, 404 for anyone else."""
from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from sanxin.core.apitools import (
    ApiError,
    ErrorOut,
    Page,
    PageParams,
    forbidden,
    ordering_field,
    paginate,
)

from . import blanks
from .models import ImportIssue, ImportJob, JobStatus
from .selectors import get_job, jobs_visible_to
from .services import import_job_confirm, import_job_create
from .specs import ImportSpec, get_spec, specs_for
from .specs.base import ExportMixin

router = Router(tags=["imports"])
PROBLEMS_SHOWN = 100
# The service's ValidationError codes (services.import_job_create) → the API's stable codes.
UPLOAD_CODES = {"extension": "unsupported_file_type", "size": "file_too_large"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_RESPONSE = {200: {"description": "The template: the header row (required columns marked "
                                          "*), for .xlsx with a sheet explaining each column",
                           "content": {XLSX: {"schema": {"type": "string", "format": "binary"}},
                                       "text/csv": {"schema": {"type": "string"}}}}}
IMPORT_JOB_ORDERING = {"id": "id", "created_at": "created_at", "status": "status",
                       "kind": "target"}
IMPORT_PROBLEM_ORDERING = {"id": "id", "row": "row", "column": "column"}


class ImportColumnOut(Schema):
    name: str
    label: str
    required: bool
    example: str
    note: str


class ImportKindOut(Schema):
    kind: str = Field(description="send as `kind` when uploading")
    label: str
    description: str
    exportable: bool = Field(description="the scoped list can be exported in these columns "
                                         "(the page /imports/export/<kind>/)")
    columns: list[ImportColumnOut]


class ImportJobOut(Schema):
    id: int
    kind: str
    file_name: str
    status: str = Field(description="queued → checking → checked (no problems: may be "
                                    "confirmed) or rejected (problems) → applying → applied, "
                                    "or failed (nothing was changed)")
    status_label: str
    message: str
    confirmable: bool = Field(description="true when `POST …/confirm` would import the file")
    running: bool = Field(description="the dry run or the import is still going on: poll again")
    processed_rows: int
    total_rows: int
    percent: int = Field(description="progress of the running step, 0–100")
    header_row: int | None
    to_create: int
    to_update: int
    unchanged: int
    problem_count: int
    created_at: datetime
    checked_at: datetime | None
    applied_at: datetime | None


class ImportProblemOut(Schema):
    id: int
    row: int | None = Field(description="the row number as the spreadsheet shows it; null for "
                                        "the whole file")
    column: str = Field(description="the column's header as the file has it")
    value: str
    message: str = Field(description="in the language of the upload request")


class ImportJobDetailOut(ImportJobOut):
    problems: list[ImportProblemOut] = Field(
        description=f"the first {PROBLEMS_SHOWN} problems; all of them: GET …/problems")


JobStatusParam = Literal["", "queued", "checking", "checked", "rejected", "applying", "applied",
                         "failed"]


class ImportJobListParams(PageParams):
    ordering: str = ordering_field(IMPORT_JOB_ORDERING, "newest first (`-id`)")


class ImportProblemListParams(PageParams):
    ordering: str = ordering_field(IMPORT_PROBLEM_ORDERING, "as found (`id`, by row); the "
                                                            "problems of the whole file have no "
                                                            "row")


def _job_out(job: ImportJob, *, problems: bool = False) -> dict:
    body = {"id": job.pk, "kind": job.target, "file_name": job.original_name,
            "status": job.status, "status_label": str(job.get_status_display()),
            "message": job.message, "confirmable": job.status == JobStatus.CHECKED,
            "running": job.is_running, "processed_rows": job.processed_rows,
            "total_rows": job.total_rows, "percent": job.percent, "header_row": job.header_row,
            "to_create": job.to_create, "to_update": job.to_update, "unchanged": job.unchanged,
            "problem_count": job.issue_count, "created_at": job.created_at,
            "checked_at": job.checked_at, "applied_at": job.applied_at}
    if problems:
        body["problems"] = list(job.issues.all()[:PROBLEMS_SHOWN])
    return body


def _kind_out(spec: ImportSpec) -> dict:
    return {"kind": spec.name, "label": str(spec.label), "description": str(spec.description),
            "exportable": isinstance(spec, ExportMixin),
            "columns": [{"name": c.name, "label": str(c.label), "required": c.required,
                         "example": c.example, "note": str(c.note)} for c in spec.columns]}


def _not_permitted(kind: str) -> Status:
    spec = get_spec(kind)
    return forbidden(_("Your role may not import %(kind)s.") % {"kind": spec.label if spec else kind})


def _permitted_spec(request: HttpRequest, kind: str) -> ImportSpec:
    """The kind, if the caller may import it; 404 otherwise (as the template page)."""
    spec = get_spec(kind)
    if spec is None or not spec.permitted(request.auth):
        raise Http404
    return spec


@router.get("/kinds", response=list[ImportKindOut],
            summary="What the caller may import, with each kind's columns")
def list_kinds(request: HttpRequest):
    return [_kind_out(spec) for spec in specs_for(request.auth)]


@router.get("/kinds/{kind}/template", response={404: ErrorOut}, openapi_extra={
    "responses": TEMPLATE_RESPONSE}, summary="Download the blank template of a kind (404 for a "
                                             "kind the caller may not import)")
def template(request: HttpRequest, kind: str, format: Literal["xlsx", "csv"] = "xlsx"):  # noqa: A002
    spec = _permitted_spec(request, kind)
    return blanks.csv_template(spec) if format == "csv" else blanks.xlsx_template(spec)


@router.post("/jobs", response={201: ImportJobDetailOut, 403: ErrorOut, 422: ErrorOut},
             summary="Upload a file (multipart: `kind`, `file`): stored and checked (dry run), "
                     "nothing imported yet")
def upload(request: HttpRequest, kind: Form[str], file: File[UploadedFile]):
    """`file`: .xlsx or .csv (UTF-8 or GB18030), at most 300 MB. The dry run runs as a
    background task: when the answer's `running` is true, poll `GET /jobs/{id}`."""
    spec = get_spec(kind)
    if spec is None:
        raise ApiError(422, "unknown_import_kind", field="kind")
    if not spec.permitted(request.auth):
        return _not_permitted(spec.name)
    if not file.size:
        raise ApiError(422, "empty_file", field="file")
    try:
        job = import_job_create(actor=request.auth, target=spec.name, upload=file)
    except ValidationError as exc:
        raise ApiError(422, UPLOAD_CODES.get(exc.code or "", "invalid"), " ".join(exc.messages),
                       field="file") from None
    return Status(201, _job_out(job, problems=True))


@router.get("/jobs", response=Page[ImportJobOut], summary="The caller's own import jobs")
def list_jobs(request: HttpRequest, paging: Query[ImportJobListParams],
              status: JobStatusParam = ""):
    jobs = jobs_visible_to(request.auth).order_by("-id")
    if status:
        jobs = jobs.filter(status=status)
    page = paginate(jobs, paging, IMPORT_JOB_ORDERING)
    page["results"] = [_job_out(job) for job in page["results"]]
    return page


@router.get("/jobs/{job_id}", response=ImportJobDetailOut,
            summary="One job: status, progress, counts and the first problems (404 for a job "
                    "of somebody else)")
def job_detail(request: HttpRequest, job_id: int):
    return _job_out(get_job(request.auth, job_id), problems=True)


@router.get("/jobs/{job_id}/problems", response=Page[ImportProblemOut],
            summary="Every problem of the dry run, by row and column")
def job_problems(request: HttpRequest, job_id: int, paging: Query[ImportProblemListParams]):
    job = get_job(request.auth, job_id)
    return paginate(ImportIssue.objects.filter(job=job).order_by("id"), paging,
                    IMPORT_PROBLEM_ORDERING)


@router.post("/jobs/{job_id}/confirm", response={202: ImportJobDetailOut, 403: ErrorOut,
                                                  409: ErrorOut},
             summary="Import a checked file, all or nothing (a background task: poll the job)")
def confirm(request: HttpRequest, job_id: int):
    job = get_job(request.auth, job_id)
    try:
        job = import_job_confirm(actor=request.auth, job=job)
    except PermissionDenied:
        return _not_permitted(job.target)
    except ValidationError as exc:
        raise ApiError(409, "invalid_state", " ".join(exc.messages)) from None
    return Status(202, _job_out(job, problems=True))

