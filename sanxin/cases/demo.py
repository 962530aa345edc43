"""Demo step: a year of cases matching the source — 628 problems, 239 good suggestions, 68
demands solved "一企一策" — and demands across departments with realistic timelines: most closed
and rated, some returned, extended, reopened after an unsatisfied rating, some overdue. Demands
raised on a visit are the 诉求 recorded on the service step's visits, linked to the visit and raised
by the officer who made it and serves the enterprise. Rows are built in memory and written with
bulk_create (cases, events, handlers, extensions, rectification tasks, notifications)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from sanxin.accounts.models import Role, User
from sanxin.core import calendar
from sanxin.demo.steps import DEMO_PASSWORD, DemoContext, DemoStep
from sanxin.registry.models import Department, Organization

from . import rules
from .defaults import seed_defaults
from .models import (
    Case,
    CaseEvent,
    CaseHandler,
    Category,
    DeadlineRule,
    ExtensionRequest,
    Notification,
    RectificationTask,
)

PROBLEMS, GOOD_SUGGESTIONS, PLAIN_SUGGESTIONS, DEMANDS, TAILORED = 628, 239, 120, 1500, 68
FRESH_PENDING = 12   # demands raised in the last hours, still awaiting dispatch
DAYS = 365
ANSWER = "经{dept}协调办理：{what}。如有疑问请联系经办人。"
DEMAND_TOPICS = {
    "financing": ["申请稳岗贷款贴息", "流动资金贷款续贷", "融资担保费补贴"],
    "employment": ["招聘技术工人困难", "员工社保转移", "职业技能培训补贴"],
    "land": ["扩建用地指标", "厂房规划调整", "土地证办理"],
    "licensing": ["安全生产许可证延续", "排污许可证变更", "食品经营许可"],
    "policy": ["研发费用加计扣除兑现", "专精特新奖励兑现", "技改补助申报"],
    "utilities": ["园区停电频繁", "天然气增容", "供水压力不足"],
    "logistics": ["货车通行证", "厂区道路破损", "物流园区停车"],
    "legal": ["合同纠纷调解", "欠款追讨", "知识产权侵权"],
    "talent": ["高层次人才落户", "研发人员子女入学", "人才公寓申请"],
    "other": ["周边噪声投诉", "企业开办咨询", "党建活动场地"],
}
DEMAND_WEIGHTS = [14, 14, 8, 12, 14, 10, 8, 6, 6, 8]   # in DEMAND_TOPICS' order
LEAD_BY_CATEGORY = {
    "financing": "jinrong", "employment": "renshe", "land": "guihua", "licensing": "shichang",
    # 职能部门 only (an industry authority such as 区交通局 handles no case).
    "policy": "fagai", "utilities": "nengyuan", "logistics": "fagai", "legal": "sifa",
    "talent": "renshe", "other": "shichang",
}
PROBLEM_TOPICS = ["车间安全通道堆放杂物", "班组交接记录不全", "夜班食堂供餐不足", "宿舍热水供应不稳定",
                  "设备点检流于形式", "员工技能晋升通道不明", "仓储物料标识混乱", "加班调休落实不到位"]
SUGGESTION_TOPICS = ["建立党员先锋岗轮值制度", "推行班前十分钟安全讲评", "设立职工创新工作室",
                     "优化原料采购招标流程", "开展师带徒结对", "建设职工书屋", "推进数字化车间改造"]


# A visit's demand text → the category of the case raised from it (first keyword that matches).
VISIT_CATEGORY_KEYWORDS = [("贷款", "financing"), ("融资", "financing"), ("招聘", "employment"),
                           ("住宿", "employment"), ("入学", "talent"), ("人才", "talent"),
                           ("补贴", "policy"), ("用电", "utilities"), ("扩容", "utilities"),
                           ("道路", "logistics"), ("环评", "licensing"), ("验收", "licensing"),
                           ("许可", "licensing")]


@dataclass(frozen=True)
class DemoVisit:
    pk: int
    organization_id: int
    officer_user_id: int
    day: date
    demand: str

    @property
    def category_code(self) -> str:
        return next((code for word, code in VISIT_CATEGORY_KEYWORDS if word in self.demand), "other")


def _visits_with_demands(now: datetime, served: dict[int, int], officer: User | None,
                         rng: random.Random) -> list[DemoVisit]:
    """The year's visits that recorded demands, by the officer who still serves the enterprise;
    the demo officer's first (its login shows demands raised from its visits), then shuffled."""
    from sanxin.service.models import Visit

    since = (now - timedelta(days=DAYS)).date()
    rows = (Visit.objects.exclude(demands="").filter(visited_on__gte=since)
            .values_list("pk", "organization_id", "officer__user_id", "visited_on", "demands")
            .order_by("pk"))
    visits = [DemoVisit(pk, org, user, day, demands.splitlines()[0].strip()[:120])
              for pk, org, user, day, demands in rows if served.get(org) == user and demands.strip()]
    own = [v for v in visits if officer is not None and v.officer_user_id == officer.pk]
    rest = [v for v in visits if officer is None or v.officer_user_id != officer.pk]
    rng.shuffle(rest)
    return own + rest


