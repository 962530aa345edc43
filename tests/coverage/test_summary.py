"""The coverage summary always equals a fresh computation by the engine: after each way of changing
an input (hand-written cases) and after random sequences of changes (property-based)."""
import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanxin.coverage import engine, summary
from sanxin.coverage.selectors import CoverageFilter, coverage_report
from sanxin.party.models import Instructor, InstructorAssignment, PartyOrganization
from sanxin.registry.models import Organization
from tests.factories import OrganizationFactory
from tests.party.builders import party_org

pytestmark = pytest.mark.django_db

GROUPINGS = ["area", "industry", "domain", "authority"]


def as_tuples(report):
    totals, groups = report
    return ((totals.total, totals.single, totals.joint, totals.work),
            {g: [(c.key, c.label, c.total, c.single, c.joint, c.work) for c in cs]
             for g, cs in groups.items()})


def assert_summary_is_fresh(actor) -> None:
    assert summary.differences() == {"organizations": [], "cells": []}
    for include_all in ("", "1"):
        flt = CoverageFilter(all=include_all)
        fresh = engine.coverage_counts(
            engine.population(Organization.objects.all(), include_all=bool(include_all)), GROUPINGS)
        assert as_tuples(summary.summary_counts(actor, flt, GROUPINGS)) == as_tuples(fresh)


def test_the_world_built_through_the_orm_is_summarized(world, district):
    assert_summary_is_fresh(district.district)
    assert summary.applies(district.district, CoverageFilter())


@pytest.mark.parametrize("role", ["district", "area", "department", "functional"])
def test_the_page_reads_the_summary_and_agrees_with_the_engine(world, district, role):
    from sanxin.coverage.selectors import filtered_organizations

    actor = district.users()[role]
    for flt in (CoverageFilter(), CoverageFilter(all="1"), CoverageFilter(area="500102006"),
                CoverageFilter(industry="F"), CoverageFilter(authority="none"),
                CoverageFilter(authority="jingxinwei", domain="enterprise")):
        assert summary.applies(actor, flt)
        fresh = engine.coverage_counts(filtered_organizations(actor, flt), GROUPINGS)
        assert as_tuples(coverage_report(actor, flt, GROUPINGS)) == as_tuples(fresh)


def test_organization_and_officer_scopes_and_name_search_are_counted_fresh(world, district):
    assert not summary.applies(district.contact_a1, CoverageFilter())
    assert not summary.applies(district.officer_user, CoverageFilter())
    assert not summary.applies(district.district, CoverageFilter(q="化工"))


def test_summary_is_used_not_the_engine(world, district):
    """Proof that the page reads the cells: a cell changed behind the summary's back shows."""
    from sanxin.coverage.models import CoverageCell

    cell = CoverageCell.objects.filter(is_sanyou=True, status="single").first()
    CoverageCell.objects.filter(pk=cell.pk).update(n=cell.n + 100)
    totals, _ = coverage_report(district.district, CoverageFilter(), [])
    assert totals.single == 2 + 100
    assert summary.differences()["cells"]


def test_organization_fields_moving_it_between_cells(world, district):
    a2 = world.orgs["a2"]
    a2.area = district.area_b
    a2.employees = 3  # no longer 三有
    a2.authority = None
    a2.save()
    assert_summary_is_fresh(district.district)


def test_deleting_a_unit_of_a_joint_branch_turns_the_other_into_single(world, district):
    world.orgs["a4"].delete()
    assert world.orgs["a3"].pk in set(engine.filter_status(Organization.objects.all(), "single")
                                      .values_list("pk", flat=True))
    assert_summary_is_fresh(district.district)


def test_party_organization_kind_units_and_deletion(world, district):
    joint = world.branches["a34"]
    joint.kind = "functional_committee"
    joint.save()
    assert_summary_is_fresh(district.district)
    joint.kind = "joint_branch"
    joint.save()
    joint.units.remove(world.orgs["a4"])
    assert_summary_is_fresh(district.district)
    world.orgs["a2"].party_organizations.add(joint)
    assert_summary_is_fresh(district.district)
    world.orgs["a2"].party_organizations.clear()
    assert_summary_is_fresh(district.district)
    joint.units.clear()
    assert_summary_is_fresh(district.district)
    world.branches["b56"].delete()
    assert_summary_is_fresh(district.district)


