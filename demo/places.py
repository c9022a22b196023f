"""The demo county's units and its problem categories (DESIGN §3)."""

from __future__ import annotations

# (code, name, short name, title of its head)
OFFICE = ("office", "县委办", "县委办", "县委办副主任、四进四问领导小组办公室主任")
BUREAUS = [
    ("gxj", "县工信局", "工信局", "局长"),
    ("rsj", "县人社局", "人社局", "局长"),
    ("jyj", "县教育局", "教育局", "局长"),
    ("fgw", "县发改委", "发改委", "主任"),
    ("czj", "县财政局", "财政局", "局长"),
    ("zrzyj", "县自然资源局", "自然资源局", "局长"),
    ("zjj", "县住建局", "住建局", "局长"),
    ("jtj", "县交通运输局", "交通运输局", "局长"),
    ("scjgj", "县市场监管局", "市场监管局", "局长"),
    ("xzspj", "县行政审批局", "行政审批局", "局长"),
    ("jrb", "县金融办", "金融办", "主任"),
    ("swj", "县商务局", "商务局", "局长"),
    ("nyj", "县农业农村局", "农业农村局", "局长"),
    ("yjj", "县应急管理局", "应急管理局", "局长"),
    ("tax", "县税务局", "税务局", "局长"),
    ("sthjj", "县生态环境局", "生态环境局", "局长"),
    ("kjj", "县科技局", "科技局", "局长"),
]
TOWNSHIPS = [
    ("minhe", "民和镇"),
    ("lidu", "李渡镇"),
    ("wenzhen", "温圳镇"),
    ("wengang", "文港镇"),
    ("meizhuang", "梅庄镇"),
    ("zhanggong", "张公镇"),
    ("luoxi", "罗溪镇"),
    ("jiaqiao", "架桥镇"),
    ("qianfang", "前坊镇"),
    ("sanli", "三里乡"),
    ("ertang", "二塘乡"),
    ("zhongling", "钟陵乡"),
    ("chixi", "池溪乡"),
    ("nantai", "南台乡"),
    ("sanyangji", "三阳集乡"),
    ("qili", "七里乡"),
    ("xiabuji", "下埠集乡"),
    ("yaqian", "衙前乡"),
    ("baiwei", "白圩乡"),
    ("changshanyan", "长山晏乡"),
    ("quanling", "泉岭乡"),
]
PARK = ("kfq", "进贤经开区管委会", "经开区", "主任")
UTILITIES = [
    ("power", "国网进贤县供电公司", "供电公司", "总经理"),
    ("water", "县自来水公司", "自来水公司", "总经理"),
]
# Departments with two clerks (the busiest); every other unit has one.
BUSY = {"office", "gxj", "rsj", "power", "jrb", "zrzyj", "xzspj"}

# (code, name, default resolve working days, default lead department)
CATEGORIES = [
    ("power", "用电用能", 10, "power"),
    ("labour", "用工人才", 20, "rsj"),
    ("finance", "金融融资", 20, "jrb"),
    ("roads", "道路交通", 30, "jtj"),
    ("land", "土地规划", 30, "zrzyj"),
    ("approval", "审批服务", 10, "xzspj"),
    ("policy", "政策咨询", 5, "fgw"),
    ("market", "市场开拓", 20, "swj"),
    ("other", "其他", 15, None),
]

# Each enterprise's industry department (行业主管部门).
INDUSTRY_DEPARTMENT = {
    "manufacturing": "gxj",
    "steel": "gxj",
    "medical": "gxj",
    "food": "nyj",
    "fireworks": "yjj",
    "liquor": "gxj",
    "chemical": "gxj",
    "electronics": "gxj",
    "textile": "gxj",
    "culture": "swj",
    "services": "swj",
    "other": "gxj",
}
