"""Small builders for party and coverage tests (importable from tests/party and tests/coverage)."""
import itertools
from datetime import date

from stdnum.cn import ric

from sanxin.party.models import (
    Instructor,
    InstructorAssignment,
    Member,
    MemberStatus,
    PartyOrganization,
)

_seq = itertools.count(1)


def fuling_code(year: int) -> str:
    """涪陵's area code as it was in the birth year (python-stdnum checks the code's validity)."""
    return "512321" if year < 1983 else "512301" if year < 1995 else "511401" if year < 1997 else "500102"


def id_number(birth: date = date(1990, 1, 1), area: str | None = None, seq: int | None = None) -> str:
    """A valid 居民身份证号 (odd sequence digit = male)."""
    seq = next(_seq) % 1000 if seq is None else seq
    area = area or fuling_code(birth.year)
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def party_org(name: str, area, units=(), kind: str = "branch", **extra) -> PartyOrganization:
    po = PartyOrganization.objects.create(name=name, kind=kind, area=area, **extra)
    po.units.set(units)
    po.refresh_from_db()
    return po


def members(po: PartyOrganization, n: int, *, employer=None, status=MemberStatus.FULL,
            **extra) -> list[Member]:
    rows = [Member(name=f"党员{next(_seq)}", status=status, party_organization=po,
                   employer=employer, **extra) for _ in range(n)]
    return Member.objects.bulk_create(rows)


def instructor(area, orgs=(), name: str = "指导员", active: bool = True) -> Instructor:
    ins = Instructor.objects.create(name=name, area=area, active=active)
    for org in orgs:
        InstructorAssignment.objects.create(instructor=ins, organization=org)
    return ins
