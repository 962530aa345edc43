"""Demo step: 531 party organizations, 6,358 members and 435 instructors in the demo district,
with blind spots and findings of every kind (see docs/coverage.md, "Demo data")."""
import random
from datetime import date, timedelta

from django.utils import timezone
from stdnum.cn import ric

from sanxin.demo.steps import DemoContext, DemoStep
from sanxin.registry.models import Organization

from .identity import id_digest
from .models import (
    Instructor,
    InstructorAssignment,
    Member,
    MemberRole,
    MemberStatus,
    PartyOrganization,
)
from .signals import refresh_unit_counts

PARTY_ORGS, MEMBERS, INSTRUCTORS = 531, 6_358, 435
# (name, area code, industry): the chains app's committees, created here so the figure holds.
CHAIN_COMMITTEES = [("化工新材料产业链联合党委", "500102P02", "C"),
                    ("新能源汽车零部件产业链联合党委", "500102P01", "C"),
                    ("涪陵榨菜产业链联合党委", "", "A"),
                    ("页岩气产业链联合党委", "500102121", "B")]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英",
         "华", "平", "刚", "桂英", "建华", "志强", "海燕", "红梅", "晓东", "春燕", "文", "斌", "丽", "鑫"]
Through = PartyOrganization.units.through
LIGHT = ("id", "name", "area_id", "employees", "is_sanyou", "latitude", "longitude")  # what the plan reads


def fuling_code(year: int) -> str:
    """涪陵's area code in the year of birth (codes changed in 1983, 1995 and 1997)."""
    return "512321" if year < 1983 else "512301" if year < 1995 else "511401" if year < 1997 else "500102"


