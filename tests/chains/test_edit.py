"""Editing chains, their steps and member enterprises: saved and audited, bad input refused
naming the field with nothing changed, and the scope of every edit page and endpoint."""
import pytest
from auditlog.models import LogEntry

from sanxin.chains.models import Chain, ChainLink, ChainMember
from sanxin.party.models import PartyOrganization

from .test_scope import CHAINS

pytestmark = pytest.mark.django_db


def snapshot(row):
    row = type(row).objects.get(pk=row.pk)
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields
            if f.attname != "updated_at"}


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def test_a_chain_is_edited_and_audited(district, chains, client_for):
    client = client_for(district.district)
    committee = PartyOrganization.objects.create(name="新联合党委", kind="functional_committee",
                                                 area=district.area_a)
    response = client.post(f"/chains/{chains.chain1.pk}/edit/", {
        "name": "化工新材料产业链", "description": "聚氨酯与锦纶", "committee": committee.pk})
    assert response.status_code == 302
    chain = Chain.objects.get(pk=chains.chain1.pk)
    assert (chain.name, chain.description, chain.committee) == ("化工新材料产业链", "聚氨酯与锦纶",
                                                                committee)
    entry = LogEntry.objects.get_for_object(chain).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == district.district and "committee" in entry.changes_dict
    response = patch(client, f"/api/chains/chains/{chain.pk}", {"description": "新说明"})
    assert response.status_code == 200 and response.json()["name"] == "化工新材料产业链"


def test_bad_chain_edits_change_nothing(district, chains, client_for):
    client = client_for(district.district)
    branch = PartyOrganization.objects.create(name="某党支部", kind="branch", area=district.root)
    before = snapshot(chains.chain1)
    url = f"/api/chains/chains/{chains.chain1.pk}"
    for body, field, message in [
            ({"name": "页岩气"}, "name", "already exists"),
            ({"name": " "}, "name", "Give the chain a name"),
            ({"name": "链" * 61}, "name", "at most 60"),
            ({"committee_id": branch.pk}, "committee", "functional committee"),
            ({"committee_id": chains.committee2.pk}, "committee", "another chain"),
            ({"committee_id": 999999}, "committee_id", "No such row")]:
        response = patch(client, url, body)
        assert response.status_code == 422, body
        assert response.json()["field"] == field and message in response.json()["message"]
    page = client.post(f"/chains/{chains.chain1.pk}/edit/", {"name": "页岩气", "description": "",
                                                             "committee": branch.pk})
    assert page.status_code == 400
    errors = page.context["form"].errors
    assert "committee" in errors   # not a functional committee: not a choice
    page = client.post(f"/chains/{chains.chain1.pk}/edit/", {"name": "页岩气", "description": ""})
    assert "already exists" in str(page.context["form"].errors["name"])
    assert snapshot(chains.chain1) == before


def test_a_step_is_edited_and_bad_steps_refused(district, chains, client_for):
    client = client_for(district.district)
    first, second = chains.chain1.links.order_by("position")
    response = client.post(f"/chains/links/{first.pk}/edit/", {
        "stage": "upstream", "name": "基础化工原料", "position": "5"})
    assert response.status_code == 302
    assert (ChainLink.objects.get(pk=first.pk).name, ChainLink.objects.get(pk=first.pk).position) \
        == ("基础化工原料", 5)
    assert LogEntry.objects.get_for_object(first).filter(action=LogEntry.Action.UPDATE).exists()
    before = snapshot(first)
    url = f"/api/chains/links/{first.pk}"
    for body, field, message in [({"name": "加工"}, "name", "step of this name"),
                                 ({"position": 2}, "position", "at this position"),
                                 ({"position": 0}, "position", "starts at 1"),
                                 ({"stage": "sideways"}, "stage", "upstream, midstream"),
                                 ({"name": ""}, "name", "Name the step"),
                                 ({"name": "长" * 61}, "name", "at most 60"),
                                 ({"position": 40000}, "position", "at most 32767")]:
        response = patch(client, url, body)
        assert response.status_code == 422, body
        assert response.json()["field"] == field and message in response.json()["message"]
    page = client.post(f"/chains/links/{first.pk}/edit/", {
        "stage": "upstream", "name": "加工", "position": ""})
    assert page.status_code == 400 and "position" in page.context["form"].errors
    assert snapshot(first) == before
    # the same name in another chain is fine
    response = patch(client, f"/api/chains/links/{chains.chain2.links.first().pk}",
                     {"name": "加工"})
    assert response.status_code == 200 and response.json()["name"] == "加工"


