"""ETag / If-Match on case transitions (docs/api.md, Optimistic concurrency): a client that read
an older state gets 412 and nothing changes; without If-Match the transition is not checked."""
import json
import threading

import pytest
from django.db import connection, connections

from sanxin.cases.models import Case, CaseEvent
from tests.cases.conftest import drive, raise_case


def transition(client, case_id: int, action: str, body: dict, if_match: str | None = None):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    return client.post(f"/api/cases/cases/{case_id}/transitions/{action}", json.dumps(body),
                       content_type="application/json", **headers)


@pytest.fixture
def district_client(make_token, bearer):
    return bearer(make_token("district"))


def test_read_gives_an_etag_that_a_transition_accepts_and_renews(district, district_client):
    case = raise_case(district)
    read = district_client.get(f"/api/cases/cases/{case.pk}")
    etag = read["ETag"]
    assert read.status_code == 200 and etag.startswith('"') and etag.endswith('"')
    assert district_client.get(f"/api/cases/cases/{case.pk}")["ETag"] == etag  # stable
    done = transition(district_client, case.pk, "dispatch",
                      {"lead_department": district.dept_f.pk}, if_match=etag)
    assert done.status_code == 200 and done.json()["state"] == "dispatched"
    assert done["ETag"] != etag
    assert district_client.get(f"/api/cases/cases/{case.pk}")["ETag"] == done["ETag"]


def test_stale_if_match_is_412_and_changes_nothing(district, district_client):
    case = raise_case(district)
    stale = district_client.get(f"/api/cases/cases/{case.pk}")["ETag"]
    drive(district, Case.objects.get(pk=case.pk), "dispatched")  # somebody else acts meanwhile
    current = Case.objects.get(pk=case.pk)
    events = CaseEvent.objects.filter(case=case).count()
    response = transition(district_client, case.pk, "remind",
                          {"note": "请加快"}, if_match=stale)
    body = response.json()
    assert response.status_code == 412
    assert body["code"] == "precondition_failed" and body["field"] == "If-Match"
    assert response["ETag"] == district_client.get(f"/api/cases/cases/{case.pk}")["ETag"]
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.version) == (current.state, current.version)
    assert CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.parametrize("header", ['"not-the-etag"', "garbage", 'W/"0123"'])
def test_any_other_if_match_is_412(district, district_client, header):
    case = raise_case(district)
    response = transition(district_client, case.pk, "dispatch",
                          {"lead_department": district.dept_f.pk}, if_match=header)
    assert response.status_code == 412 and response.json()["code"] == "precondition_failed"
    assert Case.objects.get(pk=case.pk).state == "pending"


def test_if_match_is_optional_and_star_matches_any_state(district, district_client):
    case = raise_case(district)
    without = transition(district_client, case.pk, "dispatch", {"lead_department": district.dept_f.pk})
    assert without.status_code == 200 and without["ETag"]
    second = raise_case(district, title="另一件")
    star = transition(district_client, second.pk, "dispatch",
                      {"lead_department": district.dept_f.pk}, if_match="*")
    assert star.status_code == 200


def test_if_match_is_checked_after_the_scope(district, make_token, bearer):
    """Outside the caller's scope it is 404 whatever If-Match says: the ETag reveals nothing."""
    case = raise_case(district, organization=district.b1)
    client = bearer(make_token("area", area=district.area_a))
    response = transition(client, case.pk, "dispatch", {"lead_department": district.dept_f.pk},
                          if_match='"whatever"')
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_two_clients_with_the_same_etag_at_once_one_wins(district, make_token, bearer, monkeypatch):
    """Both pass the scope check before either locks: the If-Match check under the row lock
    lets exactly one through, the other gets 412 (not a later 409: nothing was half done)."""
    import sanxin.cases.api as cases_api

    case = raise_case(district)
    clients = [bearer(make_token("district")), bearer(make_token("district"))]
    etag = clients[0].get(f"/api/cases/cases/{case.pk}")["ETag"]
    barrier = threading.Barrier(2, timeout=20)
    original = cases_api.get_case

    def get_case_then_wait(actor, pk):
        row = original(actor, pk)
        barrier.wait()
        return row

    monkeypatch.setattr(cases_api, "get_case", get_case_then_wait)
    statuses: list[int | None] = [None, None]

    def worker(index: int) -> None:
        try:
            statuses[index] = transition(clients[index], case.pk, "dispatch",
                                         {"lead_department": district.dept_f.pk},
                                         if_match=etag).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [200, 412], statuses
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1
    assert Case.objects.get(pk=case.pk).version == case.version + 1