class People:
    """Deterministic people with valid, unique ID numbers."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: set[str] = set()

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def person(self) -> dict:
        rng = self.rng
        while True:
            birth = date(1958, 1, 1) + timedelta(days=rng.randint(0, 365 * 45))
            gender = rng.choice("MF")
            seq = rng.randint(0, 499) * 2 + (1 if gender == "M" else 0)
            body = f"{fuling_code(birth.year)}{birth:%Y%m%d}{seq:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if number not in self.seen:
                self.seen.add(number)
                return {"name": self.name(), "gender": gender, "birth_date": birth,
                        "id_number": number, "id_digest": id_digest(number),
                        "phone": f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"}


def _term(rng: random.Random, today: date, expired: bool) -> tuple[date, date]:
    start = today - timedelta(days=rng.randint(1100, 1500) if expired else rng.randint(30, 1000))
    end = start.replace(year=start.year + 3) if not (start.month == 2 and start.day == 29) else \
        start.replace(year=start.year + 3, day=28)
    return start, end


def own_rng(ctx: DemoContext) -> random.Random:
    """A generator seeded from the shared one without drawing from it, so that the steps after
    this one see the same random stream whether or not this step runs."""
    return random.Random("party:" + ",".join(map(str, ctx.rng.getstate()[1][:16])))


def build(ctx: DemoContext) -> None:
    ctx = DemoContext(rng=own_rng(ctx), scale=ctx.scale, data=ctx.data, logins=ctx.logins,
                      log=ctx.log)
    rng = ctx.rng
    today = timezone.localdate()
    people = People(rng)
    district = ctx.data["district"]
    sanyou = list(Organization.objects.filter(is_sanyou=True, area__parent=district).only(*LIGHT)
                  .order_by("-employees", "id"))
    named = ctx.data.get("named_organizations", {})
    n_total = ctx.scaled(PARTY_ORGS, minimum=8)

    plan: list[dict] = []   # one dict per party organization: kind, units, members, etc.
    taken: set[int] = set()

    def take(org) -> None:
        taken.add(org.pk)

    # 党委 over the named big enterprises (海源怡生活党委 has 112 members, as in the source).
    big = [o for o in named.values() if (o.employees or 0) >= 300] + [
        o for o in sanyou[:40] if o not in named.values()]
    for org in big[:max(2, ctx.scaled(6))]:
        size = 112 if "海源怡" in org.name else rng.randint(101, 140)
        plan.append({"kind": "committee", "units": [org], "members": size, "name": f"{org.name[:-4]}党委"})
        take(org)
    free = [o for o in sanyou if o.pk not in taken]
    for org in free[:ctx.scaled(8)]:
        plan.append({"kind": "general_branch", "units": [org], "members": rng.randint(51, 85),
                     "name": f"{org.name[:-4]}党总支"})
        take(org)
    # 功能型党委: the four industry-chain committees (the chains step reuses them by name); they
    # link enterprises but give no coverage.
    for name, area_code, industry in CHAIN_COMMITTEES:
        units = Organization.objects.filter(area__code=area_code, industry=industry).order_by("id")[:12] \
            if area_code else Organization.objects.filter(industry=industry).order_by("id")[:12]
        plan.append({"kind": "functional_committee", "units": list(units), "members": 3, "name": name,
                     "area": ctx.data["areas"].get(area_code) or district})
    n_joint = ctx.scaled(80)
    n_single = max(1, n_total - len(plan) - n_joint - 1)  # 1 = the district's host committee
    small_named = [o for o in named.values() if o.pk not in taken]
    free = small_named + [o for o in sanyou if o.pk not in taken and o not in small_named]
    for org in free[:n_single]:
        members = rng.randint(3, 45) if rng.random() < 0.9 else rng.randint(3, 8)
        plan.append({"kind": "branch", "units": [org], "members": members, "name": f"{org.name[:-4]}党支部"})
        take(org)
    # 联合党支部 over small units of one area.
    # Small units (fewer than 30 employees, 三有 or not) of one area share a joint branch.
    small = [o for o in Organization.objects.filter(area__parent=district, status="operating",
                                                    employees__lt=30).only(*LIGHT)
             .order_by("area_id", "id") if o.pk not in taken]
    by_area: dict[int, list] = {}
    for org in small:
        by_area.setdefault(org.area_id, []).append(org)
    areas = sorted(by_area, key=lambda a: -len(by_area[a]))
    area_names = {a.pk: a.name for a in ctx.data["areas"].values()}
    for i in range(n_joint):
        pool = by_area[areas[i % len(areas)]] if areas else []
        width = 6 if i < max(1, ctx.scaled(3)) else rng.randint(2, 5)  # three over the 5-unit rule
        units = [pool.pop() for _ in range(min(width, len(pool)))]
        if len(units) < 2:
            continue
        for u in units:
            take(u)
        plan.append({"kind": "joint_branch", "units": units, "members": rng.randint(3, 2 * len(units)),
                     "name": f"{area_names[units[0].area_id]}{units[0].name[2:6]}等{len(units)}家联合党支部"})
    _fit_branch_sizes(plan, ctx.scaled(MEMBERS) - ctx.scaled(12) * 4 - ctx.scaled(90) * 2)
    # Two branches over the 50-member rule.
    for p in [p for p in plan if p["kind"] == "branch"][:2]:
        p["members"] = rng.randint(52, 56)
    # The host of members whose unit has no branch yet (they show as 应建未建 or as suggestions).
    plan.append({"kind": "committee", "units": [], "members": 0, "name": "涪陵区非公有制经济组织综合党委",
                 "area": district})
    _save(ctx, plan, people, today, taken)


def _fit_branch_sizes(plan: list[dict], budget: int) -> None:
    """Scale the single branches' sizes so that the whole plan fits the member figure."""
    branches = [p for p in plan if p["kind"] == "branch"]
    fixed = sum(p["members"] for p in plan if p["kind"] != "branch")
    planned = sum(p["members"] for p in branches) or 1
    factor = max(0.0, (budget - fixed) / planned)
    for p in branches:
        p["members"] = max(3, min(50, round(p["members"] * factor)))


