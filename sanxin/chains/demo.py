"""Demo step: four industry chains with their links, member enterprises at every link, the joint
party committee of each (a 功能型党委 whose members are the enterprises' branches), supply and
need posts, the deals struck on the best proposed matches, and a problem per chain.

Committees and branches are looked up first (the party step, order 20, may have made them)."""
from datetime import date
from decimal import Decimal

from sanxin.demo.steps import DemoContext, DemoStep
from sanxin.pairings.demo import party_org_for
from sanxin.party.models import PartyOrganization
from sanxin.registry.codes import DISTRICT_CODE
from sanxin.registry.models import Area, Organization

from .models import Chain, ChainLink, ChainMember, ChainProblem, Deal, Post
from .selectors import propose_matches

MEMBERS_PER_LINK = 3
YEAR = date(2024, 1, 1), date(2024, 12, 31)

# name, description, committee name, committee area suffix, [(stage, step, industries)],
# named enterprises {step: [names]}
CHAINS = [
    ("化工新材料", "以白涛化工园区为核心的聚氨酯、己二酸、锦纶新材料产业链",
     "化工新材料产业链联合党委", "P02",
     [("upstream", "基础化工原料", "CB"), ("midstream", "己二酸与聚氨酯原液", "C"),
      ("midstream", "锦纶切片与纤维", "C"), ("downstream", "纺织与制品", "CF")],
     {"己二酸与聚氨酯原液": ["重庆华峰化工有限公司"], "锦纶切片与纤维": ["重庆华峰锦纶纤维有限公司"]}),
    ("新能源汽车零部件", "涪陵高新区电池材料、电机与零部件总成产业链",
     "新能源汽车零部件产业链联合党委", "P01",
     [("upstream", "电池材料", "C"), ("midstream", "电芯与电机", "C"),
      ("midstream", "零部件总成", "C"), ("downstream", "整车配套与售后", "CFO")],
     {"零部件总成": ["重庆卡涑科技有限公司"]}),
    ("涪陵榨菜", "青菜头种植、腌制加工、包装到物流销售的榨菜全产业链",
     "涪陵榨菜产业链联合党委", "",
     [("upstream", "青菜头种植", "A"), ("midstream", "腌制加工", "CA"),
      ("midstream", "包装材料", "C"), ("downstream", "物流与销售", "GF")], {}),
    ("页岩气", "焦石页岩气田勘探开发、集输净化与综合利用产业链",
     "页岩气产业链联合党委", "121",
     [("upstream", "勘探开发服务", "BM"), ("midstream", "集输与净化", "BDE"),
      ("downstream", "燃气与化工利用", "DC")], {}),
]

# chain → [(organization's step, kind, offer, category, quantity, unit)]
POSTS = {
    "化工新材料": [("己二酸与聚氨酯原液", "supply", "product", "己二酸", 50000, "吨"),
                   ("锦纶切片与纤维", "need", "product", "己二酸", 12000, "吨"),
                   ("纺织与制品", "need", "product", "己二酸", 800, "吨"),
                   ("锦纶切片与纤维", "supply", "product", "锦纶切片", 20000, "吨"),
                   ("纺织与制品", "need", "product", "锦纶切片", 3000, "吨"),
                   ("基础化工原料", "supply", "service", "危化品运输", 200, "车次"),
                   ("己二酸与聚氨酯原液", "need", "service", "危化品运输", 120, "车次")],
    "新能源汽车零部件": [("电池材料", "supply", "product", "正极材料", 600, "吨"),
                         ("电芯与电机", "need", "product", "正极材料", 400, "吨"),
                         ("零部件总成", "supply", "product", "复合材料结构件", 50000, "件"),
                         ("整车配套与售后", "need", "product", "复合材料结构件", 12000, "件")],
    "涪陵榨菜": [("青菜头种植", "supply", "product", "青菜头", 30000, "吨"),
                 ("腌制加工", "need", "product", "青菜头", 8000, "吨"),
                 ("包装材料", "supply", "product", "包装袋", 2000000, "个"),
                 ("腌制加工", "need", "product", "包装袋", 500000, "个"),
                 ("物流与销售", "supply", "service", "冷链物流", 300, "车次")],
    "页岩气": [("集输与净化", "supply", "product", "天然气", 5000, "万立方米"),
               ("燃气与化工利用", "need", "product", "天然气", 1200, "万立方米"),
               ("勘探开发服务", "supply", "service", "压裂技术服务", 40, "井次")],
}

