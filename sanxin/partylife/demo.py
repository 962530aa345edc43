"""Demo step (order 60): a year of party life on top of the party step's organizations.

Meetings from 1 January (of the year before, until April: `records_start`) to today across every
party organization, most branches compliant and some not (missing and made-up meetings, a few
chronic absentees); study for every member; study places per area; the source's vanguard units
(13 production lines, 45 pioneer posts, 11 research teams, 217 volunteer teams); 海源怡生活's 112
volunteering members with about 200 services and 16 caring events; applicants at every stage of
development and intake plans per area.

If the party step has not created party organizations (it is built separately), this step
creates a small, clearly named set of its own so that party life can be shown.
"""
import dataclasses
import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from sanxin.accounts.models import Role, User
from sanxin.demo.steps import DEMO_PASSWORD, DemoContext, DemoStep, records_start
from sanxin.party.models import Member, PartyOrganization
from sanxin.registry.models import Area, Organization

from . import rules
from .models import (
    Achievement,
    Attendance,
    AttendanceStatus,
    Candidate,
    DevelopmentStage,
    IntakePlan,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PlaceKind,
    StudyPlace,
    StudyRecord,
    VanguardKind,
    VanguardUnit,
    VolunteerActivity,
    VolunteerKind,
    VolunteerParticipation,
)

HAIYUANYI = "重庆海源怡生活服务集团有限公司"
HAIYUANYI_TEAM = "海源怡生活“红色物业”党员志愿队"
VANGUARD_FIGURES = {VanguardKind.PRODUCTION_LINE: 13, VanguardKind.PIONEER_POST: 45,
                    VanguardKind.RESEARCH_TEAM: 11, VanguardKind.VOLUNTEER_TEAM: 217}
HAIYUANYI_VOLUNTEERS, HAIYUANYI_SERVICES, HAIYUANYI_CARING = 112, 200, 16
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "红梅", "文静", "国庆", "小龙"]
TOPICS = {
    MeetingKind.BRANCH_GENERAL: ["学习贯彻党的二十大精神", "讨论发展党员", "通报支部工作", "学习新修订的纪律处分条例"],
    MeetingKind.BRANCH_COMMITTEE: ["研究月度工作计划", "研究党员发展对象", "部署主题党日活动", "研究党费收缴"],
    MeetingKind.GROUP: ["交流学习体会", "讨论生产一线难题", "学习身边榜样"],
    MeetingKind.LECTURE: ["书记讲党课：立足岗位作贡献", "党史专题党课", "新质生产力专题党课"],
    MeetingKind.THEME_DAY: ["重温入党誓词", "志愿服务进社区", "红色教育基地现场学习", "岗位建功主题活动"],
    MeetingKind.LIFE_MEETING: ["年度组织生活会"],
    MeetingKind.APPRAISAL: ["年度民主评议党员"],
    MeetingKind.ONSITE: ["816工程现场教学", "烈士陵园现场教学"],
}
STUDY_TOPICS = ["《习近平新时代中国特色社会主义思想学习纲要》", "党的二十大报告", "《中国共产党章程》",
                "学习强国每日答题", "《中国共产党纪律处分条例》", "涪陵榨菜产业发展专题", "安全生产法规",
                "党史学习", "民营经济促进政策"]