@dataclass
class Built:
    cases: list[Case] = field(default_factory=list)
    events: list[list[tuple]] = field(default_factory=list)  # per case: (action, from, to, actor, at, note, data)
    co_handlers: list[list[Department]] = field(default_factory=list)
    extensions: list[list[dict]] = field(default_factory=list)


class Clock:
    """Deadline rules read once (the table is edited rarely)."""

    def __init__(self):
        self.rules = {(r.urgency, r.category_id): r for r in DeadlineRule.objects.all()}

    def deadline(self, case: Case, start: datetime) -> datetime:
        rule = self.rules.get((case.urgency, case.category_id)) or self.rules.get((case.urgency, None))
        if rule and rule.hours:
            return start + timedelta(hours=rule.hours)
        return calendar.working_days_deadline(start, rule.working_days if rule else 7)

    def response_due(self, case: Case, dispatched: datetime) -> datetime:
        if case.urgency == "urgent":
            return dispatched + timedelta(hours=rules.RESPONSE_HOURS_URGENT)
        return calendar.working_days_deadline(dispatched, rules.RESPONSE_WORKING_DAYS)


def _department_users(ctx: DemoContext, departments: dict[str, Department]) -> dict[int, User]:
    """One login per handling department (the registry step made 区税务局 and 区经济信息委)."""
    password = make_password(DEMO_PASSWORD)
    users: dict[int, User] = {}
    for role in Role.objects.filter(kind="department").select_related("user"):
        users.setdefault(role.department_id, role.user)
    for code in sorted(set(LEAD_BY_CATEGORY.values())):
        dept = departments[code]
        if dept.pk not in users:
            user = User.objects.create(username=f"demo_{code}", full_name=dept.name, password=password)
            Role.objects.create(user=user, kind="department", department=dept)
            users[dept.pk] = user
    return users


def build(ctx: DemoContext) -> None:
    seed_defaults(Category, DeadlineRule)
    rng = ctx.rng
    now = timezone.now().replace(microsecond=0)
    departments = {d.code: d for d in Department.objects.all()}
    dept_users = _department_users(ctx, departments)
    district = User.objects.get(username="demo_district")
    officer = User.objects.filter(username="demo_officer").first()
    categories = {c.code: c for c in Category.objects.all()}
    orgs = list(Organization.objects.filter(domain="enterprise", status="operating")
                .values_list("id", flat=True))
    contacts = {r.organization_id: r.user for r in Role.objects.filter(kind="organization")
                .select_related("user")}
    from sanxin.service.models import Assignment

    served = dict(Assignment.objects.filter(ended_at__isnull=True)
                  .values_list("organization_id", "officer__user_id"))
    clock = Clock()
    built = Built()
    sim = Simulator(rng, now, clock, departments, dept_users, district, contacts, served, officer)
    visits = _visits_with_demands(now, served, officer, rng)

    def demand(code: str, **options) -> None:   # at a random enterprise, on one of the code's topics
        sim.case(built, "demand", rng.choice(orgs), categories[code], code, rng.choice(DEMAND_TOPICS[code]),
                 **options)

    # Whatever the clock, every category (so every handling department) has a dispatched demand
    # and a few demands raised this morning await dispatch on the district's desk.
    fresh = ctx.scaled(FRESH_PENDING, minimum=2)
    for code in DEMAND_TOPICS:
        demand(code, source="contact", created=now - timedelta(days=rng.uniform(30, DAYS)))
    for _ in range(fresh):
        code = rng.choice(list(DEMAND_TOPICS))
        demand(code, source="hotline", created=now - timedelta(hours=rng.uniform(0.5, 6)), pending=True)
    tailored = ctx.scaled(TAILORED)
    for _ in range(tailored):   # 一企一策: solved, so raised long enough ago to have closed
        code = rng.choices(list(DEMAND_TOPICS), DEMAND_WEIGHTS)[0]
        demand(code, tailored=True, source=rng.choice(["contact", "hotline"]))
    for _ in range(ctx.scaled(DEMANDS) - len(DEMAND_TOPICS) - fresh - tailored):
        code = rng.choices(list(DEMAND_TOPICS), DEMAND_WEIGHTS)[0]
        source = rng.choices(["visit", "contact", "hotline"], [50, 35, 15])[0]
        if source == "visit" and visits:
            visit = visits.pop(0)
            code = visit.category_code
            sim.case(built, "demand", visit.organization_id, categories[code], code, visit.demand,
                     source="visit", visit=visit)
            continue
        demand(code, source="contact" if source == "visit" else source)
    for _ in range(ctx.scaled(PROBLEMS)):
        code = rng.choice(["employment", "other", "licensing", "utilities"])
        sim.case(built, "problem", rng.choice(orgs), categories[code], code, rng.choice(PROBLEM_TOPICS))
    for good, count in ((True, GOOD_SUGGESTIONS), (False, PLAIN_SUGGESTIONS)):
        for _ in range(ctx.scaled(count)):
            sim.case(built, "suggestion", rng.choice(orgs), categories["other"], "other",
                     rng.choice(SUGGESTION_TOPICS), good=good)
    _write(built, rng, now, dept_users)
    ctx.log(f"    cases: {len(built.cases)}")


