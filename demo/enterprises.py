"""The demo county's enterprises: the 33 key enterprises by name, and the others made up from
the county's industries (医疗器械 around 李渡 and 温圳, 烟花, 李渡的酒, 文港毛笔, 钢构, 食品…)."""

from __future__ import annotations

from dataclasses import dataclass

# Key enterprise: name, short name, industry, township, contact (name, title), the two department
# heads of its task force. The first four are the newspaper report's; their people are real.
KEY_ENTERPRISES = [
    ("江西进贤荣信钢构公司", "荣信钢构", "steel", "minhe", ("付登印", "董事长"), ("gxj", "zjj")),
    ("奕博集团", "奕博集团", "manufacturing", "kfq", ("杨斌", "总工程师"), ("rsj", "fgw")),
    ("江西桂柳家禽有限公司", "桂柳家禽", "food", "baiwei", None, ("nyj", "scjgj")),
    ("江西洪达医疗器械集团有限公司", "洪达医疗", "medical", "lidu", None, ("gxj", "scjgj")),
    ("江西李渡酒业有限公司", "李渡酒业", "liquor", "lidu", None, ("swj", "scjgj")),
    ("江西康瑞医疗器械有限公司", "康瑞医疗", "medical", "lidu", None, ("scjgj", "kjj")),
    ("江西恒泰医用材料有限公司", "恒泰医材", "medical", "wenzhen", None, ("gxj", "rsj")),
    ("江西华康卫生材料有限公司", "华康卫材", "medical", "wenzhen", None, ("scjgj", "xzspj")),
    ("江西瑞达医疗科技有限公司", "瑞达医疗", "medical", "wenzhen", None, ("kjj", "gxj")),
    ("江西博源输注器械有限公司", "博源输注", "medical", "lidu", None, ("scjgj", "jrb")),
    ("江西安康医用敷料有限公司", "安康敷料", "medical", "kfq", None, ("gxj", "swj")),
    ("进贤县鑫盛烟花爆竹有限公司", "鑫盛烟花", "fireworks", "jiaqiao", None, ("yjj", "scjgj")),
    ("江西华彩花炮制造有限公司", "华彩花炮", "fireworks", "qianfang", None, ("yjj", "sthjj")),
    ("进贤县文港华翰笔业有限公司", "华翰笔业", "culture", "wengang", None, ("swj", "gxj")),
    ("江西翰墨文化用品有限公司", "翰墨文化", "culture", "wengang", None, ("swj", "rsj")),
    ("江西宏远钢结构工程有限公司", "宏远钢构", "steel", "kfq", None, ("gxj", "zjj")),
    ("江西坚盾人防设备有限公司", "坚盾人防", "manufacturing", "kfq", None, ("gxj", "zjj")),
    ("江西军山湖水产食品有限公司", "军山湖水产", "food", "sanyangji", None, ("nyj", "swj")),
    ("进贤县金谷米业有限公司", "金谷米业", "food", "qili", None, ("nyj", "jrb")),
    ("江西中晶新材料有限公司", "中晶新材", "chemical", "kfq", None, ("sthjj", "kjj")),
    ("江西恒新高分子材料有限公司", "恒新材料", "chemical", "zhanggong", None, ("sthjj", "gxj")),
    ("江西睿芯电子科技有限公司", "睿芯电子", "electronics", "kfq", None, ("kjj", "rsj")),
    ("江西锦程服饰有限公司", "锦程服饰", "textile", "zhanggong", None, ("rsj", "swj")),
    ("江西鸿运机械制造有限公司", "鸿运机械", "manufacturing", "wenzhen", None, ("gxj", "jrb")),
    ("江西力拓汽车零部件有限公司", "力拓汽配", "manufacturing", "kfq", None, ("gxj", "fgw")),
    ("江西绿源生态农业发展有限公司", "绿源农业", "food", "ertang", None, ("nyj", "zrzyj")),
    ("江西赣星电缆有限公司", "赣星电缆", "electronics", "minhe", None, ("gxj", "scjgj")),
    ("江西天成新型建材有限公司", "天成建材", "steel", "luoxi", None, ("zjj", "zrzyj")),
    ("江西瑞丰光电科技有限公司", "瑞丰光电", "electronics", "wenzhen", None, ("kjj", "gxj")),
    ("江西欣悦食品有限公司", "欣悦食品", "food", "minhe", None, ("scjgj", "swj")),
    ("江西同创医疗器械有限公司", "同创医疗", "medical", "lidu", None, ("gxj", "xzspj")),
    ("江西永盛纸塑包装有限公司", "永盛包装", "other", "meizhuang", None, ("gxj", "sthjj")),
    ("江西康力生物科技有限公司", "康力生物", "chemical", "zhanggong", None, ("kjj", "scjgj")),
]
STEEL, YIBO, POULTRY, HONGDA = (k[0] for k in KEY_ENTERPRISES[:4])
# The demo cadre is paired with three enterprises; the demo leader heads three task forces.
CADRE_ENTERPRISES = (
    "江西进贤荣信钢构公司",
    "江西宏远钢结构工程有限公司",
    "江西坚盾人防设备有限公司",
)
LEADER_ENTERPRISES = ("江西进贤荣信钢构公司", "江西天成新型建材有限公司", "江西赣星电缆有限公司")

