import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation

from sanxin.dashboard.selectors import collect_figures, figure_scope
from sanxin.registry.models import Area


class Command(BaseCommand):
    help = "Prints the headline figures of the district, or of one area, for reports and scripts."

    def add_arguments(self, parser):
        parser.add_argument("--area", default="", help="area code, e.g. 500102006 (default: whole district)")
        parser.add_argument("--json", action="store_true", help="one JSON object: key → value")
        parser.add_argument("--language", default="zh-hans", help="language of the labels")

    def handle(self, *args, area: str, json: bool, language: str, **options):
        with translation.override(language):
            try:
                # A system read: the command line sees the whole district.
                scope = figure_scope(None, area)
            except Http404 as exc:
                raise CommandError(f"Unknown area code: {area}") from exc
            figures = collect_figures(scope)
            if json:
                self.stdout.write(_dumps({"area": area or None,
                                          "figures": {f.key: f.value for f in figures},
                                          "labels": {f.key: str(f.label) for f in figures}}))
                return
            root = Area.objects.filter(kind="district").order_by("id").first()
            title = scope.area.name if scope.area else (root.name if root else "*")
            self.stdout.write(f"# {title}")
            groups: dict[str, list] = {}  # sections in the order they first appear, as on the page
            for figure in figures:
                groups.setdefault(str(figure.group), []).append(figure)
            for group, members in groups.items():
                self.stdout.write(f"\n{group}")
                for figure in members:
                    value = "—" if figure.value is None else f"{figure.value:,}{figure.unit}"
                    self.stdout.write(f"  {figure.label}: {value}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
