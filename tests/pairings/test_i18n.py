"""The default language is zh-Hans: bad input is answered in Chinese."""
import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():  # overrides the autouse English fixture of this folder
    with translation.override("zh-hans"):
        yield


def test_duplicate_pairing_message_in_chinese(district, world, client_for):
    response = client_for(district.district).post("/api/pairings/pairings", {
        "leader_kind": "organ", "leader_name": "区委组织部机关党支部", "leader_area_code": "500102",
        "organization_id": district.a1.pk, "started_on": "2024-01-01"},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["message"] == "双方已结对（存在进行中的结对）。"


def test_negative_quantity_message_in_chinese(district, client_for):

    from sanxin.chains.models import Chain, ChainLink, ChainMember

    chain = Chain.objects.create(name="链")
    link = ChainLink.objects.create(chain=chain, stage="upstream", name="环节", position=1)
    member = ChainMember.objects.create(chain=chain, link=link, organization=district.a1)
    response = client_for(district.district).post("/api/chains/posts", {
        "member_id": member.pk, "kind": "supply", "category": "己二酸", "quantity": "-1",
        "starts_on": "2024-01-01", "ends_on": "2024-02-01"}, content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.json()["message"] == "数量不能为负数。"