LEAVE_REASONS = ["倒班", "出差", "病假", "外出送货", "夜班休息", "家中有事"]
VOLUNTEER_TITLES = {
    VolunteerKind.ENVIRONMENT: ["小区环境清洁", "长江岸线捡拾垃圾", "背街小巷清理"],
    VolunteerKind.CARING: ["关爱空巢老人", "关爱留守儿童", "敬老院慰问", "困难群众走访"],
    VolunteerKind.COMMUNITY: ["便民维修服务", "社区义诊", "政策宣讲进小区"],
    VolunteerKind.CIVILIZATION: ["文明交通劝导", "文明城市创建"],
}


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _ensure_party_orgs(ctx: DemoContext) -> None:
    """Only when the party step made no party organizations: a small set of our own."""
    if PartyOrganization.objects.exists():
        return
    rng = ctx.rng
    ctx.log("  partylife: no party organizations yet; creating a small demo set for party life")
    orgs = list(Organization.objects.filter(is_sanyou=True, employees__gte=15)
                .select_related("area").order_by("id")[:ctx.scaled(60, minimum=5)])
    for org in orgs:
        branch = PartyOrganization.objects.create(name=f"{org.name}党支部", kind="branch",
                                                  area=org.area)
        branch.units.add(org)
        Member.objects.bulk_create(
            Member(name=_person(rng), status="full" if rng.random() < 0.9 else "probationary",
                   party_organization=branch, employer=org)
            for _ in range(rng.randint(3, 14)))
    haiyuanyi = Organization.objects.filter(name=HAIYUANYI).first()
    if haiyuanyi:
        committee = PartyOrganization.objects.create(name="海源怡生活党委", kind="committee",
                                                     area=haiyuanyi.area)
        committee.units.add(haiyuanyi)
        for i, name in enumerate(["物业一支部", "物业二支部", "家政服务支部", "机关支部"]):
            branch = PartyOrganization.objects.create(
                name=f"海源怡生活{name}", kind="branch", area=haiyuanyi.area, parent=committee)
            branch.units.add(haiyuanyi)
            Member.objects.bulk_create(
                Member(name=_person(rng), status="full", party_organization=branch,
                       employer=haiyuanyi)
                for _ in range(ctx.scaled(32 if i < 3 else 24, minimum=3)))


class _Tree:
    """Party organizations, their members and their subtrees, read once."""

    def __init__(self):
        self.orgs = list(PartyOrganization.objects.select_related("area").order_by("id"))
        self.by_id = {o.pk: o for o in self.orgs}
        self.children: dict[int, list[int]] = {}
        for org in self.orgs:
            if org.parent_id:
                self.children.setdefault(org.parent_id, []).append(org.pk)
        self.members: dict[int, list[tuple[int, str]]] = {}
        for pk, org_id, status in Member.objects.values_list("id", "party_organization_id",
                                                             "status").order_by("id"):
            self.members.setdefault(org_id, []).append((pk, status))
        self.units: dict[int, list[int]] = {}
        through = PartyOrganization.units.through
        for org_id, unit_id in through.objects.values_list("partyorganization_id",
                                                           "organization_id"):
            self.units.setdefault(org_id, []).append(unit_id)

    def subtree(self, org_id: int) -> list[int]:
        out, frontier = [org_id], [org_id]
        while frontier:
            frontier = [c for pk in frontier for c in self.children.get(pk, [])]
            out.extend(frontier)
        return out

    def tree_members(self, org_id: int) -> list[int]:
        return [pk for o in self.subtree(org_id) for pk, _s in self.members.get(o, [])]


def _required_kinds(org: PartyOrganization, members: list[tuple[int, str]]) -> list:
    facts = rules.BranchFacts(kind=org.kind, full_members=sum(1 for _p, s in members if s == "full"))
    return [r for r in rules.FREQUENCY_RULES if r.applies(facts)]


