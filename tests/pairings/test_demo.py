import pytest
from django.core.management import call_command
from django.test import override_settings
from PIL import Image

from sanxin.accounts.models import User
from sanxin.chains.models import Chain, ChainMember, Deal, Post
from sanxin.pairings.models import Brand, BrandPhoto, CaseStudy, Honour, Pairing

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        call_command("demo", scale=0.02)
        yield media
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        # the flush also removed the cases app's seeded categories that later tests rely on
        from sanxin.cases.defaults import seed_defaults
        from sanxin.cases.models import Category, DeadlineRule

        seed_defaults(Category, DeadlineRule)


def test_pairings_brands_and_cases(demo):
    assert Pairing.objects.count() == 35
    assert Pairing.objects.filter(leader_kind="village").count() == 15
    assert Brand.objects.count() == 12 and CaseStudy.objects.count() == 12
    national = CaseStudy.objects.filter(honours__level="national").distinct()
    assert national.count() == 4
    brand = Brand.objects.get(name="红结金绳")
    assert brand.party_organization.units.filter(name="涪陵菜乡结绳文化传播有限公司").exists()
    assert "3000余名" in brand.story and "王战瑜" in brand.story
    honour = Honour.objects.get(case_study__brand=brand)
    assert (honour.level, honour.year, honour.title) == ("national", 2023, "2023年度全国企业党建优秀品牌")


def test_four_chains_with_members_at_every_link(demo):
    assert set(Chain.objects.values_list("name", flat=True)) == {
        "化工新材料", "新能源汽车零部件", "涪陵榨菜", "页岩气"}
    for chain in Chain.objects.all():
        assert chain.committee.kind == "functional_committee"
        for link in chain.links.all():
            assert link.members.exists(), (chain, link)
    chem = ChainMember.objects.filter(chain__name="化工新材料")
    assert chem.filter(organization__name="重庆华峰化工有限公司").exists()
    assert chem.filter(organization__name="重庆华峰锦纶纤维有限公司").exists()
    assert chem.filter(branch__isnull=False).exists()
    assert Post.objects.count() >= 12 and Deal.objects.count() >= 4


def test_demo_pages_render(demo, client):
    client.force_login(User.objects.get(username="demo_district"))
    chain = Chain.objects.get(name="化工新材料")
    for url in ("/pairings/", "/pairings/areas/", "/brands/", "/brands/cases/",
                f"/brands/{Brand.objects.get(name='红结金绳').pk}/",
                f"/pairings/{Pairing.objects.first().pk}/", "/chains/",
                f"/chains/{chain.pk}/", f"/chains/{chain.pk}/market/",
                f"/chains/posts/{chain.posts.first().pk}/"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/chains/{chain.pk}/").content.decode()
    assert "重庆华峰化工有限公司" in page and "化工新材料产业链联合党委" in page
    # the 华峰 contact sees its chain but only its own posts
    client.force_login(User.objects.get(username="demo_huafeng"))
    assert client.get(f"/chains/{chain.pk}/").status_code == 200
    body = client.get("/api/chains/posts").json()
    assert body["count"] >= 1
    assert {p["organization_name"] for p in body["results"]} == {"重庆华峰化工有限公司"}


def test_every_demo_brand_has_a_real_photo(demo, client):
    assert BrandPhoto.objects.count() == Brand.objects.count() == 12
    for photo in BrandPhoto.objects.select_related("brand"):
        with Image.open(demo / photo.image.name) as image:
            image.verify()
            assert (image.format, image.size) == ("PNG", (photo.width, photo.height))
    client.force_login(User.objects.get(username="demo_district"))
    brand = Brand.objects.get(name="红结金绳")
    photo = brand.photos.get()
    assert f"/brands/photos/{photo.pk}/" in client.get(f"/brands/{brand.pk}/").content.decode()
    assert f"/brands/photos/{photo.pk}/" in client.get("/brands/").content.decode()
    response = client.get(f"/brands/photos/{photo.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
