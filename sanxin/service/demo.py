"""Demo step: 1,695 service officers placed by the optimizer on every operating enterprise, a year
of visits (with demands and a few 无事不扰 cases), and the 10 escorted major projects."""
import dataclasses
import math
import random
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from sanxin.accounts.models import Role, User
from sanxin.coverage import summary
from sanxin.demo.steps import DEMO_PASSWORD, DemoContext, DemoStep
from sanxin.registry.models import Organization

from . import optimizer, rules
from .models import (
    Assignment,
    AssignmentDetail,
    AssignmentSource,
    MajorProject,
    Milestone,
    PlanMode,
    ProjectProblem,
    ServiceOfficer,
    Visit,
)
from .services import load_problem

OFFICERS = 1_695
DISTRICT_LEVEL_SHARE = 0.03   # cadres of district departments who may serve anywhere
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "红梅", "志强", "海燕", "国庆"]
TOPICS = ["用工招聘", "融资贷款", "税费政策", "用电保障", "物流运输", "土地规划", "环保审批",
          "技术改造", "市场开拓", "安全生产", "党建工作", "人才公寓"]
DEMANDS = ["希望协调解决员工子女入学问题", "申请技改补贴需要指导", "厂区道路破损需要维修",
           "用电负荷不足，希望扩容", "希望对接银行解决流动资金贷款", "环评手续办理进度慢",
           "需要招聘技术工人 20 名", "希望帮助对接产业链上下游企业", "消防验收需要指导",
           "希望解决员工住宿问题"]


def _name(rng, used: set[str]) -> str:
    """A fresh name when one is left after a few draws; namesakes are real, too."""
    for _ in range(20):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            break
    used.add(name)
    return name


def _officers_per_area(enterprises: dict[int, int], total: int, capacity: int) -> dict[int, int]:
    """Each area gets enough officers for its enterprises with 10% slack, the rest in proportion."""
    need = {a: max(1, math.ceil(n * 1.1 / capacity)) for a, n in enterprises.items()}
    spare = max(0, total - sum(need.values()))
    weight = sum(enterprises.values()) or 1
    extra = {a: int(spare * n / weight) for a, n in enterprises.items()}
    counts = {a: need[a] + extra[a] for a in enterprises}
    leftover = total - sum(counts.values())
    for a in sorted(enterprises, key=lambda a: -enterprises[a])[:max(0, leftover)]:
        counts[a] += 1
    return counts


def build_officers(ctx: DemoContext) -> list[ServiceOfficer]:
    rng = ctx.rng
    areas = {a.pk: a for a in ctx.data["areas"].values() if a.kind != "district"}
    departments = list(ctx.data["departments"].values())
    per_area: dict[int, int] = defaultdict(int)
    for area_id in Organization.objects.filter(rules.needs_officer_q()).values_list(
            "area_id", flat=True):
        per_area[area_id] += 1
    total = ctx.scaled(OFFICERS)
    district_level = max(1, round(total * DISTRICT_LEVEL_SHARE))
    capacity = 15
    # the demo officer login is the last of the total
    counts = _officers_per_area(dict(per_area), total - district_level - 1, capacity)
    password = make_password(DEMO_PASSWORD)
    used: set[str] = set()
    users, specs = [], []
    demo_officer = User.objects.get(username="demo_officer")
    dunren = ctx.data["areas"]["500102006"]
    index = 0
    for area_id, n in sorted(counts.items()):
        area = areas[area_id]
        for _ in range(n):
            index += 1
            users.append(User(username=f"officer{index:04d}", full_name=_name(rng, used),
                              password=password))
            specs.append((area, rng.choice(departments) if rng.random() < 0.4 else None))
    for _ in range(district_level):
        index += 1
        users.append(User(username=f"officer{index:04d}", full_name=_name(rng, used),
                          password=password))
        specs.append((None, rng.choice(departments)))
    User.objects.bulk_create(users, batch_size=2000)
    users = list(User.objects.filter(username__startswith="officer").order_by("username"))
    Role.objects.bulk_create([Role(user=u, kind="officer") for u in users], batch_size=2000)
    officers = []
    industries = list("CFHELOGAIKM")
    for user, (area, department) in zip(users, specs, strict=True):
        anchor = area or ctx.data["district"]
        spread = 0.01 if area else 0.03
        officers.append(ServiceOfficer(
            user=user, area=area, department=department, capacity=capacity,
            industries="".join(sorted(set(rng.sample(industries, rng.randint(1, 3))))),
            latitude=round(anchor.latitude + rng.gauss(0, spread), 6),
            longitude=round(anchor.longitude + rng.gauss(0, spread * 1.15), 6)))
    # The demo officer login is one of them: an officer of 敦仁街道 at the street's centre.
    officers.append(ServiceOfficer(user=demo_officer, area=dunren, capacity=capacity,
                                   industries="CF", latitude=dunren.latitude,
                                   longitude=dunren.longitude))
    ServiceOfficer.objects.bulk_create(officers, batch_size=2000)
    return list(ServiceOfficer.objects.all())