class Simulator:
    """Walks one case through the workflow with plausible delays and outcomes."""

    def __init__(self, rng, now, clock, departments, dept_users, district, contacts, served, officer):
        self.rng, self.now, self.clock = rng, now, clock
        self.departments, self.dept_users = departments, dept_users
        self.district, self.contacts, self.served, self.officer = district, contacts, served, officer

    def case(self, built: Built, kind: str, org_id: int, category, code: str, topic: str,
             tailored: bool = False, good: bool = False, source: str = "collected",
             visit: DemoVisit | None = None, created: datetime | None = None,
             pending: bool = False) -> None:
        rng, now = self.rng, self.now
        created = created or now - timedelta(days=rng.uniform(0, DAYS), hours=rng.uniform(0, 8))
        if tailored:
            created = now - timedelta(days=rng.uniform(60, DAYS))
        if visit is not None:   # raised on the visit, that day, by the officer who made it
            created = min(now - timedelta(minutes=10), timezone.make_aware(
                datetime.combine(visit.day, time(9)) + timedelta(hours=rng.uniform(0, 8))))
        urgency = rng.choices(["urgent", "normal", "complex"], [6, 78, 16])[0]
        officer_id = self.served.get(org_id)
        contact = self.contacts.get(org_id)
        raiser = contact if source == "contact" and contact else (
            User(pk=officer_id) if officer_id and source == "visit" else self.district)
        case = Case(kind=kind, title=topic, description=f"{topic}，请协调解决。",
                    organization_id=org_id, category=category, urgency=urgency, source=source,
                    hotline_ticket=f"12345-{created:%Y%m%d}-{len(built.cases):05d}" if source == "hotline" else None,
                    collector_level=rng.choices(["front_line", "middle", "leader"], [60, 28, 12])[0]
                    if kind == "problem" else "",
                    is_good_suggestion=good, tailored_solution=tailored, raised_by_id=raiser.pk,
                    officer_id=officer_id, visit_id=visit.pk if visit else None, state="pending")
        events: list[tuple] = [("raise", "", "pending", raiser.pk, created, "", {"source": source})]
        handlers: list[Department] = []
        extensions: list[dict] = []
        if not pending:
            self._walk(case, code, created, events, handlers, extensions, tailored)
        case.created_at = created
        # Raising gives version 1 and every transition raises it once (automatic events do not).
        case.version = len([e for e in events if not e[0].startswith("auto_")])
        built.cases.append(case)
        built.events.append(events)
        built.co_handlers.append(handlers)
        built.extensions.append(extensions)

    def _walk(self, case, code, t, events, handlers, extensions, tailored) -> None:
        rng, now = self.rng, self.now
        age = (now - t).days
        if age < 1 and rng.random() < 0.7:
            return   # still awaiting dispatch
        lead = self.departments[LEAD_BY_CATEGORY[code]]
        if rng.random() < 0.07 and not tailored:   # 退单 once, then dispatched right
            wrong = self.departments[rng.choice(["shuiwu", "shichang", "renshe", "fagai"])]
            t = self._dispatch(case, t, wrong, events)
            t += timedelta(hours=rng.uniform(1, 20))
            events.append(("return", "dispatched", "pending", self._user(wrong), t,
                           "不属于本部门职责，请重新派单", {}))
            case.return_count += 1
            case.lead_department = None
        if rng.random() < 0.2:
            co = self.departments[rng.choice(["shuiwu", "renshe", "shichang", "guihua"])]
            handlers += [co] if co != lead else []
        t = self._dispatch(case, t, lead, events, handlers)
        lead_user = self._user(lead)
        sign_delay = timedelta(hours=rng.choice([0.5, 2, 5, 20, 30]) if rng.random() < 0.93 else rng.uniform(30, 80))
        if case.urgency == "urgent":
            sign_delay = timedelta(minutes=rng.uniform(5, 90))
        if t + sign_delay > now:
            return
        t += sign_delay
        case.signed_at, case.deadline, case.state = t, self.clock.deadline(case, t), "signed"
        events.append(("sign", "dispatched", "signed", lead_user, t, "已电话联系企业", {}))
        t += timedelta(hours=rng.uniform(1, 24))
        if t > now:
            return
        events.append(("start", "signed", "handling", lead_user, t, "", {}))
        case.state = "handling"
        if case.deadline - case.signed_at > timedelta(days=3) and rng.random() < 0.06:
            asked = min(t + timedelta(days=1), case.deadline - timedelta(hours=2))
            approved = rng.random() < 0.75
            extensions.append({"requested_at": asked, "working_days": 5, "approved": approved,
                               "by": lead_user})
            events.append(("request_extension", "handling", "handling", lead_user, asked,
                           "需现场踏勘并会商相关部门", {"working_days": 5}))
            decided = asked + timedelta(hours=4)
            if approved:
                case.deadline = rules.extended_deadline(case.deadline, 5)
                case.extension_count += 1
            events.append(("approve_extension" if approved else "refuse_extension", "handling",
                           "handling", self.district.pk, decided, "" if approved else "期限足够", {}))
        span = (case.deadline - case.signed_at)
        if not tailored and age < 120 and rng.random() < 0.06:   # stuck: past its deadline, no answer yet
            if now > case.deadline:
                events.append(("auto_supervise", "handling", "handling", None,
                               case.deadline + timedelta(hours=1), "自动督办：已超期未答复", {}))
            return
        late = not tailored and rng.random() < 0.07
        answer_at = case.signed_at + (span * rng.uniform(0.2, 0.95) if not late
                                      else span * rng.uniform(1.05, 1.6))
        if answer_at > now:
            if now > case.deadline:
                events.append(("auto_supervise", "handling", "handling", None, case.deadline + timedelta(hours=1),
                               "自动督办：已超期未答复", {}))
            return
        self._answer(case, answer_at, events, lead_user, lead)
        self._rate_and_close(case, answer_at, events, lead_user, lead, tailored)

    def _dispatch(self, case, t, dept, events, co_handlers=()) -> datetime:
        t += timedelta(hours=self.rng.uniform(0.2, 20) if case.urgency != "urgent" else self.rng.uniform(0.05, 0.5))
        case.lead_department = dept
        case.dispatched_at = t
        case.first_dispatched_at = case.first_dispatched_at or t
        case.response_due = self.clock.response_due(case, t)
        case.state = "dispatched"
        data = {"lead_department": dept.pk}
        if co_handlers:   # as services._event_data writes it: the case page reads it
            data["co_handlers"] = [d.pk for d in co_handlers]
        events.append(("dispatch", "pending", "dispatched", self.district.pk, t, "", data))
        return t

    def _answer(self, case, t, events, lead_user, lead) -> None:
        case.answer = ANSWER.format(dept=lead.name, what="已按政策办理完毕" if self.rng.random() < 0.85
                                    else "暂不符合政策条件，已说明原因并提供替代方案")
        case.answered_at, case.state = t, "answered"
        events.append(("answer", case.state, "answered", lead_user, t, case.answer, {}))

    def _rate_and_close(self, case, t, events, lead_user, lead, tailored) -> None:
        rng, now = self.rng, self.now
        rater = self.contacts.get(case.organization_id)
        rater_id = rater.pk if rater else (case.officer_id or self.district.pk)
        t += timedelta(days=rng.uniform(0.5, 4))
        if t > now:
            return
        if not tailored and rng.random() < 0.06:   # 不满意 → 重办
            events.append(("rate", "answered", "rated", rater_id, t, "答复未解决实际问题",
                           {"rating": "unsatisfied", "resolved": False}))
            events.append(("reopen", "rated", "handling", rater_id, t, "答复未解决实际问题", {}))
            case.reopen_count += 1
            case.deadline = self.clock.deadline(case, t)
            t2 = t + (case.deadline - t) * rng.uniform(0.3, 0.9)
            if t2 > now:
                case.state, case.answered_at = "handling", None
                return
            self._answer(case, t2, events, lead_user, lead)
            t = t2 + timedelta(days=rng.uniform(0.5, 3))
            if t > now:
                return
        rating = "satisfied" if tailored else rng.choices(["satisfied", "basic"], [85, 15])[0]
        resolved = tailored or rng.random() < 0.92
        case.rating, case.resolved, case.rated_at, case.state = rating, resolved, t, "rated"
        events.append(("rate", "answered", "rated", rater_id, t, "", {"rating": rating, "resolved": resolved}))
        t += timedelta(days=rng.uniform(0.2, 2))
        if t > now:
            return
        case.closed_at, case.state = t, "closed"
        events.append(("close", "rated", "closed", self.district.pk, t, "", {}))

    def _user(self, dept: Department) -> int | None:
        user = self.dept_users.get(dept.pk)
        return user.pk if user else None


