"""The organization rules of party building, one named definition each.

Sources (domain README): 《中国共产党支部工作条例(试行)》 (2018), 中办发〔2012〕11号 (non-public
enterprises), 中办发〔2015〕51号 (social organizations). Change a figure here and every form,
service, finding and suggestion follows.
"""
from datetime import date

# 支部工作条例 第五条: a unit with at least 3 正式党员 sets up its own 党支部.
OWN_BRANCH_MIN_FULL_MEMBERS = 3

# 支部工作条例 第五条: units with fewer than 3 正式党员 form a 联合党支部, covering at most 5 units.
JOINT_BRANCH_MAX_UNITS = 5

# 支部工作条例 第五条: a 党支部 has at most 50 members.
BRANCH_MAX_MEMBERS = 50

# 支部工作条例 第五条: 50 to 100 members → 党总支.
GENERAL_BRANCH_MAX_MEMBERS = 100

# 支部工作条例 第十七条: a branch with at least 7 正式党员 elects a 支委会.
COMMITTEE_MIN_FULL_MEMBERS = 7

# 支部工作条例 第十七条: a 支委会 has 3 to 5 members, at most 7.
COMMITTEE_MIN_SIZE = 3
COMMITTEE_MAX_SIZE = 7

# 支部工作条例 第十九条: the branch committee's term is 3 years (村/社区: 5 years).
TERM_YEARS = 3
TERM_YEARS_VILLAGE_OR_COMMUNITY = 5

# Kinds that are "branches" in the sense of the 50-member and committee rules.
BRANCH_KINDS = frozenset({"branch", "joint_branch"})

# 功能型党委 (e.g. 产业链联合党委) links organizations but does not give them organizational coverage.
COVERAGE_KINDS = frozenset({"committee", "general_branch", "branch", "joint_branch"})


def needs_own_branch(full_members: int | None) -> bool:
    """支部工作条例 第五条: 3 or more 正式党员 → the unit must have its own branch."""
    return (full_members or 0) >= OWN_BRANCH_MIN_FULL_MEMBERS


def joint_branch_too_large(unit_count: int | None) -> bool:
    """支部工作条例 第五条: a 联合党支部 covers at most 5 units."""
    return (unit_count or 0) > JOINT_BRANCH_MAX_UNITS


def branch_too_large(members: int | None) -> bool:
    """支部工作条例 第五条: more than 50 members → a 党总支 or 党委 instead of a branch."""
    return (members or 0) > BRANCH_MAX_MEMBERS


def needs_committee(full_members: int | None) -> bool:
    """支部工作条例 第十七条: 7 or more 正式党员 → a 支委会 must be elected."""
    return (full_members or 0) >= COMMITTEE_MIN_FULL_MEMBERS


def committee_size_allowed(size: int | None) -> bool:
    """支部工作条例 第十七条: no committee (0), or 3 to 7 members."""
    return size in (None, 0) or COMMITTEE_MIN_SIZE <= size <= COMMITTEE_MAX_SIZE


def term_years(*, village_or_community: bool = False) -> int:
    """支部工作条例 第十九条: 3 years; 5 for a 村/社区 organization."""
    return TERM_YEARS_VILLAGE_OR_COMMUNITY if village_or_community else TERM_YEARS


def term_end_for(start: date, *, village_or_community: bool = False) -> date:
    """The day the term ends: the same calendar day N years later (28 Feb for a 29 Feb start)."""
    years = term_years(village_or_community=village_or_community)
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


def term_expired(term_end: date | None, today: date) -> bool:
    """支部工作条例 第十九条: the term ends on its last day; from the next day the election is overdue."""
    return term_end is not None and today > term_end


def suggested_kind(members: int | None) -> str:
    """支部工作条例 第五条: ≤50 → 党支部, 51–100 → 党总支, over 100 → 党委."""
    members = members or 0
    if members > GENERAL_BRANCH_MAX_MEMBERS:
        return "committee"
    if members > BRANCH_MAX_MEMBERS:
        return "general_branch"
    return "branch"


# Personal data (个人信息保护法 第四十七条): a member's personal data is erased on request where no
# other rule requires keeping it. The party's own records must name whoever holds an office in a
# party organization (支部工作条例 第十七条, the committee), so an office holder is not erased
# until the office passes to someone else. Erasure pseudonymises: the row stays, so every count
# and rate that includes the member stays as it was.
ERASURE_REFUSED_ROLES = ("secretary", "deputy_secretary", "committee")