def _save(ctx: DemoContext, plan: list[dict], people: People, today: date, taken: set[int]) -> None:
    rng = ctx.rng
    district = ctx.data["district"]
    n_orgs = len(plan)
    uncovered = [o for o in Organization.objects.filter(area__parent=district, status="operating")
                 .only(*LIGHT).order_by("id") if o.pk not in taken]
    rng.shuffle(uncovered)
    sanyou_uncovered = [o for o in uncovered if o.is_sanyou]
    missing = sanyou_uncovered[:ctx.scaled(12)]   # 应建未建: 3–4 full members kept at the host
    missing_ids = {o.pk for o in missing}
    host_plan = [(org, rng.randint(3, 4), True) for org in missing]
    # suggestion material: small uncovered units with 1 or 2 members, also kept at the host
    host_plan += [(org, rng.randint(1, 2), None) for org in
                  _clustered([o for o in uncovered if o.pk not in missing_ids], ctx.scaled(90))]
    target = ctx.scaled(MEMBERS)
    _shrink_to(plan, target - sum(n for _, n, _ in host_plan))
    sizable = [p for p in plan if p["kind"] == "branch" and 9 <= p["members"] <= 50]
    if not sizable:  # a small demo: make one branch big enough to need a committee
        sizable = sorted((p for p in plan if p["kind"] == "branch"), key=lambda p: -p["members"])[:1]
        for p in sizable:
            p["members"] = max(p["members"], 9)
    for p in rng.sample(sizable, min(len(sizable), ctx.scaled(20))):
        p["no_committee"] = True  # 7+ full members and no 支委会: a finding
    areas_by_id = {a.pk: a for a in ctx.data["areas"].values()}
    rows = []
    for i, p in enumerate(plan):
        unit_area = p.get("area") or areas_by_id[p["units"][0].area_id]
        start, end = _term(rng, today, expired=rng.random() < 0.06)
        committee = rng.randint(3, 7) if p["members"] >= 7 else 0
        if p.get("no_committee"):
            committee = 0
        rows.append(PartyOrganization(
            name=p["name"][:120], kind=p["kind"], area=unit_area, committee_size=committee,
            founded=start - timedelta(days=rng.randint(0, 3000)), term_start=start, term_end=end))
        p["index"] = i
    PartyOrganization.objects.bulk_create(rows, batch_size=1000)
    host = rows[-1]
    Through.objects.bulk_create(
        [Through(partyorganization_id=rows[p["index"]].pk, organization_id=u.pk)
         for p in plan for u in p["units"]], batch_size=5000)
    refresh_unit_counts()

    # Members: the planned sizes, then the host's members, then trimmed or padded to 6,358.
    members: list[Member] = []

    def member(po: PartyOrganization, employer, full: bool | None = None, **extra) -> Member:
        joined = today - timedelta(days=rng.randint(200, 12000))
        is_full = rng.random() < 0.88 if full is None else full
        return Member(party_organization=po, employer=employer,
                      status=MemberStatus.FULL if is_full else MemberStatus.PROBATIONARY,
                      joined_on=joined, full_on=joined + timedelta(days=365) if is_full else None,
                      is_flowing=rng.random() < 0.05, **people.person(), **extra)

    for p in plan[:-1]:
        po = rows[p["index"]]
        units = p["units"]
        full_at: dict[int, int] = {}
        for k in range(p["members"]):
            if p["kind"] == "joint_branch":
                unit = units[k % len(units)]
                # at most 2 full members per unit: a third would make it 应建未建
                m = member(po, unit, full=None if full_at.get(unit.pk, 0) < 2 else False)
                full_at[unit.pk] = full_at.get(unit.pk, 0) + (m.status == MemberStatus.FULL)
                members.append(m)
            else:
                members.append(member(po, units[0] if units else None,
                                      full=True if p.get("no_committee") else None))
    for org, n, full in host_plan:
        for _ in range(n):
            members.append(member(host, org, full=full))
    while len(members) < target:  # flowing members registered at the host
        members.append(member(host, None, is_flowing=True))
    members = _trim(members, target, host)
    Member.objects.bulk_create(members, batch_size=2000)
    _secretaries(ctx, rows)
    # 未落实属地 (no area): a district-level association added by the coverage step.
    _instructors(ctx, [o for o in sanyou_uncovered if o.pk not in missing_ids])
    ctx.log(f"    {n_orgs} party organizations, {len(members)} members")