def build_meetings(ctx: DemoContext, tree: _Tree, today: date) -> None:
    rng = ctx.rng
    first = records_start(today)
    chronic = set()
    meetings: list[Meeting] = []
    attendance_plan: list[list[tuple[int, str, str, date | None]]] = []
    out_of_compliance = 0
    for org in tree.orgs:
        members = tree.members.get(org.pk, [])
        if org.kind not in rules.BRANCH_KINDS:
            # committees and general branches: a lecture each quarter for the whole tree
            member_ids = tree.tree_members(org.pk)
            for start in rules.periods_between(first, today, rules.Period.QUARTER):
                day = start + timedelta(days=rng.randint(5, 60))
                if day <= today and member_ids:
                    meetings.append(_meeting(rng, org, MeetingKind.LECTURE, day))
                    attendance_plan.append(_attendance(rng, member_ids, day, today, chronic))
            continue
        if not members:
            continue
        chronic.update(pk for pk, _s in members if rng.random() < 0.01)
        profile = rng.choices(["good", "patchy", "poor"], [72, 22, 6])[0]
        skip = {"good": 0.0, "patchy": 0.18, "poor": 0.55}[profile]
        out_of_compliance += profile != "good"
        member_ids = [pk for pk, _s in members]
        for rule in _required_kinds(org, members):
            for start in rules.periods_between(first, today, rule.period):
                end = min(rules.period_end(start, rule.period), today)
                counts_for = None
                day = start + timedelta(days=rng.randint(0, (end - start).days))
                if rng.random() < skip:
                    if rng.random() > 0.35:
                        continue  # missed
                    counts_for = start  # made up (补开) a few days into the next period
                    day = rules.period_end(start, rule.period) + timedelta(days=rng.randint(3, 20))
                    if day > today:
                        continue
                meetings.append(_meeting(rng, org, rule.meeting_kind, day, counts_for))
                attendance_plan.append(_attendance(rng, member_ids, day, today, chronic))
        if rng.random() < 0.15:
            day = first + timedelta(days=rng.randint(60, max(61, (today - first).days)))
            if day <= today:
                meetings.append(_meeting(rng, org, MeetingKind.ONSITE, day))
                attendance_plan.append(_attendance(rng, member_ids, day, today, chronic))
        if rng.random() < 0.3:  # next month's theme day, already planned
            meetings.append(Meeting(party_organization=org, kind=MeetingKind.THEME_DAY,
                                    status=MeetingStatus.PLANNED,
                                    held_on=rules.period_end(today, rules.Period.MONTH)
                                    + timedelta(days=rng.randint(1, 20)),
                                    topic=rng.choice(TOPICS[MeetingKind.THEME_DAY])))
            attendance_plan.append([])
    for meeting, plan in zip(meetings, attendance_plan, strict=True):
        _set_counts(meeting, plan)
    Meeting.objects.bulk_create(meetings, batch_size=2000)
    rows = ((meeting.pk, pk, status, reason, made_up, "观看会议录像并提交心得" if made_up else "")
            for meeting, plan in zip(meetings, attendance_plan, strict=True)
            for pk, status, reason, made_up in plan)
    _insert_rows(Attendance, ["meeting", "member", "status", "reason", "made_up_on",
                              "made_up_note"], rows)
    ctx.log(f"  partylife: {len(meetings)} meetings; {out_of_compliance} branches out of compliance")


def _meeting(rng, org, kind, day, counts_for=None) -> Meeting:
    online = rng.random() < 0.15
    return Meeting(party_organization=org, kind=kind, held_on=day, counts_for=counts_for,
                   online=online, location="" if online else rng.choice(["党员活动室", "会议室", "学习角"]),
                   topic=rng.choice(TOPICS[kind]), materials="学习材料见附件",
                   minutes="会议由支部书记主持，传达学习有关精神，与会党员交流发言。")


def _attendance(rng, member_ids, day, today, chronic) -> list:
    plan = []
    for pk in member_ids:
        roll = rng.random()
        absent_p = 0.6 if pk in chronic else 0.04
        if roll < absent_p:
            status, reason = AttendanceStatus.ABSENT, ""
        elif roll < absent_p + 0.07:
            status, reason = AttendanceStatus.LEAVE, rng.choice(LEAVE_REASONS)
        else:
            status, reason = AttendanceStatus.PRESENT, ""
        made_up = None
        if status != AttendanceStatus.PRESENT and pk not in chronic and rng.random() < 0.6:
            made_up = min(today, day + timedelta(days=rng.randint(1, 10)))
        plan.append((pk, status, reason, made_up))
    return plan


