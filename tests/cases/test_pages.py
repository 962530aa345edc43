"""The role pages: a contact raises and rates, a department signs and answers, the district
dispatches; bad input gives a named message and changes nothing."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanxin.cases.attachments import MAX_ATTACHMENT_BYTES
from sanxin.cases.models import Case, CaseAttachment

from .conftest import ANSWER, co_department, drive, raise_case

PDF = b"%PDF-1.4\n%test\n"


def test_contact_raises_with_attachment_and_follows(district, client_for):
    client = client_for(district.contact_a1)
    response = client.post("/cases/new/", {
        "kind": "demand", "organization": district.a1.pk, "title": "用工招聘困难",
        "description": "急需焊工二十名", "category": "employment", "urgency": "normal",
        "files": SimpleUploadedFile("招聘计划.pdf", PDF, content_type="application/pdf")})
    case = Case.objects.get(title="用工招聘困难")
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    assert case.source == "contact" and case.raised_by == district.contact_a1
    assert CaseAttachment.objects.get(case=case).name == "招聘计划.pdf"
    page = client.get(response.url).content.decode()
    assert "招聘计划.pdf" in page and 'id="timeline"' in page


def test_contact_cannot_raise_for_another_organization(district, client_for):
    client = client_for(district.contact_a1)
    response = client.post("/cases/new/", {
        "kind": "demand", "organization": district.b1.pk, "title": "冒名", "description": "x",
        "category": "other", "urgency": "normal"})
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Case.objects.filter(title="冒名").exists()


@pytest.mark.parametrize(("data", "field"), [
    ({"kind": "problem"}, "collector_level"),
    ({"source": "hotline"}, "hotline_ticket"),
    ({"hotline_ticket": "12345-1"}, "hotline_ticket"),
    ({"category": "nope"}, "category"),
    ({"title": ""}, "title"),
    ({"urgency": "now"}, "urgency"),
])
def test_bad_case_input_names_the_field(district, client_for, data, field):
    client = client_for(district.district)
    post = {"kind": "demand", "organization": district.a1.pk, "title": "标题", "description": "内容",
            "category": "other", "urgency": "normal", **data}
    response = client.post("/cases/new/", post)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert Case.objects.count() == 0


@pytest.mark.parametrize(("name", "content", "message"), [
    ("病毒.exe", b"MZ....", "only PDF"),
    ("伪装.pdf", b"MZ not a pdf", "does not contain"),
    ("空.txt", b"", "empty"),
    ("大.pdf", b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES, "larger than"),
])
def test_bad_attachment_is_refused(district, client_for, name, content, message, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    case = raise_case(district)
    client = client_for(district.contact_a1)
    response = client.post(f"/cases/{case.pk}/attach/",
                           {"files": SimpleUploadedFile(name, content)}, follow=True)
    assert message in response.content.decode().replace("&quot;", '"') or any(
        message in str(m) for m in response.context["messages"])
    assert not CaseAttachment.objects.filter(case=case).exists()
    assert not any(tmp_path.rglob("*.*"))


def test_department_signs_and_answers_through_the_page(district, client_for):
    case = drive(district, raise_case(district), "dispatched")
    client = client_for(district.functional_user)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="do-sign"' in page and 'id="do-return"' in page and 'id="do-dispatch"' not in page
    client.post(f"/cases/{case.pk}/do/sign/", {"note": "电话联系", "version": case.version})
    case.refresh_from_db()
    assert case.state == "signed"
    response = client.post(f"/cases/{case.pk}/do/answer/", {"answer": "短", "version": case.version},
                           follow=True)
    assert "at least" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "signed"
    client.post(f"/cases/{case.pk}/do/answer/", {"answer": ANSWER, "version": case.version})
    assert Case.objects.get(pk=case.pk).state == "answered"


def test_dispatch_form_lists_only_functional_departments(district, client_for):
    co = co_department()
    case = raise_case(district)
    client = client_for(district.district)
    page = client.get(f"/cases/{case.pk}/")
    assert [d.pk for d in page.context["departments"]] == [co.pk, district.dept_f.pk]  # by code
    html = page.content.decode()
    assert f'<option value="{co.pk}">区人力社保局</option>' in html
    assert f'<option value="{district.dept_x.pk}">' not in html
    response = client.post(f"/cases/{case.pk}/do/dispatch/",
                           {"lead_department": district.dept_x.pk, "version": case.version}, follow=True)
    assert "not a functional department" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "pending"
    # Someone who may not dispatch gets no department list at all.
    assert client_for(district.contact_a1).get(f"/cases/{case.pk}/").context["departments"] == []


def test_stale_form_says_changed_meanwhile(district, client_for):
    case = drive(district, raise_case(district), "dispatched")
    client = client_for(district.functional_user)
    client.post(f"/cases/{case.pk}/do/sign/", {"note": "电话", "version": case.version})
    response = client.post(f"/cases/{case.pk}/do/return/", {"reason": "错派", "version": case.version},
                           follow=True)
    assert "changed meanwhile" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "signed"


def test_return_sends_the_department_back_to_its_list(district, client_for):
    case = drive(district, raise_case(district), "dispatched")
    response = client_for(district.functional_user).post(
        f"/cases/{case.pk}/do/return/", {"reason": "不属本部门"})
    assert response.url == "/cases/"


def test_contact_rates_and_district_sees_measures(district, client_for):
    case = drive(district, raise_case(district), "answered")
    contact = client_for(district.contact_a1)
    contact.post(f"/cases/{case.pk}/do/rate/", {"rating": "satisfied", "resolved": "yes"})
    assert Case.objects.get(pk=case.pk).state == "rated"
    page = client_for(district.district).get("/cases/measures/?group=department").content.decode()
    assert "1/1" in page and "区税务局" in page


def test_calendar_warning_for_a_year_not_entered(district, client_for):
    from datetime import datetime

    from django.utils import timezone

    case = raise_case(district)
    when = timezone.make_aware(datetime(2027, 3, 1, 10))
    drive(district, case, "signed", now=when)
    page = client_for(district.district).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="calendar-warning"' in page and "2027" in page
    covered = timezone.make_aware(datetime(2026, 6, 1, 10))   # a year chinesecalendar holds
    other = drive(district, raise_case(district), "signed", now=covered)
    assert 'id="calendar-warning"' not in client_for(district.district).get(f"/cases/{other.pk}/").content.decode()


def test_organization_page_shows_its_cases(district, client_for):
    raise_case(district, title="甲一的诉求")
    page = client_for(district.area_user).get(f"/organizations/{district.a1.pk}/").content.decode()
    assert "甲一的诉求" in page


def test_district_enters_next_years_calendar(district, client_for):
    from datetime import date

    from sanxin.core import calendar
    from sanxin.core.models import CalendarYear, Holiday

    client = client_for(district.district)
    page = client.get("/cases/calendar/?year=2031").content.decode()
    assert 'id="calendar-warning"' in page
    client.post("/cases/calendar/", {"op": "add_year", "year": "2031"})
    client.post("/cases/calendar/", {"op": "set_day", "date": "2031-01-01", "name": "元旦"})
    assert CalendarYear.objects.filter(year=2031).exists()
    calendar.invalidate_cache()
    assert calendar.is_working_day(date(2031, 1, 1)) is False
    response = client.post("/cases/calendar/", {"op": "set_day", "date": "2031-01-02",
                                                "is_workday": "1"}, follow=True)
    assert "weekday is a working day already" in response.content.decode()
    assert not Holiday.objects.filter(date=date(2031, 1, 2)).exists()
    assert 'id="calendar-warning"' not in client.get("/cases/calendar/?year=2031").content.decode()


@pytest.mark.parametrize("role", ["area", "department", "functional", "organization", "officer"])
def test_only_the_district_edits_the_calendar(district, client_for, role):
    from sanxin.core.models import Holiday

    client = client_for(district.users()[role])
    assert client.get("/cases/calendar/").status_code == 403
    assert client.post("/cases/calendar/", {"op": "set_day", "date": "2031-01-01"}).status_code == 403
    assert not Holiday.objects.filter(date__year=2031).exists()


def test_pages_speak_chinese_first(district, client):
    from django.utils import translation

    case = drive(district, raise_case(district), "dispatched")
    client.force_login(district.functional_user)
    with translation.override("zh-hans"):
        client.post(f"/cases/{case.pk}/do/sign/", {"note": "电话", "version": case.version})
        response = client.post(f"/cases/{case.pk}/do/return/", {"reason": "错派", "version": case.version},
                               follow=True)
    page = response.content.decode()
    assert "该诉求已被他人修改，请刷新后重试。" in page and "办理过程" in page


def test_list_rows_show_link_labels_and_flags(district, client_for):
    from datetime import timedelta

    from django.utils import timezone

    good = raise_case(district, kind="suggestion", title="建立党员先锋岗", is_good_suggestion=True)
    late = drive(district, raise_case(district, urgency="urgent", title="园区停电"), "signed",
                 now=timezone.now() - timedelta(hours=5))
    html = client_for(district.district).get("/cases/").content.decode()
    assert (f'<a href="/cases/{good.pk}/">建立党员先锋岗</a> '
            '<span class="badge text-bg-success">good suggestion</span>') in html
    row = html[html.index(f"<tr><td>{late.pk}</td>"):].split("</tr>")[0]
    deadline = timezone.localtime(late.deadline).strftime("%Y-%m-%d %H:%M")
    assert "Signed (已签收)" in row and "区税务局" in row and "Demand (诉求)" in row
    assert f'{deadline} <span class="badge text-bg-danger">overdue</span>' in row
    good_row = html[html.index(f"<tr><td>{good.pk}</td>"):].split("</tr>")[0]
    assert "overdue" not in good_row and "<td>—</td><td>—</td></tr>" in good_row + "</tr>"
    empty = client_for(district.district).get("/cases/?q=没有这个").content.decode()
    assert "No case matches." in empty


def test_list_rows_escape_what_users_typed(district, client_for):
    case = raise_case(district, title='<script>alert("x")</script> & 1\'s')
    html = client_for(district.district).get("/cases/").content.decode()
    row = html[html.index(f"<tr><td>{case.pk}</td>"):].split("</tr>")[0]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 1&#x27;s" in row
    assert "<script>" not in row