def test_instructor_assignments_and_activity(world, district):
    assignment = InstructorAssignment.objects.get(organization=world.orgs["a5"])
    assignment.ended_on = timezone.localdate()
    assignment.save()
    assert_summary_is_fresh(district.district)
    assignment.organization = world.orgs["a2"]
    assignment.ended_on = None
    assignment.save()
    assert_summary_is_fresh(district.district)
    dormant = Instructor.objects.get(name="停用指导员")
    dormant.active = True
    dormant.save()
    assert_summary_is_fresh(district.district)
    Instructor.objects.get(name="指导员乙").delete()
    assert_summary_is_fresh(district.district)


def test_instructor_service_ends_and_adds_assignments(world, district):
    from sanxin.party.forms import InstructorForm
    from sanxin.party.services import instructor_save

    ins = Instructor.objects.get(name="指导员甲")
    form = InstructorForm({"name": ins.name, "kind": ins.kind, "area": district.area_a.code,
                           "active": "on", "organizations": str(world.orgs["a2"].pk)},
                          instance=ins, visible_orgs=Organization.objects.all())
    assert form.is_valid(), form.errors
    instructor_save(actor=district.district, form=form)
    assert_summary_is_fresh(district.district)


def test_deleting_a_department_unsets_authorities_in_bulk(world, district):
    district.dept_y.delete()
    assert_summary_is_fresh(district.district)


def test_bulk_writes_and_their_hook(world, district):
    """COPY / bulk_create / queryset.update send no signal: the import's hook puts it right."""
    OrganizationFactory._meta.model.objects.bulk_create(
        [Organization(name=f"批量{i}", domain="enterprise", kind="company", area=district.area_a,
                      industry="C", employees=30) for i in range(3)])
    Organization.objects.filter(pk=world.orgs["b1"].pk).update(area=district.area_a)
    Organization.objects.filter(pk=world.orgs["b2"].pk).delete()  # signals, still right
    assert summary.differences()["organizations"]
    summary.after_bulk_write(Organization)
    assert_summary_is_fresh(district.district)
    InstructorAssignment.objects.filter(organization=world.orgs["a5"]).update(
        ended_on=timezone.localdate())
    summary.after_bulk_write(InstructorAssignment)
    assert_summary_is_fresh(district.district)


def test_service_assignments_and_operating_status(world, district):
    """The dashboard's "operating enterprises served" columns follow every way an assignment or an
    operating status changes: override, optimizer plan, deletion, status, bulk writes and their hook."""
    from sanxin.service import services
    from sanxin.service.models import Assignment, ServiceOfficer
    from tests.factories import user_with_role

    officer = ServiceOfficer.objects.create(
        user=user_with_role("officer_w", "officer"), area=district.area_a, capacity=20,
        industries="C", latitude=29.71, longitude=107.40)
    services.assignment_override(actor=district.district, organization=world.orgs["a1"],
                                 officer=officer, reason="就近服务")
    assert_summary_is_fresh(district.district)
    assert services.plan_apply(actor=district.district, plan=services.plan_preview(
        actor=district.district, mode="assign", area_ids=[district.area_a.id])) > 0
    assert_summary_is_fresh(district.district)
    closing = world.orgs["a3"]
    closing.status = "closed"
    closing.save()
    assert_summary_is_fresh(district.district)
    Assignment.objects.filter(organization=world.orgs["a1"]).delete()  # signals
    assert_summary_is_fresh(district.district)
    Assignment.objects.filter(ended_at__isnull=True).update(ended_at=timezone.now())  # no signal
    Organization.objects.filter(pk=world.orgs["a4"].pk).update(status="suspended")
    assert summary.differences()["organizations"]
    summary.after_bulk_write(Assignment)
    summary.after_bulk_write(Organization)
    assert_summary_is_fresh(district.district)
    counted = {(row.organization_id): (row.operating, row.served)
               for row in summary.OrganizationCoverage.objects.all()}
    assert counted[world.orgs["a3"].pk] == (False, False)
    assert counted[world.orgs["a4"].pk] == (False, False)
    assert not any(served for _operating, served in counted.values())