def _write(built: Built, rng: random.Random, now: datetime, dept_users: dict[int, User]) -> None:
    created = Case.objects.bulk_create(built.cases, batch_size=1000)
    # created_at is auto_now_add: put the simulated raising time back.
    Case.objects.bulk_update(
        [Case(pk=c.pk, created_at=b.created_at) for c, b in zip(created, built.cases, strict=True)],
        ["created_at"], batch_size=1000)
    events, handlers, extensions, tasks, notices = [], [], [], [], []
    for case, case_events, co, exts in zip(created, built.events, built.co_handlers, built.extensions,
                                           strict=True):
        for action, src, dst, actor, at, note, data in case_events:
            events.append(CaseEvent(case_id=case.pk, action=action, from_state=src, to_state=dst,
                                    actor_id=actor, at=at, note=note, data=data))
        handlers += [CaseHandler(case_id=case.pk, department=d) for d in co]
        for ext in exts:
            extensions.append(ExtensionRequest(
                case_id=case.pk, requested_by_id=ext["by"] or case.raised_by_id,
                requested_at=ext["requested_at"], working_days=ext["working_days"],
                reason="需现场踏勘并会商相关部门",
                state="approved" if ext["approved"] else "refused",
                decided_at=ext["requested_at"] + timedelta(hours=4)))
        if case.kind == "problem" or case.is_good_suggestion:
            tasks += _rectification(case, rng, now)
        if case.state in ("dispatched", "signed", "handling") and case.lead_department_id in dept_users:
            notices.append(Notification(user=dept_users[case.lead_department_id], case_id=case.pk,
                                        message=f"请办理：{case.title}"))
    CaseEvent.objects.bulk_create(events, batch_size=2000)
    _settle_visits(created)
    CaseHandler.objects.bulk_create(handlers, batch_size=2000, ignore_conflicts=True)
    ExtensionRequest.objects.bulk_create(extensions, batch_size=1000)
    RectificationTask.objects.bulk_create(tasks, batch_size=1000)
    Notification.objects.bulk_create(notices, batch_size=2000)


def _settle_visits(cases: list[Case]) -> None:
    """A visit's demands are settled when the case raised from it is closed, open otherwise."""
    from sanxin.service.models import Visit

    for settled in (True, False):
        Visit.objects.filter(pk__in=[c.visit_id for c in cases if c.visit_id
                                     and (c.state == "closed") is settled]).update(demands_resolved=settled)


def _rectification(case: Case, rng: random.Random, now: datetime) -> list[RectificationTask]:
    if case.state not in ("answered", "rated", "closed") or rng.random() < 0.15:
        return []
    deadline = (case.answered_at or now).date() + timedelta(days=rng.randint(10, 60))
    done = deadline < now.date() or rng.random() < 0.5
    progress = 100 if done else rng.choice([20, 40, 60, 80])
    return [RectificationTask(
        case_id=case.pk, title=f"整改：{case.title}", owner=rng.choice(["生产部", "行政部", "人力资源部", "安环部"]),
        deadline=deadline, progress=progress, evidence="整改前后照片及制度文件" if done else "",
        completed_at=timezone.make_aware(datetime.combine(deadline, datetime.min.time())) if done else None, created_by_id=case.raised_by_id)]


STEP = DemoStep(order=50, name="cases", build=build)
