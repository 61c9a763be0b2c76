import pytest

from pipeline.grammar.names import enumeration_items, short_name, trim_name

from conftest import boundaries


ORG_CASES = [
    ("上海青赛生物科技有限公司与上海交通大学签署协议", ["上海青赛生物科技有限公司", "上海交通大学"]),
    ("苏州宝碟(中国)激光电子有限公司落户", ["苏州宝碟(中国)激光电子有限公司"]),
    ("位于金山工业区的奥来德光电材料股份有限公司上市", ["奥来德光电材料股份有限公司"]),
    ("积塔半导体有限公司在临港投资", ["积塔半导体有限公司"]),
    ("中国科学院上海有机化学研究所发布成果", ["中国科学院上海有机化学研究所"]),
    ("这家公司和该集团都没有名字", []),
    ("3家公司入驻", []),
    ("我国大型电子企业长虹公司", ["长虹公司"]),
    ("江主席来到哈佛大学", ["哈佛大学"]),
    ("建立农民协会", []),
    ("一些外国银行在中国设立分行", []),
    ("中国人民政治协商会议召开", []),
    ("由林达集团投资", ["林达集团"]),
    ("其中,信达生物制药(苏州)有限公司计划追加投资", ["信达生物制药(苏州)有限公司"]),
    ("积极支持两国公司之间的合作", []),
    # a transliterated trade name before a bracketed place (jieba: 发/v 那科/r)
    ("发那科(上海)机器人有限公司二期项目开工", ["发那科(上海)机器人有限公司"]),
    ("公司与罗克韦尔自动化(中国)有限公司签约", ["罗克韦尔自动化(中国)有限公司"]),
]


@pytest.mark.parametrize("text,expected", ORG_CASES)
def test_org_names(finder, text, expected):
    found = {text[m.start:m.end] for m in finder.org_names(text, boundaries(finder, text))}
    assert set(expected) <= found
    # Anything else found is a part of an expected name (上海交通大学 in a longer one), never new.
    assert all(any(name in e for e in expected) for name in found)


PARK_CASES = [
    ("位于金山工业区的企业", ["金山工业区"]),
    ("打造以“碳谷绿湾”特色产业园为核心", ["“碳谷绿湾”特色产业园"]),
    ("新揭牌的长三角智能装备园", ["长三角智能装备园"]),
    ("落户苏州工业园区", ["苏州工业园区"]),
    ("合肥高新技术产业开发区管委会表示", ["合肥高新技术产业开发区"]),
    ("在张江科学城建设", ["张江科学城"]),
    ("通过特色园区建设", []),
    ("落户嘉兴物流园区的企业", ["嘉兴物流园区"]),
    ("位于临港新片区的项目", ["临港新片区"]),
    ("入驻张江科创园", ["张江科创园"]),
    ("张江科学城内，企业集聚发展", ["张江科学城"]),  # jieba: 科学/城内
    ("召开政治协商会议", []),  # 商会 inside 协商会议 is no head
]


@pytest.mark.parametrize("text,expected", PARK_CASES)
def test_park_names(finder, text, expected):
    found = [text[m.start:m.end] for m in finder.park_names(text, boundaries(finder, text))]
    assert found == expected


SHORT_NAMES = [
    ("奥来德光电材料股份有限公司", "奥来德"),
    ("上海东富龙制药设备制造有限公司", "东富龙"),
    ("华为技术有限公司", "华为"),
    ("京东方科技集团股份有限公司", "京东方"),
    ("发那科(上海)机器人有限公司", "发那科"),
    ("上海交通大学", None),
]


@pytest.mark.parametrize("full,short", SHORT_NAMES)
def test_short_name(full, short):
    assert short_name(full) == short


SHORT_COMPANY_CASES = [
    ("位于园区的龙头企业和辉光电的辐射效应", ["和辉光电"]),
    ("汉钟精机推出云端服务", ["汉钟精机"]),
    ("总投资5亿元的上海石化项目", ["上海石化"]),
    ("飞利浦电器进入中国市场", ["飞利浦电器"]),
    ("旭创科技拟在园区投资", ["旭创科技"]),
    ("为我国经济的腾飞和科技事业", []),
    ("认真学习高科技知识", []),
    ("深化养老保险改革", []),
    ("德国汽车制造商", []),
    ("推动光电产业发展", []),
    ("生物医药产业", []),
]