def test_rebuild_from_nothing(world, district):
    from sanxin.coverage.models import CoverageCell, OrganizationCoverage

    CoverageCell.objects.all().delete()
    OrganizationCoverage.objects.all().delete()
    assert summary.rebuild() == Organization.objects.count()
    assert_summary_is_fresh(district.district)


def test_a_rolled_back_change_leaves_the_summary_as_it_was(world, district):
    with pytest.raises(RuntimeError), transaction.atomic():
        world.orgs["a1"].delete()
        raise RuntimeError
    assert_summary_is_fresh(district.district)


def test_import_of_organizations_keeps_the_summary(world, district, client_for, settings, tmp_path):
    """The registry import writes by COPY (PostgreSQL) or bulk_create: its hook refreshes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanxin.imports.models import ImportJob, JobStatus
    from tests.factories import credit_code

    settings.MEDIA_ROOT = tmp_path
    content = ("统一社会信用代码,名称,领域,类型,属地,行业,从业人数\n"
               f"{credit_code()},导入测试一有限公司,enterprise,company,500102006,C,40\n"
               f"{credit_code()},导入测试二有限公司,enterprise,company,500102007,F,5\n"
               f"{world.orgs['a2'].credit_code},{world.orgs['a2'].name},enterprise,company,500102007,F,20\n")
    client = client_for(district.district)
    response = client.post("/imports/", {"target": "organizations",
                                         "file": SimpleUploadedFile("orgs.csv", content.encode())})
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[-1]))
    assert job.status == JobStatus.CHECKED, list(job.issues.values_list("message", flat=True))
    client.post(f"/imports/jobs/{job.pk}/confirm/")
    job.refresh_from_db()
    assert job.status == JobStatus.APPLIED
    assert Organization.objects.filter(name__startswith="导入测试").count() == 2
    assert Organization.objects.get(pk=world.orgs["a2"].pk).area == district.area_b
    assert_summary_is_fresh(district.district)


# ---- property-based: random sequences of changes ----------------------------------------------

OPS = st.one_of(
    st.tuples(st.just("org_area"), st.integers(0, 11), st.booleans()),
    st.tuples(st.just("org_sanyou"), st.integers(0, 11), st.sampled_from([None, 0, 9, 10, 50])),
    st.tuples(st.just("org_authority"), st.integers(0, 11), st.sampled_from(["x", "y", None])),
    st.tuples(st.just("org_new"), st.integers(0, 1), st.sampled_from(["C", "F", "I"])),
    st.tuples(st.just("org_delete"), st.integers(0, 11), st.just(None)),
    st.tuples(st.just("branch_new"), st.lists(st.integers(0, 11), min_size=1, max_size=4, unique=True),
              st.sampled_from(["branch", "joint_branch", "committee", "functional_committee"])),
    st.tuples(st.just("unit_add"), st.integers(0, 5), st.integers(0, 11)),
    st.tuples(st.just("unit_remove"), st.integers(0, 5), st.integers(0, 11)),
    st.tuples(st.just("unit_clear_org"), st.integers(0, 11), st.just(None)),
    st.tuples(st.just("branch_kind"), st.integers(0, 5),
              st.sampled_from(["branch", "functional_committee"])),
    st.tuples(st.just("branch_delete"), st.integers(0, 5), st.just(None)),
    st.tuples(st.just("assign"), st.integers(0, 2), st.integers(0, 11)),
    st.tuples(st.just("assign_end"), st.integers(0, 11), st.just(None)),
    st.tuples(st.just("instructor_active"), st.integers(0, 2), st.booleans()),
    st.tuples(st.just("org_status"), st.integers(0, 11), st.sampled_from(["operating", "closed"])),
    st.tuples(st.just("officer"), st.integers(0, 11), st.booleans()),
)


def _pick(items: list, index: int):
    return items[index % len(items)] if items else None


def apply_op(op, district) -> None:
    name, a, b = op
    orgs = list(Organization.objects.order_by("pk"))
    branches = list(PartyOrganization.objects.order_by("pk"))
    org = _pick(orgs, a) if isinstance(a, int) else None
    if name == "org_area" and org:
        org.area = district.area_a if b else district.area_b
        org.save()
    elif name == "org_sanyou" and org:
        org.employees = b
        org.save()
    elif name == "org_authority" and org:
        org.authority = {"x": district.dept_x, "y": district.dept_y, None: None}[b]
        org.save()
    elif name == "org_new":
        OrganizationFactory(area=district.area_a if a else district.area_b, industry=b)
    elif name == "org_delete" and org and len(orgs) > 3:
        org.delete()
    elif name == "branch_new":
        units = list({_pick(orgs, i).pk: _pick(orgs, i) for i in a}.values())
        party_org(f"随机{len(branches)}", district.area_a, units, kind=b)
    elif name in ("unit_add", "unit_remove") and branches:
        branch, unit = _pick(branches, a), _pick(orgs, b)
        (branch.units.add if name == "unit_add" else branch.units.remove)(unit)
    elif name == "unit_clear_org" and org:
        org.party_organizations.clear()
    elif name == "branch_kind" and branches:
        branch = _pick(branches, a)
        branch.kind = b
        branch.save()
    elif name == "branch_delete" and branches:
        branch = _pick(branches, a)
        if not branch.members.exists() and not branch.children.exists():
            branch.delete()
    elif name == "assign" and org:
        instructors = list(Instructor.objects.order_by("pk"))
        ins = _pick(instructors, a)
        if not InstructorAssignment.objects.filter(instructor=ins, organization=org,
                                                   ended_on__isnull=True).exists():
            InstructorAssignment.objects.create(instructor=ins, organization=org)
    elif name == "assign_end" and org:
        for assignment in InstructorAssignment.objects.filter(organization=org, ended_on__isnull=True):
            assignment.ended_on = timezone.localdate()
            assignment.save()
    elif name == "instructor_active":
        ins = _pick(list(Instructor.objects.order_by("pk")), a)
        ins.active = b
        ins.save()
    elif name == "org_status" and org:
        org.status = b
        org.save()
    elif name == "officer" and org:
        _serve(org, district) if b else [a.delete() for a in org.assignments.filter(ended_at__isnull=True)]


def _serve(org: Organization, district) -> None:
    """A current service officer through the ORM (the override's own writes): a district-level one."""
    from sanxin.service.models import Assignment, ServiceOfficer
    from tests.factories import user_with_role

    officer = ServiceOfficer.objects.filter(area__isnull=True).first() or ServiceOfficer.objects.create(
        user=user_with_role("officer_any", "officer"), area=None, capacity=100)
    Assignment.objects.filter(organization=org, ended_at__isnull=True).update(ended_at=timezone.now())
    Assignment.objects.create(organization=org, officer=officer, reason="test")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, min_size=1, max_size=15))
def test_random_sequences_of_changes_keep_the_summary_fresh(world, district, ops):
    sid = transaction.savepoint()
    try:
        for op in ops:
            apply_op(op, district)
        assert_summary_is_fresh(district.district)
    finally:
        transaction.savepoint_rollback(sid)
        connection.needs_rollback = False


def test_check_and_rebuild_command(world, district):
    from django.core.management import CommandError, call_command

    from sanxin.coverage.models import CoverageCell

    call_command("coverage_summary", "--check")
    CoverageCell.objects.filter(n__gt=0).update(n=0)
    with pytest.raises(CommandError, match="differs"):
        call_command("coverage_summary", "--check")
    call_command("coverage_summary", "--rebuild")
    call_command("coverage_summary", "--check")
    assert_summary_is_fresh(district.district)


def test_a_large_bulk_write_is_summarized_by_a_rebuild(world, district, monkeypatch):
    monkeypatch.setattr(summary, "REBUILD_ABOVE", 2)
    Organization.objects.bulk_create(
        [Organization(name=f"大批量{i}", domain="social", kind="association", area=district.area_b,
                      industry="S", employees=15) for i in range(4)])
    assert summary.refresh_registry_changes() == 4
    assert_summary_is_fresh(district.district)
