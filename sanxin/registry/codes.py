"""Fuling district's township-level units and departments (domain README, code lists)."""

DISTRICT_CODE = "500102"
DISTRICT_NAME = "涪陵区"

# (suffix, name, kind, weight of organizations for the demo)
TOWNSHIP_UNITS: list[tuple[str, str, str, float]] = [
    ("006", "敦仁街道", "subdistrict", 8), ("007", "崇义街道", "subdistrict", 8),
    ("008", "荔枝街道", "subdistrict", 8), ("009", "江北街道", "subdistrict", 6),
    ("010", "江东街道", "subdistrict", 6), ("011", "李渡街道", "subdistrict", 6),
    ("012", "龙桥街道", "subdistrict", 4), ("013", "白涛街道", "subdistrict", 4),
    ("014", "马鞍街道", "subdistrict", 4), ("015", "蔺市街道", "subdistrict", 3),
    ("016", "义和街道", "subdistrict", 3),
    ("103", "南沱镇", "town", 1.5), ("107", "青羊镇", "town", 1.5), ("118", "百胜镇", "town", 1.5),
    ("119", "珍溪镇", "town", 1.5), ("120", "清溪镇", "town", 1.5), ("121", "焦石镇", "town", 1.5),
    ("122", "马武镇", "town", 1.2), ("123", "龙潭镇", "town", 1.2), ("125", "新妙镇", "town", 1.2),
    ("126", "石沱镇", "town", 1.2), ("128", "同乐镇", "town", 1.0), ("129", "大顺镇", "town", 1.0),
    ("130", "增福镇", "town", 1.0), ("131", "罗云镇", "town", 1.0),
    ("206", "大木乡", "township", 0.6), ("208", "武陵山乡", "township", 0.6),
]

# Parks have no statistical code of their own: we give them P01, P02 under the district.
PARKS: list[tuple[str, str, float]] = [("P01", "涪陵高新区", 6), ("P02", "白涛化工园区", 3)]

# (code, name, kind)
DEPARTMENTS: list[tuple[str, str, str]] = [
    ("jingxinwei", "区经济信息委", "industry"),
    ("shangwuwei", "区商务委", "industry"),
    ("minzhengju", "区民政局", "industry"),
    ("jiaotongju", "区交通局", "industry"),
    ("youzhengju", "区邮政管理局", "industry"),
    ("nongyewei", "区农业农村委", "industry"),
    ("zhujianwei", "区住房城乡建委", "industry"),
    ("kejiju", "区科技局", "industry"),
    ("wenlvwei", "区文化旅游委", "industry"),
    ("weijianwei", "区卫生健康委", "industry"),
    ("jiaowei", "区教委", "industry"),
    ("shuiwu", "区税务局", "functional"),
    ("renshe", "区人力社保局", "functional"),
    ("shichang", "区市场监管局", "functional"),
    ("guihua", "区规划自然资源局", "functional"),
    ("shengtai", "区生态环境局", "functional"),
    ("jinrong", "区金融发展中心", "functional"),
    ("fagai", "区发展改革委", "functional"),
    ("yingji", "区应急管理局", "functional"),
    ("sifa", "区司法局", "functional"),
    ("nengyuan", "区能源保供专班", "functional"),
]

# GB/T 4754 section → the industry authority that leads it.
AUTHORITY_BY_INDUSTRY: dict[str, str] = {
    "A": "nongyewei", "B": "jingxinwei", "C": "jingxinwei", "D": "jingxinwei",
    "E": "zhujianwei", "F": "shangwuwei", "G": "jiaotongju", "H": "shangwuwei",
    "I": "kejiju", "J": "shangwuwei", "K": "zhujianwei", "L": "shangwuwei", "M": "kejiju",
    "N": "zhujianwei", "O": "shangwuwei", "P": "jiaowei", "Q": "weijianwei", "R": "wenlvwei",
    "S": "minzhengju", "T": "minzhengju",
}