def assign_all(ctx: DemoContext) -> int:
    """Every operating enterprise gets its officer from the product's own optimizer."""
    enterprises, officers = load_problem(None)
    solution = optimizer.solve(enterprises, officers, PlanMode.ASSIGN, rules.optimizer_weights())
    created = Assignment.objects.bulk_create(
        [Assignment(organization_id=p.enterprise_id, officer_id=p.officer_id,
                    reason=f"optimizer:{p.reason}") for p in solution.pairs], batch_size=2000)
    AssignmentDetail.objects.bulk_create(
        [AssignmentDetail(assignment=a, source=AssignmentSource.OPTIMIZER,
                          distance_m=p.distance_m, industry_match=p.industry_match,
                          same_area=p.same_area)
         for a, p in zip(created, solution.pairs, strict=True)], batch_size=2000)
    summary.after_bulk_write(Assignment)  # bulk_create sends no signal
    ctx.log(f"    optimizer: {len(solution.pairs)} enterprises, {solution.graphs} graph(s), "
            f"{solution.seconds:.1f} s, {solution.total_distance_m / 1000:.0f} km in total")
    return len(solution.pairs)


def _backdate_assignments(start: date) -> None:
    """The demo's pairs have existed for a year, so the quarterly plan applies to them."""
    moment = timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time()))
    Assignment.objects.filter(ended_at__isnull=True).update(started_at=moment)


def build_visits(ctx: DemoContext, today: date) -> int:
    """About one visit per enterprise per quarter for a year; some are missed (overdue lists),
    a few enterprises are visited too often (无事不扰), some visits raise demands."""
    rng = ctx.rng
    start = rules.quarter_start(today - timedelta(days=365))
    _backdate_assignments(start)
    pairs = list(Assignment.objects.filter(ended_at__isnull=True).values_list(
        "organization_id", "officer_id", "organization__contact_name"))
    quarters = []
    q = start
    while q <= today:
        quarters.append(q)
        q = rules.next_quarter_start(q)
    visits = []
    for org_id, officer_id, contact in pairs:
        skip_last = rng.random() < 0.08  # missed the previous quarter: overdue now
        for q_start in quarters:
            q_end = min(rules.next_quarter_start(q_start) - timedelta(days=1), today)
            if q_start == rules.previous_quarter_start(today) and skip_last:
                continue
            if q_start == rules.quarter_start(today) and (skip_last or rng.random() < 0.5):
                continue  # the current quarter is only half done
            days = (q_end - q_start).days
            times = 3 if rng.random() < 0.004 else 1
            visit_day = q_start + timedelta(days=rng.randint(0, max(0, days)))
            for k in range(times):
                day = min(today, visit_day + timedelta(days=k * 3))
                demands = rng.choice(DEMANDS) if rng.random() < 0.12 else ""
                visits.append(Visit(
                    officer_id=officer_id, organization_id=org_id, visited_on=day,
                    met_person=contact or "企业负责人",
                    discussed=f"了解企业经营情况，宣讲{rng.choice(TOPICS)}政策",
                    demands=demands, demands_resolved=bool(demands) and rng.random() < 0.7))
    Visit.objects.bulk_create(visits, batch_size=5000)
    return len(visits)