def _set_counts(meeting: Meeting, plan) -> None:
    meeting.expected_count = len(plan)
    meeting.present_count = sum(1 for p in plan if p[1] == AttendanceStatus.PRESENT)
    meeting.leave_count = sum(1 for p in plan if p[1] == AttendanceStatus.LEAVE)
    meeting.absent_count = sum(1 for p in plan if p[1] == AttendanceStatus.ABSENT)
    meeting.made_up_count = sum(1 for p in plan if p[3])


def _insert_rows(model, field_names: list[str], rows, batch: int = 5000) -> int:
    """Plain executemany for the largest tables (attendance, study): hundreds of thousands of
    rows, where building a model instance per row costs more than the insert itself."""
    fields = [model._meta.get_field(name) for name in field_names]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"
    if connection.vendor == "postgresql":
        return _copy_rows(sql_table=connection.ops.quote_name(model._meta.db_table),
                          columns=columns, rows=rows)
    total, chunk = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                total, chunk = total + len(chunk), []
        if chunk:
            cursor.executemany(sql, chunk)
    return total + len(chunk)


def _copy_rows(*, sql_table: str, columns: str, rows) -> int:
    """PostgreSQL: COPY FROM STDIN through psycopg, several times faster than INSERTs."""
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {sql_table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _bulk(model, rows, batch: int = 5000) -> int:
    total, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            model.objects.bulk_create(chunk)
            total, chunk = total + len(chunk), []
    if chunk:
        model.objects.bulk_create(chunk)
    return total + len(chunk)


def build_places(ctx: DemoContext) -> dict[int, list[StudyPlace]]:
    rng = ctx.rng
    places = []
    for area in Area.objects.exclude(kind="district").order_by("code"):
        short = area.name[:-2] if len(area.name) > 2 else area.name
        places.append(StudyPlace(name=f"{short}党群服务中心学习角", kind=PlaceKind.CORNER, area=area,
                                 address=f"涪陵区{area.name}"))
        if rng.random() < 0.6:
            places.append(StudyPlace(name=f"{short}职工书屋", kind=PlaceKind.LIBRARY, area=area))
        if area.kind in ("park", "subdistrict"):
            places.append(StudyPlace(name=f"{short}工会之家", kind=PlaceKind.UNION_HOME, area=area))
    named = {"013": ("白涛816工程红色教育基地", PlaceKind.EDUCATION_BASE),
             "006": ("涪陵区革命烈士陵园教育基地", PlaceKind.EDUCATION_BASE)}
    for suffix, (name, kind) in named.items():
        area = Area.objects.filter(code=f"500102{suffix}").first()
        if area:
            places.append(StudyPlace(name=name, kind=kind, area=area))
    StudyPlace.objects.bulk_create(places)
    by_area: dict[int, list[StudyPlace]] = {}
    for place in StudyPlace.objects.all():
        by_area.setdefault(place.area_id, []).append(place)
    return by_area


def build_study(ctx: DemoContext, tree: _Tree, today: date, places) -> None:
    rng = ctx.rng
    first = records_start(today)
    span = (today - first).days

    now = connection.ops.adapt_datetimefield_value(timezone.now())

    def rows():
        for org in tree.orgs:
            area_places = [p.pk for p in places.get(org.area_id, [])]
            for pk, _status in tree.members.get(org.pk, []):
                if rng.random() < 0.06:
                    continue  # a few members with no study recorded: participation below 100%
                for _ in range(rng.randint(3, 9)):
                    online = rng.random() < 0.6
                    yield (now, now, pk, org.pk, first + timedelta(days=rng.randint(0, span)),
                           "online" if online else "offline", rng.choice(STUDY_TOPICS),
                           Decimal(rng.choice(["0.5", "1.0", "1.0", "1.5", "2.0", "3.0"])),
                           None if online or not area_places else rng.choice(area_places))

    count = _insert_rows(StudyRecord, ["created_at", "updated_at", "member", "party_organization",
                                       "studied_on", "mode", "topic", "hours", "place"], rows())
    ctx.log(f"  partylife: {count} study records")


def _vanguard_hosts(tree: _Tree, kind: str) -> list[PartyOrganization]:
    """Production lines and research teams in manufacturing and technology; others anywhere."""
    with_members = [o for o in tree.orgs if tree.tree_members(o.pk)]
    if kind in (VanguardKind.PRODUCTION_LINE, VanguardKind.RESEARCH_TEAM):
        industrial = set(Organization.objects.filter(industry__in=["C", "I", "M"])
                         .values_list("id", flat=True))
        preferred = [o for o in with_members if set(tree.units.get(o.pk, [])) & industrial]
        return preferred or with_members
    return with_members


VANGUARD_NAMES = {
    VanguardKind.PRODUCTION_LINE: ("党员生产线", ["安全零事故", "良品率提升到99.5%"]),
    VanguardKind.PIONEER_POST: ("党员先锋岗", ["服务零投诉", "岗位练兵比武第一"]),
    VanguardKind.RESEARCH_TEAM: ("党员科研攻坚队", ["攻克关键工艺", "申请发明专利"]),
    VanguardKind.VOLUNTEER_TEAM: ("党员志愿队", ["每月志愿服务不少于一次"]),
}


def build_vanguard(ctx: DemoContext, tree: _Tree, today: date) -> list[VanguardUnit]:
    """The source's counts by kind; 海源怡生活's volunteer team is one of the 217."""
    rng = ctx.rng
    units: list[VanguardUnit] = []
    memberships: list[list[int]] = []
    haiyuanyi = _haiyuanyi_org(tree)
    if haiyuanyi:
        units.append(VanguardUnit(kind=VanguardKind.VOLUNTEER_TEAM,
                                  name=HAIYUANYI_TEAM, party_organization=haiyuanyi,
                                  organization_id=tree.units[haiyuanyi.pk][0],
                                  goals="小区服务“零距离”，关爱一老一小",
                                  established_on=date(2019, 3, 5)))
        memberships.append(tree.tree_members(haiyuanyi.pk)[:ctx.scaled(HAIYUANYI_VOLUNTEERS)])
    for kind, figure in VANGUARD_FIGURES.items():
        hosts = _vanguard_hosts(tree, kind)
        if not hosts:
            ctx.log("  partylife: no party members, no vanguard units")
            return []
        suffix, goals = VANGUARD_NAMES[kind]
        reserved = 1 if haiyuanyi and kind == VanguardKind.VOLUNTEER_TEAM else 0
        for i in range(ctx.scaled(figure) - reserved):
            host = hosts[i % len(hosts)] if i < len(hosts) else rng.choice(hosts)
            unit_ids = tree.units.get(host.pk, [])
            pool = tree.tree_members(host.pk)
            units.append(VanguardUnit(
                kind=kind, name=f"{host.name.removesuffix('党支部')[:20]}{suffix}{i + 1}号",
                party_organization=host, organization_id=unit_ids[0] if unit_ids else None,
                goals=rng.choice(goals),
                established_on=today - timedelta(days=rng.randint(200, 2000))))
            memberships.append(rng.sample(pool, min(len(pool), rng.randint(3, 8))))
    VanguardUnit.objects.bulk_create(units)
    through = VanguardUnit.members.through
    _bulk(through, (through(vanguardunit_id=u.pk, member_id=m)
                    for u, ms in zip(units, memberships, strict=True) for m in ms))
    _bulk(Achievement, (Achievement(unit=u, achieved_on=today - timedelta(days=rng.randint(5, 300)),
                                    title=rng.choice(["获评区级先进集体", "完成年度攻坚任务",
                                                      "节能降耗成效显著", "服务群众获表扬"]))
                        for u in units for _ in range(rng.randint(1, 3))))
    return units


def build_volunteering(ctx: DemoContext, tree: _Tree, today: date,
                       units: list[VanguardUnit]) -> None:
    rng = ctx.rng
    first = records_start(today)
    span = (today - first).days
    activities: list[VolunteerActivity] = []
    parts: list[list[tuple[int, Decimal]]] = []

    def add(org, team, kind, members, size):
        chosen = rng.sample(members, min(len(members), size))
        hours = [Decimal(rng.choice(["1.0", "1.5", "2.0", "3.0", "4.0"])) for _ in chosen]
        activities.append(VolunteerActivity(
            party_organization=org, team=team, held_on=first + timedelta(days=rng.randint(0, span)),
            place=rng.choice(["社区广场", "敬老院", "滨江路", "小区", "学校"]), kind=kind,
            title=rng.choice(VOLUNTEER_TITLES[kind]), beneficiaries=rng.randint(5, 120),
            participant_count=len(chosen), total_hours=sum(hours, Decimal(0))))
        parts.append(list(zip(chosen, hours, strict=True)))

    haiyuanyi = _haiyuanyi_org(tree)
    team = next((u for u in units if u.name == HAIYUANYI_TEAM), None)
    if haiyuanyi and team:
        volunteers = tree.tree_members(haiyuanyi.pk)[:ctx.scaled(HAIYUANYI_VOLUNTEERS)]
        services = ctx.scaled(HAIYUANYI_SERVICES)
        caring = ctx.scaled(HAIYUANYI_CARING)
        for i in range(services):
            kind = VolunteerKind.CARING if i < caring else rng.choice(
                [VolunteerKind.ENVIRONMENT, VolunteerKind.COMMUNITY, VolunteerKind.CIVILIZATION])
            add(haiyuanyi, team, kind, volunteers, rng.randint(3, 10))
        # every volunteer took part at least once
        seen = {pk for p in parts for pk, _h in p}
        for pk in volunteers:
            if pk not in seen:
                target = rng.randrange(len(parts))
                parts[target].append((pk, Decimal("2.0")))
                activities[target].participant_count += 1
                activities[target].total_hours += Decimal("2.0")
        ctx.log(f"  partylife: {haiyuanyi.name}: {len(volunteers)} volunteers, {services} services")
    else:
        ctx.log("  partylife: no party organization covers 海源怡生活; its volunteering is skipped")
    for other in (u for u in units if u.kind == VanguardKind.VOLUNTEER_TEAM and u is not team):
        pool = tree.tree_members(other.party_organization_id)
        for _ in range(rng.randint(1, 3)):
            add(other.party_organization, other, rng.choice(list(VOLUNTEER_TITLES)), pool,
                rng.randint(3, 8))
    VolunteerActivity.objects.bulk_create(activities, batch_size=2000)
    _bulk(VolunteerParticipation, (VolunteerParticipation(activity=a, member_id=pk, hours=h)
                                   for a, p in zip(activities, parts, strict=True)
                                   for pk, h in p))


def _haiyuanyi_org(tree: _Tree) -> PartyOrganization | None:
    """The top party organization covering 海源怡生活 (its 党委 when it has one)."""
    unit = Organization.objects.filter(name=HAIYUANYI).values_list("id", flat=True).first()
    covering = [o for o in tree.orgs if unit in tree.units.get(o.pk, [])]
    covering.sort(key=lambda o: (o.parent_id in {c.pk for c in covering}, -len(tree.subtree(o.pk))))
    return covering[0] if covering and tree.tree_members(covering[0].pk) else None


def build_development(ctx: DemoContext, tree: _Tree, today: date) -> None:
    rng = ctx.rng
    branches = [o for o in tree.orgs if o.kind in rules.BRANCH_KINDS and tree.members.get(o.pk)]
    if not branches:
        return
    stages = list(DevelopmentStage)[:5]
    # Every stage at least once, whatever the scale; then the source's mix.
    candidates = [_candidate_at(rng, stage, branches, today) for stage in stages]
    for _ in range(ctx.scaled(320) - len(stages)):
        stage = rng.choices(stages, [30, 35, 12, 18, 5])[0]
        c = _draw_candidate(rng, stage, rng.choice(branches), today)
        if c is not None:
            candidates.append(c)
    Candidate.objects.bulk_create(candidates)
    through = Candidate.contacts.through
    _bulk(through, (through(candidate_id=c.pk, member_id=rng.choice(tree.members[c.party_organization_id])[0])
                    for c in candidates if c.activist_on))
    areas = Area.objects.exclude(kind="district").order_by("code")
    IntakePlan.objects.bulk_create(IntakePlan(area=a, year=today.year, planned=ctx.scaled(rng.randint(8, 30)),
                                              note=rng.choice(["一线职工", "青年骨干", "新就业群体", "专业技术人员"]))
                                   for a in areas)
    ctx.log(f"  partylife: {len(candidates)} candidates in development")


def _candidate_at(rng, stage: str, branches: list, today: date) -> Candidate:
    """A candidate at this stage, drawn again until all its dates are in the past."""
    while True:
        c = _draw_candidate(rng, stage, rng.choice(branches), today)
        if c is not None:
            return c


def _draw_candidate(rng, stage: str, org, today: date) -> Candidate | None:
    """One applicant's path to `stage` with plausible dates; None if it would end in the future."""
    applied = today - timedelta(days={"applicant": rng.randint(3, 80),
                                      "activist": rng.randint(60, 700),
                                      "candidate": rng.randint(420, 900),
                                      "probationary": rng.randint(500, 1100),
                                      "full": rng.randint(900, 1500)}[stage])
    talked = applied + timedelta(days=rng.randint(5, 40))
    c = Candidate(name=_person(rng), party_organization=org, stage=stage, applied_on=applied,
                  talked_on=talked if talked <= today and (stage != "applicant" or rng.random() < 0.6) else None,
                  birth_date=applied - timedelta(days=rng.randint(20 * 365, 40 * 365)))
    if stage != "applicant":
        c.activist_on = c.talked_on + timedelta(days=rng.randint(10, 60))
    if stage in ("candidate", "probationary", "full"):
        c.candidate_on = rules.earliest_candidate_date(c.activist_on) + timedelta(days=rng.randint(0, 60))
    if stage in ("probationary", "full"):
        c.admitted_on = c.candidate_on + timedelta(days=rng.randint(30, 90))
    if stage == "full":
        c.full_on = rules.probation_end(c.admitted_on)
    if any(d and d > today for d in (c.activist_on, c.candidate_on, c.admitted_on, c.full_on)):
        return None
    return c


def build_login(ctx: DemoContext) -> None:
    unit = Organization.objects.filter(name=HAIYUANYI).first()
    if unit is None or User.objects.filter(username="demo_haiyuanyi").exists():
        return
    user = User(username="demo_haiyuanyi", full_name="海源怡生活党委书记")
    user.set_password(DEMO_PASSWORD)
    user.save()
    Role.objects.create(user=user, kind="organization", organization=unit, title="党委书记")


def _own_random(ctx: DemoContext) -> random.Random:
    """A copy of the demo's generator: this step draws a lot, and later steps must see the same
    random stream whatever this step does (their figures and names stay put)."""
    rng = random.Random()
    rng.setstate(ctx.rng.getstate())
    return rng


def build(ctx: DemoContext) -> None:
    ctx = dataclasses.replace(ctx, rng=_own_random(ctx))
    today = timezone.localdate()
    _ensure_party_orgs(ctx)
    tree = _Tree()
    if not tree.members:
        ctx.log("  partylife: no party members; party life skipped")
        return
    places = build_places(ctx)
    build_meetings(ctx, tree, today)
    build_study(ctx, tree, today, places)
    units = build_vanguard(ctx, tree, today)
    build_volunteering(ctx, tree, today, units)
    build_development(ctx, tree, today)
    build_login(ctx)


STEP = DemoStep(order=60, name="partylife", build=build)
