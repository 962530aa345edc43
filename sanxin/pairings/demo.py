"""Demo step: 35 pairings (结对子), 12 brands with their case studies (4 national), among them the
菜乡结绳 branch's "红结金绳" (2023 全国企业党建优秀品牌) with its story from the source.

The party step (order 20) may or may not have created the party organizations this step needs:
each is looked up first (the one covering the organization, then by name) and created only if
missing. Awarding bodies other than the 2023 national brand are illustrative."""
from datetime import date, timedelta

from django.core.files.base import ContentFile

from sanxin.demo.steps import DemoContext, DemoStep
from sanxin.party.models import PartyOrganization
from sanxin.registry.codes import DISTRICT_CODE
from sanxin.registry.models import Area, Organization

from .banners import SIZE, banner_png
from .models import (
    Brand,
    BrandPhoto,
    CaseStudy,
    Honour,
    LeaderKind,
    Pairing,
    PairingActivity,
    PairingProblem,
)

PAIRINGS = 35
CAIXIANG = "涪陵菜乡结绳文化传播有限公司"
HONGJIE_STORY = (
    "“公司党支部去年才成立，很多工作都不大清楚怎么入手，还好有选派的党建指导员上门‘手把手’指导。”"
    "涪陵菜乡结绳文化传播有限公司党支部书记王战瑜说。菜乡结绳以党建工作为统领，先后帮助3000余名"
    "“贫疾弱残”社会困难群体人员“活出了尊严，改变了命运”，帮助数十户贫困户彻底摘掉了“穷帽子”，"
    "让数百户困难户和城市困难家庭改变了生活面貌。7月，菜乡结绳党支部打造的“红结金绳”党建品牌，"
    "成功入选“2023年度全国企业党建优秀品牌”。\n\n"
    "菜乡结绳党支部主动投身乡村振兴，培育地区特色非遗文化产业，以“3+3+3”就业创业模式助力农民实现"
    "年增收4000元/人。")

ORGANS = ["区委组织部机关党支部", "区委统战部机关党支部", "区工商联机关党支部", "区总工会机关党支部",
          "团区委机关党支部", "区妇联机关党支部", "区委宣传部机关党支部", "区财政局机关党支部",
          "区人力社保局机关党支部", "区市场监管局机关党支部", "区税务局机关党支部", "区发展改革委机关党支部"]
DEPARTMENTS = ["区经济信息委机关党委", "区商务委机关党委", "区农业农村委机关党委", "区交通局机关党委",
               "区科技局机关党委", "区住房城乡建委机关党委", "区民政局机关党委", "区文化旅游委机关党委"]
VILLAGES = ["大坪", "双河", "金龙", "凤阳", "石龙", "新民", "红光", "永兴", "龙泉", "高峰", "银杏",
            "桂花", "黄桷", "青杠", "太和"]
GOALS = ["组织联建、党员联育、活动联办、发展联促", "帮助企业建立健全党组织，规范三会一课",
         "助力企业解决用工、融资、用地等实际困难", "共建党员先锋岗，带动职工技能提升",
         "村企联动发展特色产业，助农增收"]
ACTIVITIES = ["联合主题党日", "共上专题党课", "政策宣讲进企业", "志愿服务进社区", "技能培训交流",
              "重温入党誓词", "走访困难职工", "结对座谈会"]
PROBLEMS = [("招工难，一线岗位缺员", "联合人力社保部门开展专场招聘"),
            ("融资渠道少", "对接金融机构办理信用贷款"),
            ("用地手续办理慢", "协调规划自然资源部门加快审批"),
            ("党员教育管理不规范", "派驻指导员帮助建立组织生活制度"),
            ("物流成本高", "对接园区物流企业共享运力"),
            ("产品销路窄", "组织参加农特产品展销会")]

# (brand, slogan, party organization name or None = the covering one, organization name or None,
#  case title, level, year, honour, awarding body, domain)
BRANDS = [
    ("红结金绳", "一根红绳结同心，党建引领助振兴", CAIXIANG,
     "“红结金绳”：非遗结绳技艺带动困难群体就业增收", "national", 2023, "2023年度全国企业党建优秀品牌",
     "全国企业党建优秀品牌评选组委会"),
    ("追光耀华峰", "坚定不移听党话、矢志不渝跟党走", "重庆华峰化工有限公司",
     "党建引领补链延链强链：华峰化工年产200万吨之路", "national", 2023, "全国企业党建创新案例",
     "全国企业党建创新案例评选组委会"),
    ("锦纶先锋", "党员骨干结对带徒，锻造锦纶铁军", "重庆华峰锦纶纤维有限公司",
     "党员骨干结对指导，锦纶纤维提质增效", "national", 2022, "全国企业党建创新案例",
     "全国企业党建创新案例评选组委会"),
    ("卡涑速度", "签约到投产不到半年", "重庆卡涑科技有限公司",
     "“卡涑速度”：党建护航项目落地投产", "national", 2023, "全国企业党建创新案例",
     "全国企业党建创新案例评选组委会"),
    ("怡心为民", "红色物业暖民心", "重庆海源怡生活服务集团有限公司",
     "红色物业融入城市社区治理", "municipal", 2023, "重庆市非公有制企业党建示范品牌",
     "中共重庆市委两新工委"),
]
GENERIC_BRANDS = [("红色引擎", "党建强、发展强", "municipal"), ("先锋领航", "一名党员一面旗", "municipal"),
                  ("匠心向党", "技能报国、匠心筑梦", "district"), ("红链聚力", "链上党建、链上发展", "district"),
                  ("初心驿站", "服务暖心、党员在身边", "district"), ("绿色党建", "生态优先、绿色发展", "district"),
                  ("红心闪耀", "小支部、大作为", "district")]