# The other enterprises: (industry, township, how many).
OTHER_ENTERPRISES = [
    ("medical", "lidu", 6),
    ("medical", "wenzhen", 6),
    ("medical", "kfq", 2),
    ("fireworks", "jiaqiao", 3),
    ("fireworks", "qianfang", 3),
    ("fireworks", "chixi", 2),
    ("food", "sanli", 2),
    ("food", "minhe", 2),
    ("food", "ertang", 2),
    ("food", "luoxi", 3),
    ("liquor", "lidu", 4),
    ("culture", "wengang", 10),
    ("steel", "kfq", 3),
    ("steel", "minhe", 2),
    ("steel", "wenzhen", 2),
    ("chemical", "kfq", 4),
    ("chemical", "zhanggong", 2),
    ("manufacturing", "kfq", 4),
    ("manufacturing", "minhe", 2),
    ("manufacturing", "zhanggong", 2),
    ("electronics", "kfq", 3),
    ("electronics", "wenzhen", 2),
    ("textile", "zhanggong", 3),
    ("textile", "minhe", 2),
    ("services", "minhe", 2),
    ("services", "lidu", 2),
]
# Covered by no task force: an industry without one, in a township without one (全覆盖 gaps).
UNCOVERED_ENTERPRISES = [
    ("进贤县三阳集乡农产品物流有限公司", "三阳集物流", "services", "sanyangji"),
    ("进贤县钟陵乡竹木制品厂", "钟陵竹木", "other", "zhongling"),
    ("江西下埠集机电设备有限公司", "下埠集机电", "manufacturing", "xiabuji"),
]

PRODUCTS = {
    "medical": ["医疗器械", "医用材料", "医疗科技", "卫生用品", "医用敷料", "输注器械", "检测试剂"],
    "fireworks": ["烟花爆竹", "花炮", "烟花制造"],
    "food": ["食品", "米业", "水产", "粮油", "禽业", "生态农业", "茶业"],
    "liquor": ["酒业", "酿酒", "酒厂"],
    "culture": ["笔业", "文化用品", "毛笔", "文房用品"],
    "steel": ["钢结构", "建材", "钢构工程", "新型墙材"],
    "chemical": ["新材料", "化工", "高分子材料", "涂料"],
    "manufacturing": ["机械制造", "汽车零部件", "装备制造", "人防设备", "电机"],
    "electronics": ["电子", "光电科技", "电子科技", "智能科技"],
    "textile": ["服饰", "纺织", "针织"],
    "services": ["物流", "商贸", "供应链"],
    "other": ["包装", "竹木制品"],
}
BRANDS = (
    "恒通 康泰 瑞丰 华源 鑫达 金诚 宏远 嘉禾 润和 博远 中和 信达 天成 万和 永盛 福瑞 锦华 振兴 "
    "裕隆 安泰 广源 东升 盛和 新发 长青 惠民 众诚 合力 明源 赣鑫 兴旺 德隆 汇通 联丰 鼎盛 "
    "顺达 国泰 正邦 方圆 富康 昌盛 洪福 金源 翰林 墨香 文华 青云 瑞康 佳禾 鸿达"
).split()

# Industry task forces (专班挂点): name, industries covered, the two department heads.
INDUSTRY_TASK_FORCES = [
    ("医疗器械产业专班", ("medical",), ("gxj", "scjgj")),
    ("烟花爆竹产业专班", ("fireworks",), ("yjj", "scjgj")),
    ("酒业食品产业专班", ("liquor", "food"), ("nyj", "scjgj")),
    ("文港毛笔产业专班", ("culture",), ("swj", "gxj")),
    ("钢构建材产业专班", ("steel",), ("zjj", "gxj")),
    ("新材料化工产业专班", ("chemical",), ("sthjj", "gxj")),
]
# Township task forces: township, the county department whose head joins the township's.
TOWNSHIP_TASK_FORCES = [
    ("kfq", "fgw"),
    ("lidu", "zrzyj"),
    ("wenzhen", "jtj"),
    ("wengang", "swj"),
    ("minhe", "zjj"),
    ("zhanggong", "rsj"),
]


@dataclass(frozen=True)
class EnterpriseSpec:
    name: str
    short: str
    industry: str
    township: str
    key: bool = False


def other_enterprise_specs(rng) -> list[EnterpriseSpec]:
    """The non-key enterprises, named from brand and product words, repeatable from the seed."""
    taken = {k[0] for k in KEY_ENTERPRISES}
    specs = []
    for industry, township, count in OTHER_ENTERPRISES:
        for _ in range(count):
            while True:
                brand = rng.choice(BRANDS)
                product = rng.choice(PRODUCTS[industry])
                prefix = rng.choice(("江西", "江西", "进贤县"))
                name = f"{prefix}{brand}{product}有限公司"
                if name not in taken:
                    break
            taken.add(name)
            specs.append(EnterpriseSpec(name, brand + product[:2], industry, township))
    for name, short, industry, township in UNCOVERED_ENTERPRISES:
        specs.append(EnterpriseSpec(name, short, industry, township))
    return specs
