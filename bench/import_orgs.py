#!/usr/bin/env python
"""Organization import at scale: our validated import against PostgreSQL COPY (the limit) and
django-import-export (what a Django shop would use), on the same generated CSV.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sx_bench .venv/bin/python bench/import_orgs.py --rows 100000

Each method runs in its own process on an emptied organization table (with its indexes), so
its peak resident memory is its own. django-import-export is measured on at most --ie-rows rows
(it is slow; its rate is per row and does not improve with size). Prints figures, ratios and a
last line `RESULT {json}`.
"""
import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["统一社会信用代码", "名称", "领域", "类型", "属地", "行业门类", "从业人数", "经营状态", "有固定场所",
          "地址", "联系人", "联系电话", "成立日期"]
INDUSTRIES = "ACEFGHILO"
UNITS = ["006", "007", "008", "009", "010", "011", "012", "013", "014", "015", "016", "103", "107", "118",
         "119", "120", "121", "122", "123", "125", "126", "128", "129", "130", "131", "206", "208"]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def credit_code(i: int) -> str:
    from stdnum.cn import uscc

    body = f"91500102{i:09d}"
    return body + uscc.calc_check_digit(body)


def generate(path: Path, rows: int, invalid_every: int, seed: int = 8) -> int:
    """A CSV as the bureau sends it (title row, GB-style labels); every `invalid_every`-th row is
    broken in one of five ways. Returns how many rows are invalid."""
    rng = random.Random(seed)
    invalid = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["涪陵区市场主体名录（基准测试）"])
        writer.writerow(HEADER)
        for i in range(rows):
            code = credit_code(100_000_000 + i)
            area = "500102" + UNITS[i % len(UNITS)]
            employees = str(rng.randint(0, 300))
            if invalid_every and i % invalid_every == invalid_every - 1:
                invalid += 1
                kind = (i // invalid_every) % 5
                if kind == 0:
                    code = code[:-1] + ("0" if code[-1] != "0" else "1")
                elif kind == 1:
                    area = "500102999"
                elif kind == 2:
                    code = "9.15001E+17"
                elif kind == 3:
                    code = credit_code(100_000_000 + i - 1)  # duplicate of the previous row
                else:
                    employees = "多"
            writer.writerow([code, f"重庆基准{i}有限公司", "enterprise", "company", area,
                             INDUSTRIES[i % len(INDUSTRIES)], employees, "operating", "是",
                             f"涪陵区某路{i % 500}号", "张伟", f"138{i % 100000000:08d}",
                             f"20{10 + i % 15}-0{1 + i % 9}-1{i % 9}"])
    return invalid


def prepare_database() -> None:
    from django.core.management import call_command

    from sanxin.registry.models import Area, Department

    call_command("migrate", verbosity=0)
    if not Area.objects.filter(code="500102").exists():
        root = Area.objects.create(code="500102", name="涪陵区", kind="district")
        Area.objects.bulk_create(Area(code="500102" + u, name=f"单元{u}", kind="subdistrict", parent=root)
                                 for u in UNITS)
        Department.objects.create(code="jingxinwei", name="区经济信息委", kind="industry")
    from sanxin.accounts.models import Role, User

    if not User.objects.filter(username="bench_district").exists():
        user = User.objects.create(username="bench_district")
        Role.objects.create(user=user, kind="district")


def empty_table() -> None:
    from django.db import connection

    from sanxin.registry.models import Organization

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {Organization._meta.db_table} RESTART IDENTITY CASCADE")
        else:
            Organization.objects.all().delete()


# ---- methods, each run in a child process ---------------------------------------------------

def run_ours_check(csv_path: str) -> dict:
    from sanxin.accounts.models import User
    from sanxin.imports.pipeline import process
    from sanxin.imports.specs import get_spec

    actor = User.objects.get(username="bench_district")
    report = process(get_spec("organizations"), actor, csv_path, write=False)
    return {"rows": report.rows, "problems": report.problem_count}


def run_ours_apply(csv_path: str) -> dict:
    """The import as a confirmed job runs it (sanxin.imports.jobs.apply_file): one transaction."""
    from sanxin.accounts.models import User
    from sanxin.imports.jobs import apply_file
    from sanxin.imports.specs import get_spec

    actor = User.objects.get(username="bench_district")
    report = apply_file(get_spec("organizations"), actor, csv_path)
    return {"rows": report.rows, "created": report.to_create}


def run_copy(csv_path: str) -> dict:
    """COPY of the same rows, already in table form (area ids resolved; the limit of the table)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from sanxin.registry.models import Area, Organization

    areas = dict(Area.objects.values_list("code", "id"))
    table = Organization._meta.db_table
    now = timezone.now().isoformat()
    columns = ["created_at", "updated_at", "name", "credit_code", "domain", "kind", "area_id", "industry",
               "employees", "status", "has_premises", "address", "contact_name", "contact_phone",
               "established"]
    rows = 0
    with open(csv_path, encoding="utf-8-sig", newline="") as fh, transaction.atomic(), \
            connection.cursor() as cursor, \
            cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        reader = csv.reader(fh)
        next(reader), next(reader)
        for r in reader:
            copy.write_row([now, now, r[1], r[0], r[2], r[3], areas[r[4]], r[5], int(r[6]), r[7], True,
                            r[9], r[10], r[11], r[12]])
            rows += 1
    return {"rows": rows}


def run_import_export(csv_path: str, limit: int) -> dict:
    import tablib
    from import_export import fields, resources, widgets

    from sanxin.registry.models import Area, Organization

    class OrganizationResource(resources.ModelResource):
        credit_code = fields.Field("credit_code", "统一社会信用代码")
        name = fields.Field("name", "名称")
        domain = fields.Field("domain", "领域")
        kind = fields.Field("kind", "类型")
        area = fields.Field("area", "属地", widget=widgets.ForeignKeyWidget(Area, "code"))
        industry = fields.Field("industry", "行业门类")
        employees = fields.Field("employees", "从业人数", widget=widgets.IntegerWidget())
        status = fields.Field("status", "经营状态")
        address = fields.Field("address", "地址")
        contact_name = fields.Field("contact_name", "联系人")
        contact_phone = fields.Field("contact_phone", "联系电话")
        established = fields.Field("established", "成立日期", widget=widgets.DateWidget("%Y-%m-%d"))

        class Meta:
            model = Organization
            import_id_fields = ("credit_code",)
            fields = ("credit_code", "name", "domain", "kind", "area", "industry", "employees", "status",
                      "address", "contact_name", "contact_phone", "established")
            use_transactions = True
            clean_model_instances = True  # model validation, as our import validates
            use_bulk = True
            batch_size = 1000

    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        header = next(reader)
        data = tablib.Dataset(headers=[h for h in header if h != "有固定场所"])
        skip = header.index("有固定场所")
        for index, row in enumerate(reader):
            if index >= limit:
                break
            data.append([v for i, v in enumerate(row) if i != skip])
    result = OrganizationResource().import_data(data, dry_run=False, raise_errors=True)
    return {"rows": len(data), "errors": result.has_errors()}


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). ru_maxrss would not do: Linux carries the
    parent's high-water mark across fork and exec."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(method: str, csv_path: str, limit: int) -> None:
    setup_django()
    started = time.perf_counter()
    if method == "ours_check":
        out = run_ours_check(csv_path)
    elif method == "ours_apply":
        out = run_ours_apply(csv_path)
    elif method == "copy":
        out = run_copy(csv_path)
    else:
        out = run_import_export(csv_path, limit)
    out["seconds"] = time.perf_counter() - started
    out["peak_mb"] = peak_rss_mb()
    print("CHILD " + json.dumps(out))


def measure(method: str, csv_path: Path, limit: int = 0) -> dict:
    setup_django()
    empty_table()
    completed = subprocess.run([sys.executable, __file__, "--child", method, "--csv", str(csv_path),
                                "--ie-rows", str(limit)], capture_output=True, text=True, check=False)
    line = next((x for x in completed.stdout.splitlines() if x.startswith("CHILD ")), None)
    if line is None:
        sys.stderr.write(completed.stderr[-3000:])
        raise SystemExit(f"{method} failed")
    out = json.loads(line[6:])
    out["rows_per_s"] = round(out["rows"] / out["seconds"]) if out["seconds"] else None
    print(f"{method:>12}: {out['rows']:>9,} rows in {out['seconds']:7.2f} s = {out['rows_per_s']:>8,} rows/s,"
          f" peak {out['peak_mb']:.0f} MB")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--invalid-every", type=int, default=500, help="one invalid row in this many")
    parser.add_argument("--ie-rows", type=int, default=20_000, help="rows given to django-import-export")
    parser.add_argument("--child")
    parser.add_argument("--csv")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.csv, args.ie_rows)
        return
    setup_django()
    from django.db import connection

    prepare_database()
    with tempfile.TemporaryDirectory() as tmp:
        dirty, clean = Path(tmp) / "dirty.csv", Path(tmp) / "clean.csv"
        t0 = time.perf_counter()
        invalid = generate(dirty, args.rows, args.invalid_every)
        generate(clean, args.rows, 0)
        print(f"generated {args.rows:,} rows ({invalid} invalid) in {time.perf_counter() - t0:.1f} s; "
              f"{clean.stat().st_size / 1e6:.0f} MB; database {connection.vendor}")
        check = measure("ours_check", dirty)
        assert check["problems"] == invalid, check
        apply = measure("ours_apply", clean)
        copy = measure("copy", clean) if connection.vendor == "postgresql" else None
        ie_rows = min(args.rows, args.ie_rows)
        ie = measure("import_export", clean, ie_rows)
        empty_table()
    result = {
        "rows": args.rows, "invalid_rows": invalid, "database": connection.vendor,
        "ours_check_rows_per_s": check["rows_per_s"], "ours_check_peak_mb": round(check["peak_mb"]),
        "ours_import_rows_per_s": apply["rows_per_s"], "ours_import_peak_mb": round(apply["peak_mb"]),
        "ours_import_seconds": round(apply["seconds"], 2),
        "copy_rows_per_s": copy["rows_per_s"] if copy else None,
        "copy_peak_mb": round(copy["peak_mb"]) if copy else None,
        "import_export_rows": ie_rows, "import_export_rows_per_s": ie["rows_per_s"],
        "import_export_peak_mb": round(ie["peak_mb"]),
    }
    if copy:
        result["ratio_ours_to_copy"] = round(apply["rows_per_s"] / copy["rows_per_s"], 3)
    result["ratio_ours_to_import_export"] = round(apply["rows_per_s"] / ie["rows_per_s"], 1)
    print(f"ours / COPY = {result.get('ratio_ours_to_copy')}  (goal ≥ 0.5);  "
          f"ours / django-import-export = {result['ratio_ours_to_import_export']}  (goal ≥ 10)")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
