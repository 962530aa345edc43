"""Two people edit the same record: the one who saves second, from a page opened before the first
one's save, is refused with a message, and neither change is lost (sanxin.core.forms
GuardedModelForm). Every edit page that saves a whole form is checked; a save from a fresh page
goes through."""
import hashlib

import pytest

from sanxin.chains.models import Chain, ChainLink
from sanxin.core.forms import ROW_VERSION, row_version
from sanxin.party.models import Instructor, Member, PartyOrganization
from sanxin.registry.forms import OrganizationForm
from sanxin.registry.models import Organization
from sanxin.service.models import ServiceOfficer
from tests.chains.conftest import make_chain
from tests.edit_guard import assert_stale_edit_refused, post_data_of
from tests.factories import user_with_role
from tests.party.builders import id_number, members, party_org

pytestmark = pytest.mark.django_db


def values(model, pk, *names):
    return lambda: model.objects.values(*names).get(pk=pk)


def test_organization(district, client_for):
    org = district.a1
    assert_stale_edit_refused(
        client_for(district.district), f"/organizations/{org.pk}/edit/",
        edit={"address": "涪陵区新址路1号"},
        change_elsewhere=lambda: Organization.objects.filter(pk=org.pk).update(employees=77),
        current=values(Organization, org.pk, "address", "employees"))
    assert Organization.objects.get(pk=org.pk).employees == 77


def test_party_organization(district, client_for):
    po = party_org("甲一党支部", district.area_a, [district.a1])
    assert_stale_edit_refused(
        client_for(district.district), f"/party/organizations/{po.pk}/edit/",
        edit={"name": "甲一新党支部"},
        change_elsewhere=lambda: PartyOrganization.objects.filter(pk=po.pk).update(
            committee_size=5),
        current=values(PartyOrganization, po.pk, "name", "committee_size"))


@pytest.mark.parametrize("who", ["district", "area_user"])   # unmasked and masked editors
def test_member(district, client_for, who):
    po = party_org("甲一党支部", district.area_a, [district.a1])
    member = members(po, 1, id_number=id_number(seq=31), phone="13812345678")[0]
    member.save()
    assert_stale_edit_refused(
        client_for(getattr(district, who)), f"/party/members/{member.pk}/edit/",
        edit={"name": "李改名"},
        change_elsewhere=lambda: Member.objects.filter(pk=member.pk).update(is_flowing=True),
        current=values(Member, member.pk, "name", "is_flowing"))
    stored = Member.objects.get(pk=member.pk)
    assert (stored.is_flowing, stored.phone) == (True, "13812345678")


def test_instructor(district, client_for):
    instructor = Instructor.objects.create(name="王指导", kind="instructor", area=district.area_a)
    assert_stale_edit_refused(
        client_for(district.district), f"/party/instructors/{instructor.pk}/edit/",
        edit={"name": "王指导员"},
        change_elsewhere=lambda: Instructor.objects.filter(pk=instructor.pk).update(
            phone="13900002222"),
        current=values(Instructor, instructor.pk, "name", "phone"))


def test_service_officer(district, client_for):
    officer = ServiceOfficer.objects.create(user=user_with_role("officer_x", "officer"),
                                            area=district.area_a, capacity=5)
    assert_stale_edit_refused(
        client_for(district.district), f"/service/officers/{officer.pk}/edit/",
        edit={"capacity": "9"},
        change_elsewhere=lambda: ServiceOfficer.objects.filter(pk=officer.pk).update(
            industries="C"),
        current=values(ServiceOfficer, officer.pk, "capacity", "industries"))


def test_chain_and_its_step(district, client_for):
    committee = PartyOrganization.objects.create(name="链联合党委", kind="functional_committee",
                                                 area=district.root)
    chain, (link,) = make_chain("化工新材料", committee, [("upstream", "原料")])
    client = client_for(district.district)
    assert_stale_edit_refused(
        client, f"/chains/{chain.pk}/edit/", edit={"name": "化工新材料产业链"},
        change_elsewhere=lambda: Chain.objects.filter(pk=chain.pk).update(description="他人写的"),
        current=values(Chain, chain.pk, "name", "description"))
    assert_stale_edit_refused(
        client, f"/chains/links/{link.pk}/edit/", edit={"name": "原材料"},
        change_elsewhere=lambda: ChainLink.objects.filter(pk=link.pk).update(position=5),
        current=values(ChainLink, link.pk, "name", "position"))


def test_the_version_is_keyed_and_follows_every_edited_field(district):
    """The hidden version reveals nothing of masked values (an HMAC under SECRET_KEY, not a plain
    digest) and changes when any edited field does."""
    org = Organization.objects.get(pk=district.a1.pk)
    form = OrganizationForm(instance=org)
    names = form._guarded_names()
    version = form[ROW_VERSION].value()
    assert version == row_version(org, names)
    plain = "\x1f".join(f"{n}={org._meta.get_field(n).value_from_object(org)!r}" for n in sorted(names))
    assert version not in {hashlib.sha1(plain.encode()).hexdigest(),
                           hashlib.sha256(plain.encode()).hexdigest()}
    org.contact_phone = "13900009999"
    assert row_version(org, names) != version


def test_a_post_without_a_version_is_not_checked(district, client_for):
    """Scripts that post the form without the hidden field keep working (no version, no check)."""
    client = client_for(district.district)
    url = f"/organizations/{district.a1.pk}/edit/"
    data = post_data_of(client.get(url).context["form"]) | {"address": "无版本提交"}
    del data[ROW_VERSION]
    assert client.post(url, data).status_code == 302
    assert Organization.objects.get(pk=district.a1.pk).address == "无版本提交"


def test_edit_pages_show_a_foreign_key_chosen_by_code_as_selected(district, client_for):
    """The organization's area is chosen by its code: the edit page shows it selected, so saving
    an untouched page keeps it (it used to show none and refuse the save)."""
    page = client_for(district.district).get(f"/organizations/{district.a1.pk}/edit/")
    assert f'<option value="{district.a1.area.code}" selected>' in page.content.decode()
