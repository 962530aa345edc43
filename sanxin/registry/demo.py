"""Demo step: areas, departments, 21,600 organizations, the named ones, and a login per role."""
import math
import random
from datetime import date, timedelta

from stdnum.cn import uscc

from sanxin.accounts.models import Role, User
from sanxin.demo.steps import DEMO_PASSWORD, DemoContext, DemoStep

from .codes import (
    AUTHORITY_BY_INDUSTRY,
    DEPARTMENTS,
    DISTRICT_CODE,
    DISTRICT_NAME,
    PARKS,
    TOWNSHIP_UNITS,
)
from .models import Area, Department, Organization

CENTER = (29.703, 107.389)  # 涪陵 city centre (lat, lng)
ENTERPRISES, SOCIAL, NEW_EMPLOYMENT = 20_400, 800, 400

INDUSTRY_WEIGHTS = {"F": 30, "C": 15, "H": 10, "E": 8, "L": 8, "O": 7, "G": 5, "A": 5, "I": 4,
                    "K": 3, "M": 2, "R": 2, "N": 0.5, "P": 0.2, "Q": 0.2, "D": 0.3, "B": 0.2,
                    "J": 0.2}
WORDS = ["鑫盛", "华宇", "锦程", "恒达", "瑞丰", "宏远", "金桥", "天成", "嘉诚", "润泽", "兴旺", "永安", "长江", "乌江", "白鹤", "聚源", "汇通", "鼎盛", "博远", "信达", "德丰", "宏图", "佳和", "明辉", "昌隆", "富川", "新航", "众联", "立新", "康泰", "荣华", "泰和", "星辰", "海川", "卓越", "同创", "蓝天", "绿源", "金穗", "正阳"]
TRADE = {"A": ["农业", "生态农业", "榨菜"], "B": ["矿业"], "C": ["化工", "机械", "建材", "食品",
         "电子", "新材料", "纺织", "医药"], "D": ["能源", "燃气"], "E": ["建筑", "建设工程"],
         "F": ["商贸", "贸易", "超市"], "G": ["物流", "运输"], "H": ["餐饮", "酒店"],
         "I": ["科技", "信息技术", "软件"], "J": ["投资"], "K": ["置业", "物业服务"],
         "L": ["企业管理", "文化传播", "人力资源"], "M": ["检测", "设计研究"], "N": ["环境工程"],
         "O": ["家政服务", "汽车维修"], "P": ["培训"], "Q": ["诊所"], "R": ["文化", "体育"]}
SOCIAL_TOPICS = ["个体劳动者", "餐饮行业", "物流行业", "青年志愿者", "老年人", "书法家", "摄影家",
                 "企业家", "建筑业", "榨菜行业", "电子商务", "家政服务", "乡村旅游", "民宿",
                 "中小企业", "女企业家", "残疾人", "慈善", "社会工作", "心理健康"]
COURIER_BRANDS = ["顺丰速运", "中通快递", "圆通速递", "韵达快递", "申通快递", "京东物流",
                  "极兔速递", "中国邮政EMS"]


