"""Editing pairings, brands, photos, case studies and honours: good input saved and audited, bad
input refused naming the field with nothing changed, and the scope of every edit page and
endpoint."""
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from sanxin.pairings import services
from sanxin.pairings.models import Brand, BrandPhoto, CaseStudy, Honour, Pairing, PairingActivity
from tests.edit_guard import assert_stale_edit_refused

from .test_rules import media, png_bytes  # noqa: F401  (the media fixture)
from .test_scope import BRANDS, PAIRINGS

pytestmark = pytest.mark.django_db


def snapshot(row):
    row = type(row).objects.get(pk=row.pk)
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields
            if f.attname != "updated_at"}


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


def pairing_post(pairing, **overrides):
    data = {"leader_kind": pairing.leader_kind, "leader_name": pairing.leader_name,
            "leader_party_org": pairing.leader_party_org_id or "",
            "leader_area": pairing.leader_area_id,
            "partner_party_org": pairing.partner_party_org_id or "",
            "started_on": pairing.started_on.isoformat(), "goals": pairing.goals}
    data.update(overrides)
    return data


# pairings ---------------------------------------------------------------------------------------

def test_a_pairing_is_edited_on_its_page_and_audited(district, world, client_for):
    client = client_for(district.district)
    page = client.get(f"/pairings/{world.p1.pk}/edit/")
    assert page.status_code == 200 and "区委组织部机关党支部" in page.content.decode()
    response = client.post(f"/pairings/{world.p1.pk}/edit/", pairing_post(
        world.p1, leader_name="区委组织部机关第二党支部", goals="组织联建、党员联育"))
    assert response.status_code == 302
    pairing = Pairing.objects.get(pk=world.p1.pk)
    assert (pairing.leader_name, pairing.goals, pairing.organization) == (
        "区委组织部机关第二党支部", "组织联建、党员联育", district.a1)
    entry = LogEntry.objects.get_for_object(pairing).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == district.district
    assert entry.changes_dict["leader_name"] == ["区委组织部机关党支部", "区委组织部机关第二党支部"]