PROBLEMS = {
    "化工新材料": "园区危化品停车场车位不足",
    "新能源汽车零部件": "高技能工人招聘难",
    "涪陵榨菜": "青菜头收购季运力紧张",
    "页岩气": "井场周边道路维护责任不清",
}


def _committee(name: str, area: Area) -> PartyOrganization:
    found = PartyOrganization.objects.filter(name=name).order_by("id").first()
    return found or PartyOrganization.objects.create(name=name, kind="functional_committee",
                                                     area=area)


def _pool(ctx: DemoContext, industries: str, area_code: str, taken: set[int]) -> list:
    qs = Organization.objects.filter(domain="enterprise", status="operating",
                                     industry__in=list(industries), latitude__isnull=False)
    local_qs = qs.filter(area__code=area_code).exclude(id__in=taken) if area_code else qs.none()
    local = list(local_qs.order_by("id")[:60])
    rest = list(qs.exclude(id__in=taken).order_by("id")[:200])
    ctx.rng.shuffle(local)
    ctx.rng.shuffle(rest)
    return local + [o for o in rest if o not in local]


def build_chain(ctx: DemoContext, spec) -> Chain:
    name, description, committee_name, area_suffix, steps, named = spec
    area = Area.objects.get(code=DISTRICT_CODE + area_suffix)
    chain = Chain.objects.create(name=name, description=description,
                                 committee=_committee(committee_name, area))
    taken: set[int] = set()
    for position, (stage, step, industries) in enumerate(steps, start=1):
        link = ChainLink.objects.create(chain=chain, stage=stage, name=step, position=position)
        orgs = [o for o in (Organization.objects.filter(name=n).first()
                            for n in named.get(step, [])) if o is not None]
        taken.update(o.id for o in orgs)  # a named organization is never drawn again
        pool = _pool(ctx, industries, DISTRICT_CODE + area_suffix if area_suffix else "", taken)
        orgs += pool[:MEMBERS_PER_LINK - len(orgs)]
        for org in orgs:
            taken.add(org.id)
            named_org = org.name in named.get(step, [])
            branch = party_org_for(org) if named_org else PartyOrganization.objects.filter(
                units=org).order_by("id").first()
            ChainMember.objects.create(chain=chain, link=link, organization=org, branch=branch)
    return chain


def build_market(ctx: DemoContext, chain: Chain) -> None:
    members = {}
    for member in chain.members.select_related("link").order_by("id"):
        members.setdefault(member.link.name, []).append(member)
    for i, (step, kind, offer, category, quantity, unit) in enumerate(POSTS[chain.name]):
        candidates = members.get(step, [])
        if not candidates:
            continue
        member = candidates[0] if kind == "supply" else candidates[i % len(candidates)]
        Post.objects.create(member=member, chain=chain, organization_id=member.organization_id,
                            kind=kind, offer=offer, category=category,
                            quantity=Decimal(quantity), unit=unit, starts_on=YEAR[0],
                            ends_on=YEAR[1])
    # the first need of each category gets a deal with its best proposal
    done: set[str] = set()
    for need in chain.posts.filter(kind="need").order_by("id"):
        best = propose_matches(need, limit=1)
        if need.category in done or not best:
            continue
        done.add(need.category)
        supply = best[0].post
        Deal.objects.create(chain=chain, supply=supply, need=need,
                            quantity=min(supply.quantity, need.quantity) / 2,
                            agreed_on=date(2024, 3, 15), distance_km=best[0].distance_km,
                            note="产业链联合党委撮合")
    first = chain.members.order_by("id").first()
    ChainProblem.objects.create(chain=chain, title=PROBLEMS[chain.name], raised_on=date(2024, 5, 10),
                                raised_by=first.organization if first else None)


def build(ctx: DemoContext) -> None:
    for spec in CHAINS:
        chain = build_chain(ctx, spec)
        build_market(ctx, chain)


STEP = DemoStep(order=75, name="chains", build=build)
