"""Stored case pages (sanxin/core/pagecache.py): served again only while everything they show is
unchanged, never outside the viewer's scope, each viewer their own, with a working CSRF token."""
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxin.accounts.models import Role
from sanxin.cases import services, sweep
from sanxin.cases.models import Case, CaseEvent, Category
from sanxin.core import pagecache
from sanxin.registry.models import Area, Department
from sanxin.service.models import Assignment
from tests.factories import OrganizationFactory, user_with_role

from .conftest import ANSWER, co_department, drive, raise_case


def page_of(client, case) -> str:
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def dispatched(district):
    return drive(district, raise_case(district), "dispatched")


def test_a_repeated_view_is_served_from_the_store_after_one_scoped_query(district, dispatched, client_for):
    client = client_for(district.functional_user)
    url = f"/cases/{dispatched.pk}/"
    first = queries_for(client, url)
    assert queries_for(client, url) == 1 < first
    assert queries_for(client, "/cases/") > 0   # the list is stored apart ...
    assert queries_for(client, "/cases/") == 0  # ... and found again without the database


def test_a_stored_page_carries_the_requests_own_csrf_token(district, dispatched):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(district.functional_user)
    url = f"/cases/{dispatched.pk}/"
    client.get(url)
    page = client.get(url).content.decode()       # from the store
    assert pagecache.CSRF_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(f"/cases/{dispatched.pk}/do/sign/",
                           {"note": "已联系", "version": dispatched.version, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Case.objects.get(pk=dispatched.pk).state == "signed"


def test_a_transition_shows_at_once(district, dispatched, client_for):
    client = client_for(district.functional_user)
    assert 'id="do-sign"' in page_of(client, dispatched)
    services.case_transition(actor=district.functional_user, case_id=dispatched.pk, action="sign",
                             fields={"note": "已联系"})
    page = page_of(client, dispatched)
    assert 'id="do-sign"' not in page and 'id="do-answer"' in page


@pytest.mark.parametrize("write", ["attachment", "reminder", "rectification", "merged duplicate"])
def test_a_write_that_keeps_the_version_still_shows(district, client_for, write):
    """These writes leave the case's version alone; their timeline event moves `updated_at`."""
    case = drive(district, raise_case(district, kind="problem"), "signed")
    client = client_for(district.district)
    before = page_of(client, case)
    version = Case.objects.get(pk=case.pk).version
    if write == "attachment":
        services.attachment_add(actor=district.district, case_id=case.pk, upload=SimpleUploadedFile(
            "整改方案.pdf", b"%PDF-1.4\n%x\n", content_type="application/pdf"))
        expected = "整改方案.pdf"
    elif write == "reminder":
        CaseEvent.objects.create(case=case, action="remind", actor=None, at=timezone.now(),
                                 note="请在期限前办结", from_state=case.state, to_state=case.state)
        expected = "请在期限前办结"
    elif write == "rectification":
        services.rectification_add(actor=district.district, case_id=case.pk, title="更换消防设施",
                                   owner="安全科", deadline=timezone.localdate() + timedelta(days=9))
        expected = "更换消防设施"
    else:
        duplicate = raise_case(district, organization=district.a2, title="重复的诉求")
        services.case_transition(actor=district.district, case_id=duplicate.pk, action="merge",
                                 fields={"target": case.pk})
        expected = district.a2.name
    assert Case.objects.get(pk=case.pk).version == version
    assert expected not in before and expected in page_of(client, case)


@pytest.mark.parametrize("rename", ["organization", "area", "lead department", "category", "actor"])
def test_a_renamed_name_shows_at_once(district, dispatched, client_for, rename):
    client = client_for(district.functional_user)
    assert "新名称" not in page_of(client, dispatched)
    if rename == "organization":
        district.a1.name = "新名称化工"
        district.a1.save()
    elif rename == "area":
        district.area_a.name = "新名称街道"
        district.area_a.save()
    elif rename == "lead department":
        district.dept_f.name = "新名称税务局"
        district.dept_f.save()
    elif rename == "category":
        category = Category.objects.get(pk=dispatched.category_id)
        category.name = "新名称类别"
        category.save()
    else:
        district.district.full_name = "新名称调度员"
        district.district.save()
    assert "新名称" in page_of(client, dispatched)


def test_a_bulk_write_reported_by_its_writer_shows(district, dispatched, client_for):
    """queryset.update() sends no signal; bulk writers (imports, the assignment engine) call
    `names_changed` afterwards."""
    client = client_for(district.functional_user)
    page_of(client, dispatched)
    Department.objects.filter(pk=district.dept_f.pk).update(name="批量改名税务局")
    pagecache.names_changed()
    assert "批量改名税务局" in page_of(client, dispatched)


def test_a_login_does_not_empty_the_store(district, dispatched, client_for):
    client = client_for(district.functional_user)
    page_of(client, dispatched)
    Client().force_login(district.contact_a1)        # stamps last_login only
    assert queries_for(client, f"/cases/{dispatched.pk}/") == 1


class Clock:
    """The case code's clock (`timezone`, `time`) moved to `moment`; sessions keep the real one."""

    def __init__(self, module, moment):
        self._module, self._moment = module, moment

    def now(self):
        return self._moment

    def time(self):
        return self._moment.timestamp()

    def __getattr__(self, name):
        return getattr(self._module, name)


def move_clock(monkeypatch, moment) -> None:
    from sanxin.cases import selectors, views
    from sanxin.cases.templatetags import cases_tags

    for module in (views, selectors, cases_tags):
        monkeypatch.setattr(module, "timezone", Clock(timezone, moment))
    monkeypatch.setattr(pagecache, "time", Clock(pagecache.time, moment))


def due_in_a_minute(case) -> Case:
    """A deadline well inside the store's time limit, so only the deadline can end the entry."""
    Case.objects.filter(pk=case.pk).update(deadline=timezone.now() + timedelta(minutes=1),
                                           updated_at=timezone.now())
    return Case.objects.get(pk=case.pk)


def test_a_passing_deadline_turns_the_stored_page_overdue(district, client_for, monkeypatch):
    case = due_in_a_minute(drive(district, raise_case(district), "signed"))
    client = client_for(district.functional_user)
    page = page_of(client, case)
    assert 'id="overdue-banner"' not in page and 'id="do-request_extension"' in page
    move_clock(monkeypatch, Case.objects.get(pk=case.pk).deadline + timedelta(minutes=1))
    page = page_of(client, case)
    assert 'id="overdue-banner"' in page and 'id="do-request_extension"' not in page


def test_each_viewer_gets_their_own_page(district, dispatched, client_for):
    """The district sees the contact's phone, the department a masked one; each role its actions."""
    phone = dispatched.organization.contact_phone
    client = client_for(district.district)
    district_page = page_of(client, dispatched)
    client = client_for(district.functional_user)
    department_page = page_of(client, dispatched)
    assert phone in district_page and phone not in department_page
    assert 'id="do-sign"' in department_page and 'id="do-sign"' not in district_page


def test_each_language_gets_its_own_page(district, dispatched, client_for):
    client = client_for(district.functional_user)
    assert "Timeline" in page_of(client, dispatched)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    assert "Timeline" not in page_of(client, dispatched)


def test_a_stored_page_is_never_shown_outside_the_scope(district, dispatched, client_for):
    client = client_for(district.functional_user)
    page_of(client, dispatched)
    services.case_transition(actor=district.functional_user, case_id=dispatched.pk, action="return",
                             fields={"reason": "不属于本部门职责"})
    assert client.get(f"/cases/{dispatched.pk}/").status_code == 404


def test_a_role_taken_away_ends_the_stored_pages(district, dispatched, client_for):
    client = client_for(district.functional_user)
    page_of(client, dispatched)
    Role.objects.filter(user=district.functional_user).update(department=district.dept_x)
    from sanxin.accounts import actors

    actors.forget([district.functional_user.pk])    # update() sends no signal (actors.py)
    assert client.get(f"/cases/{dispatched.pk}/").status_code == 404


def test_an_officer_unassigned_loses_the_case(district, client_for):
    case = raise_case(district, organization=district.b1)
    client = client_for(district.officer_user)
    page_of(client, case)
    Assignment.objects.filter(organization=district.b1).update(ended_at=timezone.now())
    Case.objects.filter(pk=case.pk).update(officer=None, raised_by=district.district)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_an_area_tree_change_reaches_the_compiled_scope(district, client_for):
    """An area role's scope inlines its area tree; a village added below it widens it."""
    village = Area.objects.create(code="500102007001", name="新村", parent=district.area_b)
    case = raise_case(district, organization=OrganizationFactory(name="新村企业", area=village))
    client = client_for(district.area_user)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    village.parent = district.area_a
    village.save()
    assert client.get(f"/cases/{case.pk}/").status_code == 200


def test_messages_are_shown_once_and_not_stored(district, dispatched, client_for):
    client = client_for(district.functional_user)
    page_of(client, dispatched)
    response = client.post(f"/cases/{dispatched.pk}/do/sign/", {"note": "已联系"}, follow=True)
    assert "Done" in response.content.decode()
    assert "Done" not in page_of(client, dispatched)


def test_a_merged_case_follows_its_main_case(district, client_for):
    main = drive(district, raise_case(district), "signed")
    duplicate = raise_case(district, title="重复的诉求")
    services.case_transition(actor=district.district, case_id=duplicate.pk, action="merge",
                             fields={"target": main.pk})
    client = client_for(district.contact_a1)
    assert ANSWER not in page_of(client, duplicate)
    services.case_transition(actor=district.functional_user, case_id=main.pk, action="answer",
                             fields={"answer": ANSWER})
    assert ANSWER in page_of(client, duplicate)


def test_the_list_follows_new_and_changed_cases(district, client_for):
    client = client_for(district.district)
    first = raise_case(district, title="第一件诉求")
    assert "第一件诉求" in client.get("/cases/").content.decode()
    raise_case(district, title="第二件诉求")
    page = client.get("/cases/").content.decode()
    assert "第二件诉求" in page
    drive(district, first, "dispatched")
    assert "Dispatched" in client.get("/cases/?state=dispatched").content.decode()


def test_the_list_follows_a_co_handler_added(district, co_handler_user, client_for):
    case = drive(district, raise_case(district, title="协办诉求"), "dispatched")
    client = client_for(co_handler_user)
    assert "协办诉求" not in client.get("/cases/").content.decode()
    services.case_transition(actor=district.functional_user, case_id=case.pk, action="return",
                             fields={"reason": "需要协办"})
    services.case_transition(actor=district.district, case_id=case.pk, action="dispatch", fields={
        "lead_department": district.dept_f.pk, "co_handlers": [co_department().pk]})
    assert "协办诉求" in client.get("/cases/").content.decode()


def test_the_overdue_list_is_never_stored(district, client_for, monkeypatch):
    case = due_in_a_minute(drive(district, raise_case(district, title="将逾期"), "signed"))
    client = client_for(district.district)
    assert "将逾期" not in client.get("/cases/?overdue=1").content.decode()
    move_clock(monkeypatch, Case.objects.get(pk=case.pk).deadline + timedelta(minutes=1))
    assert "将逾期" in client.get("/cases/?overdue=1").content.decode()


def test_the_store_is_off_without_a_shared_cache(district, dispatched, client_for, settings):
    settings.SANXIN_PAGE_CACHE_SECONDS = 0
    client = client_for(district.functional_user)
    url = f"/cases/{dispatched.pk}/"
    client.get(url)
    assert queries_for(client, url) == queries_for(client, url) > 1


def test_bad_case_ids_are_404(district, client_for):
    client = client_for(district.district)
    for bad in ("0", "99999999", "abc"):
        assert client.get(f"/cases/{bad}/").status_code == 404


def test_the_sweep_reminder_reaches_the_page(district, client_for):
    case = drive(district, raise_case(district), "signed")
    client = client_for(district.district)
    before = page_of(client, case).count("list-group-item")
    deadline = Case.objects.get(pk=case.pk).deadline
    sweep.run_sweep(now=deadline + timedelta(hours=1))
    assert page_of(client, case).count("list-group-item") > before


@pytest.mark.django_db
def test_the_redis_backend_shares_one_client(settings):
    """Against the machine's Redis (CI starts it): values round-trip and one client serves all."""
    from sanxin.core.redis_cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "sx-test"})
    try:
        backend.set("k", {"page": "正文"}, 30)
        assert backend.get("k") == {"page": "正文"}
        assert backend.get_many(["k", "missing"]) == {"k": {"page": "正文"}}
        assert backend._cache.get_client() is backend._cache.get_client()
    finally:
        backend.delete("k")


