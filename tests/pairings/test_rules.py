"""Bad input to pairings, brands and cases: a clear message naming the field, nothing saved."""
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sanxin.pairings import rules, selectors, services
from sanxin.pairings.models import Brand, BrandPhoto, Pairing, PairingActivity

pytestmark = pytest.mark.django_db


def create(actor, district, **overrides):
    fields = {"leader_kind": "organ", "leader_name": "区工商联机关党支部",
              "leader_area": district.root, "organization": district.a1,
              "started_on": date(2024, 1, 1)}
    fields.update(overrides)
    return services.pairing_create(actor=actor, **fields)


def test_a_pairing_is_created_with_counts(district, world):
    pairing = create(district.district, district)
    services.pairing_activity_add(actor=district.district, pairing=pairing,
                                  held_on=date(2024, 2, 1), title="联合主题党日", participants=20)
    services.pairing_problem_add(actor=district.district, pairing=pairing, title="招工难",
                                 solved_on=date(2024, 3, 1))
    rows = {r["area_code"]: r for r in selectors.pairing_counts_by_area(district.district)}
    assert rows["500102006"] == {"area_code": "500102006", "area_name": "敦仁街道",
                                 "pairings": 2, "active": 2, "activities": 1,
                                 "problems_solved": 1}
    assert rows["500102007"]["pairings"] == 2


def test_pairing_with_itself_is_refused(district, world):
    before = Pairing.objects.count()
    # the leading party organization is the paired branch itself
    with pytest.raises(ValidationError) as exc:
        create(district.district, district, leader_name="", leader_party_org=world.po_a1,
               partner_party_org=world.po_a1)
    assert "itself" in str(exc.value.message_dict["leader_party_org"])
    # the leading party organization covers the paired organization
    with pytest.raises(ValidationError) as exc:
        create(district.district, district, leader_name="", leader_party_org=world.po_a1)
    assert "leader_party_org" in exc.value.message_dict
    # named after the organization itself (full-width spaces do not help)
    with pytest.raises(ValidationError) as exc:
        create(district.district, district, leader_name=f" {district.a1.name}\u3000")
    assert "itself" in str(exc.value.message_dict["leader_name"])
    assert Pairing.objects.count() == before


def test_duplicate_active_pairing_is_refused_until_the_first_ends(district, world):
    before = Pairing.objects.count()
    with pytest.raises(ValidationError) as exc:
        create(district.district, district, leader_name="区委组织部机关党支部")
    assert "already paired" in str(exc.value.message_dict["leader_name"])
    assert Pairing.objects.count() == before
    services.pairing_end(actor=district.district, pairing=world.p1, ended_on=date(2024, 1, 1))
    again = create(district.district, district, leader_name="区委组织部机关党支部")
    assert again.pk and Pairing.objects.count() == before + 1


def test_duplicate_with_a_linked_leader_is_refused(district, world):
    from sanxin.party.models import PartyOrganization

    organ = PartyOrganization.objects.create(name="区经信委机关党委", kind="committee",
                                             area=district.root)
    create(district.district, district, leader_name="", leader_party_org=organ)
    with pytest.raises(ValidationError) as exc:
        create(district.district, district, leader_name="", leader_party_org=organ)
    assert "already paired" in str(exc.value.message_dict["leader_party_org"])
    assert Pairing.objects.filter(leader_party_org=organ).count() == 1


def test_partner_branch_must_cover_the_organization(district, world):
    with pytest.raises(ValidationError) as exc:
        create(district.district, district, partner_party_org=world.po_b1)
    assert "partner_party_org" in exc.value.message_dict


def test_form_shows_the_duplicate_message_on_the_field(district, world, client_for):
    client = client_for(district.district)
    before = Pairing.objects.count()
    response = client.post("/pairings/new/", {
        "leader_kind": "organ", "leader_name": "区委组织部机关党支部",
        "leader_area": district.root.pk, "organization": district.a1.pk,
        "started_on": "2024-01-01"})
    assert response.status_code == 400
    assert "already paired" in str(response.context["form"].errors["leader_name"])
    assert Pairing.objects.count() == before
    response = client.post("/pairings/new/", {
        "leader_kind": "organ", "leader_name": district.a1.name,
        "leader_area": district.root.pk, "organization": district.a1.pk,
        "started_on": "2024-01-01"})
    assert "itself" in str(response.context["form"].errors["leader_name"])
    assert Pairing.objects.count() == before