def test_a_member_moves_and_gets_its_branch(district, chains, client_for):
    client = client_for(district.district)
    member = ChainMember.objects.get(chain=chains.chain1, organization=district.a1)
    second = chains.chain1.links.get(position=2)
    branch = PartyOrganization.objects.create(name="甲一党支部", kind="branch", area=district.area_a)
    branch.units.add(district.a1)
    response = client.post(f"/chains/members/{member.pk}/edit/", {
        "link": second.pk, "branch": branch.pk})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.link, member.branch) == (second, branch)
    assert LogEntry.objects.get_for_object(member).filter(action=LogEntry.Action.UPDATE).exists()
    response = patch(client, f"/api/chains/members/{member.pk}", {"branch_id": None})
    assert response.status_code == 200 and response.json()["branch_id"] is None


def test_bad_member_edits_change_nothing(district, chains, client_for):
    client = client_for(district.district)
    member = ChainMember.objects.get(chain=chains.chain1, organization=district.a1)
    # a1 also at step 2: moving its step-1 membership there would put it there twice
    second = chains.chain1.links.get(position=2)
    ChainMember.objects.create(chain=chains.chain1, link=second, organization=district.a1)
    stranger = PartyOrganization.objects.create(name="乙党支部", kind="branch", area=district.area_b)
    stranger.units.add(district.b1)
    before = snapshot(member)
    url = f"/api/chains/members/{member.pk}"
    for body, field, message in [
            ({"link_id": second.pk}, "link", "already a member"),
            ({"link_id": chains.chain2.links.first().pk}, "link_id", "No such row"),
            ({"link_id": None}, "link", "another chain"),
            ({"branch_id": stranger.pk}, "branch", "does not cover")]:
        response = patch(client, url, body)
        assert response.status_code == 422, body
        assert response.json()["field"] == field and message in response.json()["message"]
    page = client.post(f"/chains/members/{member.pk}/edit/", {"link": second.pk, "branch": ""})
    assert page.status_code == 400
    assert "already a member" in str(page.context["form"].errors["link"])
    page = client.post(f"/chains/members/{member.pk}/edit/", {
        "link": chains.chain2.links.first().pk})
    assert page.status_code == 400 and "link" in page.context["form"].errors
    assert snapshot(member) == before


# who edits: chains and steps the district; members the district and the area of the enterprise
MEMBER_EDIT = {"district": {"a1", "a2", "b1"}, "area": {"a1", "a2"}}


@pytest.mark.parametrize("role", CHAINS)
def test_chain_edits_follow_the_scope(district, chains, client_for, role):
    client = client_for(district.users()[role])
    for key in ("chain1", "chain2"):
        chain = getattr(chains, key)
        seen = key in CHAINS[role]
        link = chain.links.first()
        chain_expected = (200 if role == "district" else 403) if seen else 404
        assert client.get(f"/chains/{chain.pk}/edit/").status_code == chain_expected
        assert client.get(f"/chains/links/{link.pk}/edit/").status_code == chain_expected
        assert patch(client, f"/api/chains/chains/{chain.pk}",
                     {"description": "改"}).status_code == chain_expected
        assert patch(client, f"/api/chains/links/{link.pk}",
                     {"stage": "downstream"}).status_code == chain_expected
        for member in chain.members.select_related("organization"):
            org_key = {district.a1.pk: "a1", district.b1.pk: "b1", district.a2.pk: "a2"}[
                member.organization_id]
            expected = (200 if org_key in MEMBER_EDIT.get(role, set()) else 403) if seen else 404
            assert client.get(f"/chains/members/{member.pk}/edit/").status_code == expected
            assert patch(client, f"/api/chains/members/{member.pk}",
                         {"branch_id": None}).status_code == expected
        if chain_expected != 200:
            assert Chain.objects.get(pk=chain.pk).description == ""
            assert ChainLink.objects.get(pk=link.pk).stage == "upstream"


def test_a_new_step_beyond_the_last_position_is_refused(district, chains, client_for):
    response = client_for(district.district).post(
        f"/api/chains/chains/{chains.chain1.pk}/links",
        {"stage": "upstream", "name": "远端", "position": 40000}, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "position"
    assert not ChainLink.objects.filter(name="远端").exists()