def test_a_colleague_is_not_given_another_users_page(district, dispatched, client_for):
    """Same department, same actions: still each their own page (the layout names the viewer)."""
    colleague = user_with_role("dept_f_2", "department", department=district.dept_f)
    first = page_of(client_for(district.functional_user), dispatched)
    second = page_of(client_for(colleague), dispatched)
    assert str(colleague) in second and str(colleague) not in first


def test_a_stored_list_marks_a_row_overdue_when_its_deadline_passes(district, client_for, monkeypatch):
    case = due_in_a_minute(drive(district, raise_case(district, title="列表逾期"), "signed"))
    client = client_for(district.district)
    assert "text-bg-danger" not in client.get("/cases/").content.decode()
    move_clock(monkeypatch, case.deadline + timedelta(seconds=1))
    assert "text-bg-danger" in client.get("/cases/").content.decode()


def test_the_list_is_stored_per_query(district, client_for):
    first = raise_case(district, title="诉求0")
    Case.objects.bulk_create([Case(kind="demand", title=f"诉求{n}", description="x", organization=district.a1,
                                   category=first.category, source="contact", raised_by=district.district)
                              for n in range(1, 60)])
    client = client_for(district.district)
    assert "utm=x" not in client.get("/cases/").content.decode()
    assert "utm=x" in client.get("/cases/?utm=x").content.decode()
    assert "诉求1" not in client.get("/cases/?q=诉求2").content.decode()


def test_the_language_switch_returns_to_the_page_asked_for(district, dispatched, client_for):
    client = client_for(district.functional_user)
    page_of(client, dispatched)
    page = client.get(f"/cases/{dispatched.pk}/?from=list").content.decode()
    assert f'value="/cases/{dispatched.pk}/?from=list"' in page
