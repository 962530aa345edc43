"""Two transactions change inputs of the same coverage cell (and of the same organization) at once:
afterwards the summary still equals a fresh computation. Real concurrent transactions on separate
connections, so PostgreSQL only: SQLite serializes writers and would prove nothing."""
import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction

from sanxin.coverage import summary
from sanxin.coverage.models import CoverageCell, OrganizationCoverage
from sanxin.party.models import PartyOrganization
from tests.party.builders import party_org

from .test_summary import assert_summary_is_fresh

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]

HOLD_SECONDS = 0.4  # how long the first writer keeps its transaction open after its write


class FirstWriterFails(Exception):
    pass


def run_overlapping(first: Callable[[], object], second: Callable[[], object], *,
                    first_fails: bool = False) -> list[object]:
    """`first` writes and keeps its transaction open; `second` writes meanwhile (waiting on the
    first's row locks where they collide), so the two transactions overlap. Each runs in its own
    thread, hence on its own database connection. `first_fails`: the first transaction raises
    after its hold and rolls back instead of committing."""
    started = threading.Barrier(2, timeout=20)
    first_wrote = threading.Event()
    outcomes: list[object] = [None, None]

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            started.wait()
            if index == 1:
                first_wrote.wait(20)  # the first transaction is open and has written
            with transaction.atomic():
                outcomes[index] = call()
                if index == 0:
                    first_wrote.set()
                    time.sleep(HOLD_SECONDS)  # commit only after the second has begun its write
                    if first_fails:
                        raise FirstWriterFails
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = exc
            first_wrote.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a transaction never finished"
    return outcomes


def _cell_of(org) -> tuple:
    return OrganizationCoverage.objects.values_list(*summary.KEY).get(pk=org.pk)


def _status_of(org) -> str:
    return OrganizationCoverage.objects.values_list("status", flat=True).get(pk=org.pk)


def _two_in_one_blank_cell(world) -> tuple:
    """Two uncovered organizations counted in the same cell (same area, industry, authority...)."""
    by_cell: dict[tuple, list] = {}
    for org in world.orgs.values():
        if _status_of(org) == "blank":
            by_cell.setdefault(_cell_of(org), []).append(org)
    pair = next(orgs for orgs in by_cell.values() if len(orgs) >= 2)
    return pair[0], pair[1]


def test_two_organizations_of_one_cell_change_at_once(world, district):
    """Two uncovered organizations sit in the same cell; each gets its own branch in its own
    transaction, so both add -1 to that cell and +1 to the 单建 cell concurrently."""
    b1, b2 = _two_in_one_blank_cell(world)
    blank_cell = _cell_of(b1)
    assert _cell_of(b2) == blank_cell
    before = CoverageCell.objects.get(**dict(zip(summary.KEY, blank_cell, strict=True))).n

    outcomes = run_overlapping(lambda: party_org("乙一党支部", district.area_b, [b1]),
                               lambda: party_org("乙二党支部", district.area_b, [b2]))

    assert all(isinstance(o, PartyOrganization) for o in outcomes), outcomes
    assert _status_of(b1) == _status_of(b2) == "single"
    after = CoverageCell.objects.filter(**dict(zip(summary.KEY, blank_cell, strict=True)))
    assert sum(after.values_list("n", flat=True)) == before - 2
    assert_summary_is_fresh(district.district)


def test_one_organization_changed_by_two_transactions(world, district):
    """b1 joins b4's branch (b4 turns 联建) while, concurrently, b4's branch is made a joint
    branch and b1 gets a branch of its own: the same organizations' rows and cells from both sides."""
    b1 = world.orgs["b1"]
    b4_branch = world.branches["b4"]

    def join_b4() -> object:
        b4_branch.units.add(b1)
        return b4_branch

    def b4_joint_and_b1_own_branch() -> object:
        PartyOrganization.objects.filter(pk=b4_branch.pk).update(kind="joint_branch")
        po = PartyOrganization.objects.get(pk=b4_branch.pk)
        po.save()  # the signal refreshes its units
        return party_org("乙一党支部", district.area_b, [b1])

    outcomes = run_overlapping(join_b4, b4_joint_and_b1_own_branch)

    assert all(isinstance(o, PartyOrganization) for o in outcomes), outcomes
    assert set(PartyOrganization.objects.filter(units=b1).values_list("name", flat=True)) == {
        b4_branch.name, "乙一党支部"}
    assert_summary_is_fresh(district.district)


def test_a_rolled_back_writer_beside_a_committed_one(world, district):
    """One transaction fails after its write and rolls back while the other commits: only the
    committed change is counted."""
    b1, b2 = _two_in_one_blank_cell(world)

    outcomes = run_overlapping(lambda: party_org("回滚党支部", district.area_b, [b1]),
                               lambda: party_org("乙二党支部", district.area_b, [b2]),
                               first_fails=True)

    assert isinstance(outcomes[0], FirstWriterFails), outcomes
    assert isinstance(outcomes[1], PartyOrganization), outcomes
    assert not PartyOrganization.objects.filter(name="回滚党支部").exists()
    assert _status_of(b1) == "blank" and _status_of(b2) == "single"
    assert_summary_is_fresh(district.district)