@pytest.mark.parametrize("target, overrides, field, message", [
    ("p1", {"leader_name": "甲一化工有限公司"}, "leader_name", "itself"),
    ("p1", {"leader_name": "甲一化工党支部"}, "leader_name", "itself"),        # its branch's name
    ("p3", {"leader_name": "崇义街道新民社区党支部"}, "leader_name", "already paired"),  # = p2
    ("p1", {"leader_party_org": "po_b1"}, "leader_name", "not both"),
    ("p1", {"leader_name": "", "leader_party_org": "po_a1"}, "leader_party_org", "itself"),
    ("p1", {"partner_party_org": "po_b1"}, "partner_party_org", "does not cover"),
    ("p1", {"started_on": "2023-03-01"}, "started_on", "activity"),
    ("p1", {"started_on": ""}, "started_on", "required"),
    ("p1", {"leader_kind": "alien"}, "leader_kind", "valid choice"),
])
def test_bad_pairing_edits_change_nothing(district, world, client_for, target, overrides, field,
                                          message):
    PairingActivity.objects.create(pairing=world.p1, held_on=date(2023, 2, 1), title="党课")
    pairing = getattr(world, target)
    overrides = {k: getattr(world, v).pk if isinstance(v, str) and v.startswith("po_") else v
                 for k, v in overrides.items()}
    before = snapshot(pairing)
    response = client_for(district.district).post(f"/pairings/{pairing.pk}/edit/",
                                                  pairing_post(pairing, **overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in str(errors[field]), errors
    assert snapshot(pairing) == before
    assert not LogEntry.objects.get_for_object(pairing).filter(
        action=LogEntry.Action.UPDATE).exists()


def test_a_pairing_is_patched_through_the_api(district, world, client_for):
    client = client_for(district.district)
    url = f"/api/pairings/pairings/{world.p2.pk}"
    response = patch(client, url, {"goals": "村企联动"})
    assert response.status_code == 200
    assert response.json()["goals"] == "村企联动"
    assert response.json()["leader_name"] == "崇义街道新民社区党支部"     # unchanged
    before = snapshot(world.p2)
    for body, field in [({"leader_area_code": "999"}, "leader_area_code"),
                        ({"leader_name": "乙一机械有限公司"}, "leader_name"),
                        ({"leader_kind": None}, "leader_kind"),
                        ({"started_on": None}, "started_on"),
                        ({"leader_name": "长" * 121}, "leader_name"),
                        ({"partner_party_org_id": 999999}, "partner_party_org_id")]:
        response = patch(client, url, body)
        assert response.status_code == 422, body
        assert response.json()["field"] == field, response.json()
    assert patch(client, url, {"organization_id": district.a1.pk}).status_code == 422
    assert snapshot(world.p2) == before


def test_an_ended_pairing_keeps_its_start_before_its_end(district, world, client_for):
    services.pairing_end(actor=district.district, pairing=world.p1, ended_on=date(2023, 6, 1))
    response = patch(client_for(district.district), f"/api/pairings/pairings/{world.p1.pk}",
                     {"started_on": "2023-07-01"})
    assert response.status_code == 422 and response.json()["field"] == "started_on"
    entry = LogEntry.objects.get_for_object(world.p1).get(action=LogEntry.Action.UPDATE)
    assert entry.changes_dict["ended_on"] == ["None", "2023-06-01"]


@pytest.mark.parametrize("role", PAIRINGS)
def test_pairing_edits_follow_the_scope(district, world, client_for, role):
    client = client_for(district.users()[role])
    may_edit = role in ("district", "area")
    for key in ("p1", "p2", "p3"):
        pairing = getattr(world, key)
        before = snapshot(pairing)
        seen = key in PAIRINGS[role]
        expected = (200 if may_edit else 403) if seen else 404
        assert client.get(f"/pairings/{pairing.pk}/edit/").status_code == expected
        response = patch(client, f"/api/pairings/pairings/{pairing.pk}", {"goals": "改"})
        assert response.status_code == expected
        if expected != 200:
            assert client.post(f"/pairings/{pairing.pk}/edit/",
                               pairing_post(pairing, goals="改")).status_code == expected
            assert snapshot(pairing) == before


# brands and photos -----------------------------------------------------------------------------

def test_a_brand_is_edited_and_audited(district, world, client_for):
    client = client_for(district.district)
    response = client.post(f"/brands/{world.brand_a.pk}/edit/", {
        "name": "红色引擎2.0", "slogan": "党建强、发展强", "story": "新的故事", "domain": "enterprise"})
    assert response.status_code == 302
    brand = Brand.objects.get(pk=world.brand_a.pk)
    assert (brand.name, brand.slogan, brand.story) == ("红色引擎2.0", "党建强、发展强", "新的故事")
    entry = LogEntry.objects.get_for_object(brand).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == district.district and "story" in entry.changes_dict
    response = patch(client, f"/api/pairings/brands/{brand.pk}", {"slogan": "一名党员一面旗"})
    assert response.status_code == 200 and response.json()["name"] == "红色引擎2.0"


def test_bad_brand_edits_change_nothing(district, world, client_for):
    Brand.objects.create(party_organization=world.po_a1, name="先锋领航")
    client = client_for(district.district)
    before = snapshot(world.brand_a)
    response = client.post(f"/brands/{world.brand_a.pk}/edit/", {
        "name": "先锋领航", "slogan": "", "story": "", "domain": "enterprise"})
    assert response.status_code == 400
    assert "already has a brand" in str(response.context["form"].errors["name"])
    url = f"/api/pairings/brands/{world.brand_a.pk}"
    for body, field, message in [({"name": "  "}, "name", "Give the brand a name"),
                                 ({"name": "先锋领航"}, "name", "already has a brand"),
                                 ({"domain": "moon"}, "domain", "Unknown domain"),
                                 ({"slogan": "口号" * 61}, "slogan", "at most 120")]:
        response = patch(client, url, body)
        assert response.status_code == 422
        assert response.json()["field"] == field and message in response.json()["message"]
    # the same name at another party organization is fine
    assert patch(client, f"/api/pairings/brands/{world.brand_b.pk}",
                 {"name": "先锋领航"}).status_code == 200
    assert snapshot(world.brand_a) == before


def test_a_photo_is_removed_with_its_file(district, world, client_for, media,  # noqa: F811
                                          django_capture_on_commit_callbacks):
    photo = services.brand_photo_add(
        actor=district.district, brand=world.brand_a,
        image=SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"))
    path = media / photo.image.name
    # the organization contact may add photos but not remove them
    assert client_for(district.contact_a1).post(
        f"/brands/photos/{photo.pk}/delete/").status_code == 403
    assert client_for(district.officer_user).post(
        f"/brands/photos/{photo.pk}/delete/").status_code == 404
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(district.district).delete(
            f"/api/pairings/brands/photos/{photo.pk}").status_code == 204
    assert not BrandPhoto.objects.exists() and not path.exists()


def test_a_photo_is_removed_on_the_page(district, world, client_for, media):  # noqa: F811
    photo = services.brand_photo_add(
        actor=district.district, brand=world.brand_a,
        image=SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"))
    client = client_for(district.area_user)
    assert f"/brands/photos/{photo.pk}/delete/" in client.get(
        f"/brands/{world.brand_a.pk}/").content.decode()
    assert client.post(f"/brands/photos/{photo.pk}/delete/").status_code == 302
    assert not BrandPhoto.objects.exists()


# case studies and honours ---------------------------------------------------------------------

def test_a_case_study_and_its_honour_are_edited(district, world, client_for):
    client = client_for(district.district)
    response = client.post(f"/brands/cases/{world.case_a.pk}/edit/", {
        "brand": world.brand_a.pk, "title": "引擎案例修订版", "summary": "摘要",
        "domain": "enterprise", "year": "2024"})
    assert response.status_code == 302
    case = CaseStudy.objects.get(pk=world.case_a.pk)
    assert (case.title, case.summary, case.year) == ("引擎案例修订版", "摘要", 2024)
    assert LogEntry.objects.get_for_object(case).filter(action=LogEntry.Action.UPDATE).exists()
    honour = case.honours.get()
    response = client.post(f"/brands/cases/honours/{honour.pk}/edit/", {
        "title": "全国企业党建创新案例", "level": "national", "year": "2024",
        "awarding_body": "全国企业党建创新案例评选组委会"})
    assert response.status_code == 302
    assert Honour.objects.get(pk=honour.pk).awarding_body == "全国企业党建创新案例评选组委会"
    response = patch(client, f"/api/pairings/cases/honours/{honour.pk}", {"level": "municipal"})
    assert response.status_code == 200 and response.json()["level"] == "municipal"
    response = patch(client, f"/api/pairings/cases/{case.pk}", {"brand_id": None})
    assert response.status_code == 200 and response.json()["brand_id"] is None


def test_bad_case_and_honour_edits_change_nothing(district, world, client_for):
    client = client_for(district.district)
    case, honour = world.case_a, world.case_a.honours.get()
    before, honour_before = snapshot(case), snapshot(honour)
    page = client.post(f"/brands/cases/{case.pk}/edit/", {
        "brand": world.brand_b.pk, "title": "", "domain": "enterprise", "year": "1800"})
    assert page.status_code == 400
    assert {"brand", "title"} <= set(page.context["form"].errors)
    page = client.post(f"/brands/cases/{case.pk}/edit/", {
        "brand": world.brand_a.pk, "title": "引擎案例", "domain": "enterprise", "year": "1800"})
    assert page.status_code == 400 and "year" in page.context["form"].errors
    url = f"/api/pairings/cases/{case.pk}"
    response = patch(client, url, {"brand_id": world.brand_b.pk})
    assert response.status_code == 422 and "another party organization" in response.json()["message"]
    response = patch(client, url, {"title": " "})
    assert response.status_code == 422 and response.json()["field"] == "title"
    assert patch(client, url, {"year": 1800}).status_code == 422
    response = patch(client, f"/api/pairings/cases/honours/{honour.pk}", {"level": "galactic"})
    assert response.status_code == 422 and response.json()["field"] == "level"
    response = client.post(f"/brands/cases/honours/{honour.pk}/edit/", {
        "title": "", "level": "national", "year": "2023", "awarding_body": "x"})
    assert response.status_code == 400 and "title" in response.context["form"].errors
    assert snapshot(case) == before and snapshot(honour) == honour_before


@pytest.mark.parametrize("role", BRANDS)
def test_brand_and_case_edits_follow_the_scope(district, world, client_for, role):
    client = client_for(district.users()[role])
    may_edit = role in ("district", "area")
    for key in ("a", "b"):
        brand, case = getattr(world, f"brand_{key}"), getattr(world, f"case_{key}")
        honour = case.honours.get()
        seen = key in BRANDS[role]
        expected = (200 if may_edit else 403) if seen else 404
        before = [snapshot(brand), snapshot(case), snapshot(honour)]
        for url in (f"/brands/{brand.pk}/edit/", f"/brands/cases/{case.pk}/edit/",
                    f"/brands/cases/honours/{honour.pk}/edit/"):
            assert client.get(url).status_code == expected, url
        for url, body in ((f"/api/pairings/brands/{brand.pk}", {"slogan": "改"}),
                          (f"/api/pairings/cases/{case.pk}", {"summary": "改"}),
                          (f"/api/pairings/cases/honours/{honour.pk}", {"awarding_body": "改"})):
            assert patch(client, url, body).status_code == expected, url
        if expected != 200:
            assert [snapshot(brand), snapshot(case), snapshot(honour)] == before


# lost updates ------------------------------------------------------------------------------------

def test_a_stale_pairing_edit_is_refused_and_loses_nothing(district, world, client_for):
    assert_stale_edit_refused(
        client_for(district.district), f"/pairings/{world.p1.pk}/edit/",
        edit={"leader_name": "区委组织部机关第二党支部"},
        change_elsewhere=lambda: Pairing.objects.filter(pk=world.p1.pk).update(goals="他人改的目标"),
        current=lambda: Pairing.objects.values("leader_name", "goals").get(pk=world.p1.pk))
    assert Pairing.objects.get(pk=world.p1.pk).goals == "他人改的目标"


def test_a_stale_brand_edit_is_refused_and_loses_nothing(district, world, client_for):
    assert_stale_edit_refused(
        client_for(district.district), f"/brands/{world.brand_a.pk}/edit/",
        edit={"slogan": "党建更强"},
        change_elsewhere=lambda: Brand.objects.filter(pk=world.brand_a.pk).update(story="他人写的故事"),
        current=lambda: Brand.objects.values("slogan", "story").get(pk=world.brand_a.pk))
    assert Brand.objects.get(pk=world.brand_a.pk).story == "他人写的故事"