def test_api_refuses_duplicate_and_self_pairing(district, world, client_for):
    client = client_for(district.district)
    before = Pairing.objects.count()
    body = {"leader_kind": "organ", "leader_name": "区委组织部机关党支部",
            "leader_area_code": "500102", "organization_id": district.a1.pk,
            "started_on": "2024-01-01"}
    response = client.post("/api/pairings/pairings", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "leader_name"
    assert "already paired" in response.json()["message"]
    body.update(leader_name="", leader_party_org_id=world.po_a1.pk,
                partner_party_org_id=world.po_a1.pk)
    response = client.post("/api/pairings/pairings", body, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "leader_party_org"
    assert Pairing.objects.count() == before
    body.update(leader_name="区总工会机关党支部", leader_party_org_id=None)
    response = client.post("/api/pairings/pairings", body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["partner_party_org_id"] == world.po_a1.pk


def test_activity_before_the_start_and_negative_participants_are_refused(district, world,
                                                                          client_for):
    client = client_for(district.district)
    url = f"/pairings/{world.p1.pk}/activities/"
    response = client.post(url, {"activity-held_on": "2022-01-01", "activity-title": "座谈"})
    assert response.status_code == 400
    assert "before the pairing started" in str(response.context["activity_form"].errors)
    response = client.post(url, {"activity-held_on": "2023-05-01", "activity-title": "座谈",
                                 "activity-participants": "-3"})
    assert "negative" in str(response.context["activity_form"].errors["participants"])
    assert PairingActivity.objects.count() == 0
    response = client.post(url, {"activity-held_on": "2023-05-01", "activity-title": "座谈"})
    assert response.status_code == 302 and PairingActivity.objects.count() == 1


def test_ending_before_the_start_is_refused(district, world, client_for):
    response = client_for(district.district).post(
        f"/api/pairings/pairings/{world.p1.pk}/end", {"ended_on": "2022-12-31"},
        content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "ended_on"
    world.p1.refresh_from_db()
    assert world.p1.ended_on is None


def test_organization_contact_records_activity_on_its_own_pairing(district, world, client_for):
    client = client_for(district.contact_a1)
    response = client.post(f"/api/pairings/pairings/{world.p1.pk}/activities",
                           {"held_on": "2023-06-01", "title": "党课"},
                           content_type="application/json")
    assert response.status_code == 201
    response = client.post(f"/api/pairings/pairings/{world.p2.pk}/activities",
                           {"held_on": "2023-06-01", "title": "党课"},
                           content_type="application/json")
    assert response.status_code == 404


# photos ----------------------------------------------------------------------------------------

def png_bytes(size=(4, 3)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 0, 0)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_real_image_is_stored_with_its_size(district, world, media):
    upload = SimpleUploadedFile("a.png", png_bytes((4, 3)), content_type="image/png")
    photo = services.brand_photo_add(actor=district.district, brand=world.brand_a, image=upload,
                                     caption="结绳培训")
    assert (photo.width, photo.height) == (4, 3)
    assert (media / photo.image.name).exists()


@pytest.mark.parametrize("content", [b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\0" * 40,
                                     b""])
def test_a_file_that_is_not_an_image_is_refused(district, world, media, content):
    upload = SimpleUploadedFile("photo.png", content, content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        services.brand_photo_add(actor=district.district, brand=world.brand_a, image=upload)
    assert "image" in exc.value.message_dict
    assert BrandPhoto.objects.count() == 0
    assert not any(media.rglob("*.png"))


def test_a_photo_too_large_is_refused(district, world, media, monkeypatch):
    monkeypatch.setattr(rules, "MAX_PHOTO_BYTES", 10)
    upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        services.brand_photo_add(actor=district.district, brand=world.brand_a, image=upload)
    assert "larger than" in str(exc.value.message_dict["image"])
    assert BrandPhoto.objects.count() == 0


def test_photo_upload_through_form_and_api(district, world, media, client_for):
    client = client_for(district.district)
    fake = SimpleUploadedFile("x.jpg", b"GIF89a-but-not-really", content_type="image/jpeg")
    response = client.post(f"/brands/{world.brand_a.pk}/photos/", {"image": fake})
    assert response.status_code == 400
    assert "not an image" in str(response.context["photo_form"].errors["image"])
    fake = SimpleUploadedFile("x.jpg", b"plain text", content_type="image/jpeg")
    response = client.post(f"/api/pairings/brands/{world.brand_a.pk}/photos", {"image": fake})
    assert response.status_code == 422 and response.json()["field"] == "image"
    assert BrandPhoto.objects.count() == 0
    good = SimpleUploadedFile("x.png", png_bytes(), content_type="image/png")
    response = client.post(f"/api/pairings/brands/{world.brand_a.pk}/photos",
                           {"image": good, "caption": "活动"})
    assert response.status_code == 201
    photo_url = response.json()["url"]
    assert client.get(photo_url).status_code == 200
    # the photo is served through the brand's scope
    assert client_for(district.officer_user).get(photo_url).status_code == 404


def test_brand_name_twice_for_one_party_org_is_refused(district, world, client_for):
    response = client_for(district.district).post("/api/pairings/brands", {
        "party_organization_id": world.po_a1.pk, "name": "红色引擎"},
        content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "name"
    assert Brand.objects.filter(name="红色引擎").count() == 1


def test_honour_with_unknown_level_is_refused(district, world, client_for):
    client = client_for(district.district)
    response = client.post(f"/api/pairings/cases/{world.case_a.pk}/honours", {
        "title": "某奖", "level": "galactic", "year": 2023, "awarding_body": "某机构"},
        content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "level"
    assert world.case_a.honours.count() == 1


# the library -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "expected"), [
    ({"level": "national"}, {"case_a"}),
    ({"level": "district"}, {"case_b"}),
    ({"level": "municipal"}, set()),
    ({"domain": "social"}, {"case_b"}),
    ({"year": "2022"}, {"case_b"}),     # the year of an honour
    ({"year": "2023"}, {"case_a"}),
    ({"year": "20x3"}, set()),
    ({"q": "引擎"}, {"case_a"}),
    ({"q": "两新工委"}, {"case_b"}),     # the awarding body
    ({"level": "national", "domain": "social"}, set()),
])
def test_library_filters(district, world, client_for, params, expected):
    client = client_for(district.district)
    page = client.get("/brands/cases/", params).context["page"]
    assert {c.pk for c in page} == {getattr(world, k).pk for k in expected}
    body = client.get("/api/pairings/cases", params).json()
    assert {r["id"] for r in body["results"]} == {getattr(world, k).pk for k in expected}