PROJECTS = [
    # name, enterprise, investment (亿元), milestones (kind, planned, actual or None), problem
    ("卡涑科技新能源汽车零部件项目", "重庆卡涑科技有限公司", 10.0, [
        ("signed", date(2022, 5, 10), date(2022, 5, 10)),
        ("landed", date(2022, 8, 4), date(2022, 8, 4)),
        ("started", date(2022, 8, 20), date(2022, 8, 18)),
        ("producing", date(2022, 11, 10), date(2022, 11, 8))],
     "厂房装修与设备进场同步推进，需协调电力增容"),
    ("华峰化工120万吨/年己二酸扩建项目", "重庆华峰化工有限公司", 60.0, [
        ("signed", date(2023, 3, 1), date(2023, 3, 1)),
        ("landed", date(2023, 6, 1), date(2023, 6, 20)),
        ("started", date(2023, 9, 1), date(2023, 10, 8)),
        ("producing", None, None)], "环评批复时间较长"),
    ("华峰锦纶纤维差别化锦纶项目", "重庆华峰锦纶纤维有限公司", 25.0, [
        ("signed", date(2024, 2, 1), date(2024, 2, 1)),
        ("landed", date(2024, 5, 1), date(2024, 5, 1)),
        ("started", date(2024, 8, 1), date(2024, 9, 1)),
        ("producing", None, None)], ""),
]
GENERIC_PROJECTS = ["智能装备制造基地项目", "榨菜精深加工产业园项目", "锂电新材料一期项目",
                    "冷链物流中心项目", "页岩气综合利用项目", "数字经济产业园项目",
                    "高端食品加工项目"]


def build_projects(ctx: DemoContext, today: date) -> int:
    rng = ctx.rng
    named = ctx.data.get("named_organizations", {})
    departments = ctx.data["departments"]
    count = 0
    for name, org_name, investment, milestones, problem in PROJECTS:
        organization = named.get(org_name) or Organization.objects.get(name=org_name)
        count += _project(name, organization, investment, departments["jingxinwei"], milestones,
                          problem, today)
    big = list(Organization.objects.filter(rules.needs_officer_q(), industry="C")
               .exclude(name__in=[p[1] for p in PROJECTS]).order_by("-employees", "id")[:20])
    for i, name in enumerate(GENERIC_PROJECTS):
        organization = big[i % len(big)]
        signed = today - timedelta(days=rng.randint(200, 700))
        plan = [("signed", signed, signed),
                ("landed", signed + timedelta(days=90), None),
                ("started", signed + timedelta(days=180), None),
                ("custom:设备安装调试", signed + timedelta(days=300), None),
                ("producing", signed + timedelta(days=420), None)]
        done_upto = rng.randint(1, 4)
        filled = []
        for k, (kind, planned, _actual) in enumerate(plan):
            actual = None
            if k < done_upto and planned + timedelta(days=10) <= today:
                actual = min(today, planned + timedelta(days=rng.randint(-10, 40)))
            filled.append((kind, planned, actual))
        count += _project(name, organization, round(rng.uniform(3, 30), 1),
                          departments[rng.choice(["jingxinwei", "shangwuwei", "fagai"])], filled,
                          rng.choice(["", "施工用地手续待办", "配套道路建设滞后"]), today)
    return count


def _project(name, organization, investment, department, milestones, problem, today) -> int:
    current = Assignment.objects.filter(organization=organization, ended_at__isnull=True).first()
    project = MajorProject.objects.create(
        name=name, organization=organization, investment=investment, department=department,
        officer_id=current.officer_id if current else None)
    rows = []
    last = today
    for kind, planned, actual in milestones:
        label = ""
        if kind.startswith("custom:"):
            kind, label = "custom", kind.split(":", 1)[1]
        planned = planned or last + timedelta(days=180)
        last = planned
        rows.append(Milestone(project=project, kind=kind, label=label, planned_on=planned,
                              actual_on=actual))
    Milestone.objects.bulk_create(rows)
    if problem:
        ProjectProblem.objects.create(project=project, text=problem,
                                      raised_on=min(today, rows[0].planned_on + timedelta(days=30)))
    return 1


def _own_random(ctx: DemoContext) -> random.Random:
    """A copy of the demo's generator: this step draws a lot, and later steps must see the same
    random stream whatever this step does (their figures and names stay put)."""
    rng = random.Random()
    rng.setstate(ctx.rng.getstate())
    return rng


def build(ctx: DemoContext) -> None:
    ctx = dataclasses.replace(ctx, rng=_own_random(ctx))
    today = timezone.localdate()
    officers = build_officers(ctx)
    assigned = assign_all(ctx)
    visits = build_visits(ctx, today)
    projects = build_projects(ctx, today)
    ctx.log(f"    {len(officers)} officers, {assigned} assignments, {visits} visits, "
            f"{projects} major projects")
    demo = ServiceOfficer.objects.get(user__username="demo_officer")
    if not Assignment.objects.filter(officer=demo, ended_at__isnull=True).exists():
        raise RuntimeError("the demo officer got no enterprise")  # the demo relies on it
    ctx.logins.append(("officer", "demo_officer", "敦仁街道"))


STEP = DemoStep(order=40, name="service", build=build)