def party_org_for(org: Organization, name: str | None = None) -> PartyOrganization:
    """The party organization covering `org`; by name; or a new 党支部 of its own."""
    found = PartyOrganization.objects.filter(units=org).order_by("id").first()
    name = name or f"{org.name}党支部"
    found = found or PartyOrganization.objects.filter(name=name).order_by("id").first()
    if found is None:
        found = PartyOrganization.objects.create(name=name, kind="branch", area=org.area)
        found.units.add(org)
    return found


def _partners(ctx: DemoContext, count: int) -> list[Organization]:
    """Enterprises with a party organization when the party step made some, then any others."""
    base = Organization.objects.filter(domain="enterprise", status="operating").order_by("id")
    with_party = list(base.filter(party_organizations__isnull=False).distinct()[:400])
    rest = list(base.exclude(id__in=[o.id for o in with_party])[:400])
    ctx.rng.shuffle(with_party)
    ctx.rng.shuffle(rest)
    return (with_party + rest)[:count]


def build_pairings(ctx: DemoContext) -> None:
    rng = ctx.rng
    root = Area.objects.get(code=DISTRICT_CODE)
    partners = _partners(ctx, PAIRINGS)
    caixiang = Organization.objects.filter(name=CAIXIANG).first()
    if caixiang and caixiang not in partners:
        partners[0] = caixiang
    for i, org in enumerate(partners):
        branch = PartyOrganization.objects.filter(units=org).order_by("id").first()
        if i < 12:
            kind, name, area = LeaderKind.ORGAN, ORGANS[i], root
        elif i < 20:
            kind, name, area = LeaderKind.DEPARTMENT, DEPARTMENTS[i - 12], root
        else:
            area = org.area
            kind = LeaderKind.VILLAGE
            suffix = "社区" if area.kind in ("subdistrict", "park") else "村"
            name = f"{area.name}{VILLAGES[i - 20]}{suffix}党支部"
        started = date(2021, 3, 1) + timedelta(days=rng.randint(0, 900))
        pairing = Pairing.objects.create(
            leader_kind=kind, leader_name=name, leader_area=area, organization=org,
            partner_party_org=branch, started_on=started, goals=rng.choice(GOALS))
        PairingActivity.objects.bulk_create(
            PairingActivity(pairing=pairing, held_on=started + timedelta(days=30 * (k + 1)),
                            title=rng.choice(ACTIVITIES), participants=rng.randint(8, 60))
            for k in range(rng.randint(1, 4)))
        PairingProblem.objects.bulk_create(
            PairingProblem(pairing=pairing, title=title, solution=solution,
                           solved_on=started + timedelta(days=rng.randint(20, 400)))
            for title, solution in rng.sample(PROBLEMS, rng.randint(0, 3)))


def build_brands(ctx: DemoContext) -> None:
    rng = ctx.rng
    used: set[int] = set()
    for name, slogan, org_name, title, level, year, honour, body in BRANDS:
        org = Organization.objects.filter(name=org_name).first()
        if org is None:
            continue
        party_org = party_org_for(org)
        used.add(party_org.pk)
        story = HONGJIE_STORY if name == "红结金绳" else f"{party_org.name}以党建统领生产经营，{slogan}。"
        brand = Brand.objects.create(party_organization=party_org, name=name, slogan=slogan,
                                     story=story)
        case = CaseStudy.objects.create(party_organization=party_org, brand=brand, title=title,
                                        summary=story, year=year)
        Honour.objects.create(case_study=case, title=honour, level=level, year=year,
                              awarding_body=body)
    named = {row[2] for row in BRANDS}
    candidates = iter(o for o in _partners(ctx, 80) if o.name not in named)
    for name, slogan, level in GENERIC_BRANDS:
        party_org = next(p for p in map(party_org_for, candidates) if p.pk not in used)
        used.add(party_org.pk)
        brand = Brand.objects.create(party_organization=party_org, name=name, slogan=slogan,
                                     story=f"{party_org.name}打造“{name}”党建品牌：{slogan}。")
        year = rng.choice([2021, 2022, 2023])
        case = CaseStudy.objects.create(party_organization=party_org, brand=brand,
                                        title=f"“{name}”：{slogan}", summary=brand.story, year=year)
        body = "中共重庆市委两新工委" if level == "municipal" else "中共涪陵区委两新工委"
        title = "重庆市非公有制企业党建示范品牌" if level == "municipal" else "涪陵区“两新”党建优秀品牌"
        Honour.objects.create(case_study=case, title=title, level=level, year=year,
                              awarding_body=body)
    ctx.data["brands"] = Brand.objects.count()


def add_banners() -> None:
    """One generated banner per brand (a real PNG, through the same storage as uploads)."""
    for number, brand in enumerate(Brand.objects.filter(photos__isnull=True).order_by("id"), 1):
        content = ContentFile(banner_png(brand.name, brand.slogan, number),
                              name=f"brand-{brand.pk}.png")
        BrandPhoto.objects.create(brand=brand, image=content, width=SIZE[0], height=SIZE[1],
                                  caption=f"“{brand.name}”党建品牌")


def build(ctx: DemoContext) -> None:
    build_pairings(ctx)
    build_brands(ctx)
    add_banners()


STEP = DemoStep(order=70, name="pairings", build=build)
