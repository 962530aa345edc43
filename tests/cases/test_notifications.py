"""Whoever must act next gets an in-app notice and an e-mail (sent once the transaction commits);
nobody else does."""
import pytest
from django.core import mail

from sanxin.cases import services
from sanxin.cases.models import Notification, Rating

from .conftest import co_department, drive, raise_case


@pytest.fixture
def people(district, co_handler_user):
    users = {**district.users(), "co_handler": co_handler_user}
    for name, user in users.items():
        user.email = f"{name}@example.cn"
        user.save(update_fields=["email"])
    return users


def act(capture, actor, case, action, **fields):
    """Do one transition; return (users notified in-app, e-mail recipients), by role name."""
    mail.outbox.clear()
    last = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with capture(execute=True):
        services.case_transition(actor=actor, case_id=case.pk, action=action, fields=fields)
    notified = {n.user.email.split("@")[0] for n in Notification.objects.filter(id__gt=last)}
    mailed = {to.split("@")[0] for m in mail.outbox for to in m.to}
    return notified, mailed


def test_raising_notifies_the_district(district, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = raise_case(district, actor=district.contact_a1)
    assert {n.user_id for n in Notification.objects.filter(case=case)} == {district.district.pk}
    assert [m.to for m in mail.outbox] == [["district@example.cn"]]
    assert case.title in mail.outbox[0].body


def test_each_step_notifies_who_acts_next(district, people, django_capture_on_commit_callbacks):
    d, capture = district, django_capture_on_commit_callbacks
    case = raise_case(d)
    dispatched = act(capture, d.district, case, "dispatch", lead_department=d.dept_f.pk,
                     co_handlers=[co_department().pk])
    assert dispatched == ({"functional", "co_handler"},) * 2
    assert act(capture, d.district, case, "remind", note="请尽快签收") == ({"functional"},) * 2
    assert act(capture, d.functional_user, case, "return", reason="不属本部门") == ({"district"},) * 2

    case = drive(d, raise_case(d, title="第二件"), "signed")
    assert act(capture, d.functional_user, case, "request_extension", reason="需会商",
               working_days=2) == ({"district"},) * 2
    assert act(capture, d.district, case, "approve_extension") == ({"functional"},) * 2
    answered = act(capture, d.functional_user, case, "answer", answer="已协调银行办理贴息，本月到账。")
    assert answered == ({"organization"},) * 2          # the enterprise's contact rates it
    reopened = act(capture, d.contact_a1, case, "rate", rating=Rating.UNSATISFIED, resolved="no")
    assert reopened == ({"functional"},) * 2            # 不满意 → 重办: back to the department


def test_answer_reaches_the_serving_officer(district, people, django_capture_on_commit_callbacks):
    case = drive(district, raise_case(district, organization=district.b1, actor=district.officer_user),
                 "handling")
    notified = act(django_capture_on_commit_callbacks, district.functional_user, case, "answer",
                   answer="已协调供电公司，下周完成扩容。")
    assert notified == ({"officer"},) * 2


def test_merge_tells_the_duplicate_enterprise(district, people, django_capture_on_commit_callbacks):
    primary = raise_case(district, organization=district.b1, actor=district.officer_user)
    duplicate = raise_case(district, title="同一诉求")
    notified = act(django_capture_on_commit_callbacks, district.district, duplicate, "merge",
                   target=primary.pk)
    assert notified == ({"organization"},) * 2


def test_a_refused_action_notifies_nobody(district, people, django_capture_on_commit_callbacks):
    from sanxin.cases.errors import CaseError

    case = raise_case(district)
    before = Notification.objects.count()
    with pytest.raises(CaseError):
        act(django_capture_on_commit_callbacks, district.district, case, "dispatch",
            lead_department=district.dept_x.pk)
    assert Notification.objects.count() == before and mail.outbox == []


def test_notifications_page_lists_and_marks_read(district, people, client_for):
    case = raise_case(district)
    services.case_transition(actor=district.district, case_id=case.pk, action="dispatch",
                             fields={"lead_department": district.dept_f.pk})
    client = client_for(district.functional_user)
    page = client.get("/cases/notifications/").content.decode()
    assert case.title in page
    client.post("/cases/notifications/")
    assert not Notification.objects.filter(user=district.functional_user, read_at=None).exists()
    assert Notification.objects.filter(user=district.district, read_at=None).exists()