def _org_code(rng: random.Random) -> str:
    """An organization code (GB 11714): 8 characters and its check character."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "".join(rng.choice(alphabet[:10] if i < 2 else alphabet) for i in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def make_credit_code(rng: random.Random, authority: str, kind: str, seen: set[str]) -> str:
    while True:
        partial = authority + kind + DISTRICT_CODE + _org_code(rng)
        code = partial + uscc.calc_check_digit(partial)
        if code not in seen:
            seen.add(code)
            return code


def build_areas(ctx: DemoContext) -> dict[str, Area]:
    rng = ctx.rng
    district = Area.objects.create(code=DISTRICT_CODE, name=DISTRICT_NAME, kind="district",
                                   latitude=CENTER[0], longitude=CENTER[1])
    areas = {}
    for suffix, name, kind, _weight in TOWNSHIP_UNITS:
        spread = 0.06 if kind == "subdistrict" else 0.32
        angle = rng.uniform(0, 2 * math.pi)
        radius = rng.uniform(0.02, spread)
        areas[suffix] = Area(code=DISTRICT_CODE + suffix, name=name, kind=kind, parent=district,
                             latitude=CENTER[0] + radius * math.sin(angle),
                             longitude=CENTER[1] + 1.15 * radius * math.cos(angle))
    areas["P01"] = Area(code=DISTRICT_CODE + "P01", name=PARKS[0][1], kind="park",
                        parent=district, latitude=29.745, longitude=107.296)
    areas["P02"] = Area(code=DISTRICT_CODE + "P02", name=PARKS[1][1], kind="park",
                        parent=district, latitude=29.571, longitude=107.481)
    Area.objects.bulk_create(areas.values())
    by_code = {a.code: a for a in Area.objects.all()}
    ctx.data["district"] = district
    ctx.data["areas"] = by_code
    return by_code


def _weighted_areas(by_code: dict[str, Area]) -> tuple[list[Area], list[float]]:
    units = [(by_code[DISTRICT_CODE + s], w) for s, _n, _k, w in TOWNSHIP_UNITS]
    units += [(by_code[DISTRICT_CODE + s], w) for s, _n, w in PARKS]
    return [u for u, _ in units], [w for _, w in units]


def _near(rng: random.Random, area: Area) -> tuple[float, float]:
    spread = 0.012 if area.kind in ("subdistrict", "park") else 0.03
    return (round(area.latitude + rng.gauss(0, spread), 6),
            round(area.longitude + rng.gauss(0, spread * 1.15), 6))


def _employees(rng: random.Random) -> int:
    return max(0, int(rng.lognormvariate(1.9, 1.2)))


def _enterprise_name(rng: random.Random, industry: str, used: set[str]) -> str:
    while True:
        word = rng.choice(WORDS) + (rng.choice(WORDS) if rng.random() < 0.8 else "")
        prefix = rng.choice(["重庆", "重庆市涪陵区", "涪陵", "重庆"])
        form = rng.choice(["有限公司", "有限公司", "有限责任公司", "股份有限公司"])
        name = f"{prefix}{word}{rng.choice(TRADE.get(industry, ['实业']))}{form}"
        if name not in used:
            used.add(name)
            return name


def build_organizations(ctx: DemoContext, by_code: dict[str, Area],
                        departments: dict[str, Department]) -> None:
    rng = ctx.rng
    areas, weights = _weighted_areas(by_code)
    industries, ind_weights = zip(*INDUSTRY_WEIGHTS.items(), strict=True)
    seen_codes: set[str] = set()
    used_names: set[str] = set()
    rows: list[Organization] = []
    founded0 = date(2000, 1, 1)

    def add(name, domain, kind, area, industry, authority_code, credit_code, **extra):
        lat, lng = _near(rng, area)
        status = rng.choices(["operating", "suspended", "closed"], [92, 5, 3])[0]
        rows.append(Organization(
            name=name, credit_code=credit_code, domain=domain, kind=kind, area=area,
            industry=industry,
            authority=None if authority_code is None else departments[authority_code],
            status=status, has_premises=rng.random() < 0.9, latitude=lat, longitude=lng,
            address=f"{DISTRICT_NAME}{area.name}{rng.choice(WORDS)}路{rng.randint(1, 300)}号",
            contact_name=rng.choice("王李张刘陈杨黄赵周吴") + rng.choice(["伟", "芳", "强", "敏", "军", "静", "磊", "丽"]),
            contact_phone=f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}",
            established=founded0 + timedelta(days=rng.randint(0, 9000)), **extra))

    n_ent = ctx.scaled(ENTERPRISES)
    for _ in range(n_ent):
        area = rng.choices(areas, weights)[0]
        industry = "C" if area.code.endswith("P02") and rng.random() < 0.7 else rng.choices(
            industries, ind_weights)[0]
        individual = industry in "FHO" and rng.random() < 0.25
        authority = None if rng.random() < 0.015 else AUTHORITY_BY_INDUSTRY[industry]
        add(_enterprise_name(rng, industry, used_names), "enterprise",
            "sole_proprietor" if individual else "company", area, industry, authority,
            make_credit_code(rng, "9", "2" if individual else "1", seen_codes),
            employees=_employees(rng))
    social_kinds = [("social_group", "1", 350), ("social_service", "2", 350),
                    ("foundation", "3", 20), ("association", "1", 80)]
    for kind, code_kind, count in social_kinds:
        for i in range(ctx.scaled(count * SOCIAL // 800)):
            area = rng.choices(areas, weights)[0]
            topic = SOCIAL_TOPICS[i % len(SOCIAL_TOPICS)]
            name = {
                "social_group": f"涪陵区{area.name[:-2]}{topic}协会",
                "social_service": f"涪陵区{rng.choice(WORDS)}{topic}社会工作服务中心",
                "foundation": f"重庆市涪陵区{rng.choice(WORDS)}{topic}基金会",
                "association": f"涪陵区{topic}商会",
            }[kind]
            if name in used_names:
                name = f"{name[:-2]}{i + 1}{name[-2:]}"
            used_names.add(name)
            add(name, "social", kind, area, "S", "minzhengju",
                make_credit_code(rng, "5", code_kind, seen_codes), employees=_employees(rng))
    ne_kinds = [("courier", "youzhengju", 0.4), ("food_delivery", "shangwuwei", 0.25),
                ("ride_hail", "jiaotongju", 0.15), ("freight", "jiaotongju", 0.1),
                ("live_streaming", "shangwuwei", 0.1)]
    for kind, authority, share in ne_kinds:
        for i in range(ctx.scaled(int(NEW_EMPLOYMENT * share))):
            area = rng.choices(areas, weights)[0]
            name = {
                "courier": f"{rng.choice(COURIER_BRANDS)}涪陵{area.name[:-2]}{i + 1}号站点",
                "food_delivery": f"{rng.choice(['美团外卖', '饿了么'])}涪陵{area.name[:-2]}{i + 1}号站",
                "ride_hail": f"{rng.choice(['滴滴出行', '花小猪', 'T3出行'])}涪陵第{i + 1}车队",
                "freight": f"{rng.choice(['货拉拉', '满帮'])}涪陵{area.name[:-2]}司机之家{i + 1}",
                "live_streaming": f"涪陵{rng.choice(WORDS)}直播电商基地{i + 1}",
            }[kind]
            code = None if rng.random() < 0.15 else make_credit_code(rng, "9", "1", seen_codes)
            add(name, "new_employment", kind, area, "G" if kind != "live_streaming" else "I",
                authority, code, employees=rng.randint(2, 30), workers=rng.randint(5, 120))
    Organization.objects.bulk_create(rows, batch_size=2000)
    _add_named(ctx, by_code, departments, seen_codes)


NAMED = [
    # name, area suffix, industry, kind, employees, established
    ("重庆华峰化工有限公司", "P02", "C", "company", 2600, date(2010, 6, 18)),
    ("重庆华峰锦纶纤维有限公司", "P02", "C", "company", 1200, date(2017, 3, 2)),
    ("涪陵菜乡结绳文化传播有限公司", "008", "R", "company", 36, date(2016, 9, 9)),
    ("重庆卡涑科技有限公司", "P01", "C", "company", 320, date(2022, 8, 4)),
    ("重庆海源怡生活服务集团有限公司", "007", "K", "company", 860, date(2012, 4, 20)),
]


def _add_named(ctx: DemoContext, by_code, departments, seen_codes) -> None:
    rng = ctx.rng
    named = {}
    for name, suffix, industry, kind, employees, established in NAMED:
        area = by_code[DISTRICT_CODE + suffix]
        lat, lng = _near(rng, area)
        named[name] = Organization.objects.create(
            name=name, credit_code=make_credit_code(rng, "9", "1", seen_codes),
            domain="enterprise", kind=kind, area=area, industry=industry,
            authority=departments[AUTHORITY_BY_INDUSTRY[industry]], employees=employees,
            status="operating", has_premises=True, latitude=lat, longitude=lng,
            address=f"{DISTRICT_NAME}{area.name}", established=established,
            contact_name="联络员", contact_phone=f"139{rng.randint(0, 99999999):08d}")
    ctx.data["named_organizations"] = named


def _user(ctx: DemoContext, username: str, full_name: str, **role) -> User:
    user = User(username=username, full_name=full_name)
    user.set_password(DEMO_PASSWORD)
    user.save()
    Role.objects.create(user=user, **role)
    return user


def build_users(ctx: DemoContext, by_code, departments) -> None:
    named = ctx.data["named_organizations"]
    _user(ctx, "demo_district", "区委两新工委", kind="district", sees_personal_data=True,
          title="组织员")
    _user(ctx, "demo_dunren", "敦仁街道党工委", kind="area", area=by_code[DISTRICT_CODE + "006"])
    _user(ctx, "demo_gaoxin", "涪陵高新区党工委", kind="area", area=by_code[DISTRICT_CODE + "P01"])
    _user(ctx, "demo_jingxinwei", "区经济信息委", kind="department",
          department=departments["jingxinwei"])
    _user(ctx, "demo_shuiwu", "区税务局", kind="department", department=departments["shuiwu"])
    _user(ctx, "demo_huafeng", "华峰化工联络员", kind="organization",
          organization=named["重庆华峰化工有限公司"], title="企业联络员")
    _user(ctx, "demo_officer", "助企服务员 王敏", kind="officer")


def build(ctx: DemoContext) -> None:
    by_code = build_areas(ctx)
    Department.objects.bulk_create(Department(code=c, name=n, kind=k) for c, n, k in DEPARTMENTS)
    departments = {d.code: d for d in Department.objects.all()}
    ctx.data["departments"] = departments
    build_organizations(ctx, by_code, departments)
    build_users(ctx, by_code, departments)


STEP = DemoStep(order=10, name="registry", build=build)