@pytest.mark.parametrize("text,expected", SHORT_COMPANY_CASES)
def test_short_company_names(finder, text, expected):
    assert [text[m.start:m.end] for m in finder.short_company_names(text, boundaries(finder, text))] == expected


CUE_CASES = [
    ("其中,普睿玛为生产焊接加工中心的制造业单项冠军。", ["普睿玛"]),
    ("治疗的突破,百特亚太区首家生产基地启动。", ["百特"]),
    ("比亚迪是全球领先的新能源汽车企业。", ["比亚迪"]),
    ("张三为公司的董事长。", []),
    ("这里是全国重要的制造业基地。", []),
    ("京东方、博世等龙头企业纷纷加大投资。", ["京东方", "博世"]),
    ("钢铁、化工等企业加快转型。", []),
    ("北京、上海等城市出台政策。", []),
    ("ABB、百特和康宁等外资企业纷纷加大投资。", ["ABB", "百特", "康宁"]),
    ("钢铁、化工和医药等企业加快转型。", []),
    ("博世、华虹集团和上海微电子装备等企业集聚。", ["博世", "华虹集团", "上海微电子装备"]),
    ("华为、腾讯等科技巨头纷纷布局。", ["华为", "腾讯"]),
]


@pytest.mark.parametrize("text,expected", CUE_CASES)
def test_cued_names(finder, text, expected):
    assert [text[m.start:m.end] for m in finder.cued_names(text, boundaries(finder, text))] == expected


REPEATABLE = [
    ("国务院", True),  # dictionary organization word
    ("东盟", True),  # dictionary abbreviation
    ("普睿玛", True),  # unknown to the dictionary
    ("区域市政局", True),  # ends in an institution word
    ("汉钟精机", True),  # proper word, then a noun
    ("华为技术有限公司", True),
    ("中国", False),  # a place
    ("特别", False),  # an adverb
    ("香港法例第", False),  # ends in a numeral prefix
    ("中国驻美", False),
]


@pytest.mark.parametrize("name,expected", REPEATABLE)
def test_repeatable(finder, name, expected):
    assert finder.repeatable(name) is expected


TRIM_CASES = [
    ("京东方）", "京东方"),
    ("（京东方", "京东方"),
    ("“京东方”，", "京东方"),
    ("发那科(上海)机器人有限公司", "发那科(上海)机器人有限公司"),
    ("(上海)机器人有限公司", "(上海)机器人有限公司"),
    ("）", ""),
]


@pytest.mark.parametrize("name,trimmed", TRIM_CASES)
def test_trim_name(name, trimmed):
    text = "前" + name + "后"
    start, end = trim_name(text, 1, 1 + len(name))
    assert text[start:end] == trimmed


ENUMERATION_ITEMS = [
    ("ABB、百特和康宁", [(0, "ABB"), (4, "百特"), (7, "康宁")]),
    ("京东方、博世", [(0, "京东方"), (4, "博世")]),
    ("京东方、和辉光电", [(0, "京东方"), (4, "和辉光电")]),  # 和 opens a name here
    ("京东方、博世以及康宁", [(0, "京东方"), (4, "博世"), (8, "康宁")]),
]


@pytest.mark.parametrize("enumeration,items", ENUMERATION_ITEMS)
def test_enumeration_items(enumeration, items):
    assert enumeration_items(enumeration) == items
    assert all(enumeration[offset:offset + len(item)] == item for offset, item in items)


@pytest.mark.parametrize("name,plausible", [
    ("公司", False), ("企业", False), ("本公司", False), ("京东方", True), ("金山建设新工厂", False),
])
def test_plausible_name(finder, name, plausible):
    assert finder.plausible_name(name) is plausible


@pytest.mark.parametrize("text, expected", [
    ("平治信息：福建齐智兴股权投资合伙企业（有限合伙）拟减持不超过2%", ["福建齐智兴股权投资合伙企业（有限合伙）"]),
    ("股东上海筑景投资中心（有限合伙）计划减持", ["上海筑景投资中心（有限合伙）"]),
    ("有限合伙人出资到位", []),
])
def test_limited_partnerships(finder, text, expected):
    assert [text[m.start:m.end] for m in finder.partnership_names(text)] == expected