def _shrink_to(plan: list[dict], budget: int) -> None:
    """Take members from the largest ordinary branches (never below 3) until the plan fits."""
    branches = sorted((p for p in plan if p["kind"] == "branch" and p["members"] <= 50),
                      key=lambda p: -p["members"])
    excess = sum(p["members"] for p in plan) - budget
    while excess > 0 and branches:
        for p in branches:
            if excess <= 0:
                break
            if p["members"] > 3:
                p["members"] -= 1
                excess -= 1
        branches = [p for p in branches if p["members"] > 3]


def _trim(members: list[Member], target: int, host: PartyOrganization) -> list[Member]:
    """Drop flowing host members first, then the last planned ones, to meet the figure exactly."""
    extra = len(members) - target
    if extra <= 0:
        return members
    keep = []
    for m in reversed(members):
        if extra and m.party_organization is host and m.employer_id is None:
            extra -= 1
            continue
        keep.append(m)
    keep.reverse()
    return keep[:target]


def _secretaries(ctx: DemoContext, rows: list[PartyOrganization]) -> None:
    rng = ctx.rng
    first: dict[int, int] = {}
    for pk, po_id in Member.objects.filter(status=MemberStatus.FULL).order_by("id").values_list(
            "pk", "party_organization_id"):
        first.setdefault(po_id, pk)
    without = {po.pk for po in rng.sample(rows, min(len(rows), ctx.scaled(14)))}
    for po in rows:
        po.secretary_id = None if po.pk in without else first.get(po.pk)
    PartyOrganization.objects.bulk_update(rows, ["secretary"], batch_size=1000)
    Member.objects.filter(pk__in=[po.secretary_id for po in rows if po.secretary_id]).update(
        role=MemberRole.SECRETARY)


def _instructors(ctx: DemoContext, work_pool: list[Organization]) -> None:
    """435 instructors and liaisons; they cover most uncovered 三有 units, some stay blind spots."""
    rng = ctx.rng
    people = People(rng)
    areas = [a for a in ctx.data["areas"].values() if a.parent_id]
    n = ctx.scaled(INSTRUCTORS)
    weights = {a.pk: 1 + sum(1 for o in work_pool if o.area_id == a.pk) for a in areas}
    instructors = []
    for i in range(n):
        area = rng.choices(areas, [weights[a.pk] for a in areas])[0] if i >= len(areas) else areas[i]
        instructors.append(Instructor(
            name=people.name(), kind="liaison" if rng.random() < 0.2 else "instructor",
            phone=f"13{rng.randint(0, 999999999):09d}", area=area,
            employer=rng.choice(["区委组织部", "区委两新工委", f"{area.name}党工委", "区经济信息委"])))
    Instructor.objects.bulk_create(instructors, batch_size=1000)
    by_area: dict[int, list[Instructor]] = {}
    for ins in instructors:
        by_area.setdefault(ins.area_id, []).append(ins)
    assignments = []
    blind_share = 0.12
    for k, org in enumerate(work_pool):
        team = by_area.get(org.area_id)
        if not team or rng.random() < blind_share:
            continue  # a blind spot
        assignments.append(InstructorAssignment(instructor=team[k % len(team)], organization=org,
                                                started_on=date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))))
    InstructorAssignment.objects.bulk_create(assignments, batch_size=5000)





def _clustered(orgs: list[Organization], count: int, per_area: int = 4) -> list[Organization]:
    """`count` organizations taken a few per area, from the areas with the most, so that small
    units sit near each other as they do in a real street (material for joint branches)."""
    by_area: dict[int, list[Organization]] = {}
    for org in orgs:
        by_area.setdefault(org.area_id, []).append(org)
    order = sorted(by_area, key=lambda a: (-len(by_area[a]), a))
    chosen: list[Organization] = []
    while len(chosen) < count and any(by_area.values()):
        for area in order:
            pool = by_area[area]
            take, by_area[area] = pool[:per_area], pool[per_area:]
            chosen.extend(take)
            if len(chosen) >= count:
                break
    return chosen[:count]


STEP = DemoStep(order=20, name="party", build=build)
