"""Financial-news frames for organization names (pipeline/grammar/market_cues.py), table-driven.

The sentences are written for these tests in the style of market flashes; none is taken from
a corpus or from the CFSC dev set."""
import pytest

from pipeline.grammar.market_cues import (alias_definitions, alias_mentions, headline_names, price_move_names,
                                          stock_code_names, trim_boundaries)

CODE_CASES = [
    ("海达科技(300123)6月1日晚间公告", "海达科技"),
    ("南山铝业（SH600219，股价3.2元）今日公告", "南山铝业"),
    ("昨日，中芯国际(688981.SH)发布公告", "中芯国际"),
    ("长城汽车（601633SH）宣布", "长城汽车"),
    ("蔚来（NYSE:NIO）公布交付量", "蔚来"),
    ("腾讯控股(00700.HK)回购股份", "腾讯控股"),
    ("*ST金刚(300064)收到问询函", "*ST金刚"),
    ("比亚迪（股票代码：002594）称", "比亚迪"),
]


@pytest.mark.parametrize("text, name", CODE_CASES)
def test_a_name_before_a_stock_code(text, name):
    assert [text[m.start:m.end] for m in stock_code_names(text)] == [name]


@pytest.mark.parametrize("text", ["营收同比增长(30%)", "时间为(2023)年", "电话(021-12345678)", "项目代号(A01)"])
def test_no_stock_code(text):
    assert stock_code_names(text) == []


def never_a_person(name: str) -> bool:
    return False


HEADLINE_CASES = [
    ("华联股份：拟出售子公司股权", ["华联股份"]),
    ("乘联会：8月乘用车零售同比增长", ["乘联会"]),
    ("万科A：1-7月销售额下降", ["万科A"]),
    ("科达退：公司股票终止上市", ["科达退"]),
    ("东吴证券公告，公司拟发行债券", ["东吴证券"]),
    ("6月2日晚间，海信家电公告称", ["海信家电"]),
    ("行情回顾。泸州老窖披露，一季度营收增长", ["泸州老窖"]),
    ("数据显示：上月出口增长", []),  # a heading, not a name
    ("截至收盘：沪指涨1%", []),
    ("其中：A股成交额放大", []),
    ("该公司公告，拟回购股份", []),
    ("记者在现场看到，华联股份：", []),  # not at the start of a sentence
]


@pytest.mark.parametrize("text, names", HEADLINE_CASES)
def test_a_name_opening_a_sentence_before_a_colon_or_an_announcement(text, names):
    assert [text[m.start:m.end] for m in headline_names(text, never_a_person)] == names


def test_a_speaker_before_a_colon_is_no_organization():
    assert headline_names("王立新：市场将企稳", lambda name: name == "王立新") == []


def compound_or_rare(item: str) -> bool:
    return item not in {"军工", "黄金", "半导体", "原油"}


MOVE_CASES = [
    ("海达科技、南山铝业涨停", ["海达科技", "南山铝业"]),
    ("午后，东吴证券直线拉升封板", ["东吴证券"]),
    ("华联股份涨超6%，万科A跌逾3%", ["华联股份", "万科A"]),
    ("海信家电4板", ["海信家电"]),
    ("军工、半导体等板块涨幅居前", []),  # sectors
    ("黄金涨超2%，原油跌近1%", []),  # commodities, as the name test says
    ("沪深300指数涨1%", []),
    ("光伏概念涨超3%", []),
]


@pytest.mark.parametrize("text, names", MOVE_CASES)
def test_stock_names_before_a_price_move(text, names):
    assert [text[m.start:m.end] for m in price_move_names(text, compound_or_rare)] == names


ALIAS_CASES = [
    ("海达新能源科技股份有限公司（以下简称“海达新能”）", "海达新能"),
    ("华联控股集团有限公司(简称\"华联控股\")", "华联控股"),
    ("南山铝业股份有限公司（下称南山铝业）", "南山铝业"),
    ("东吴证券股份有限公司（以下简称“东吴证券”或“公司”）", "东吴证券"),
]


@pytest.mark.parametrize("text, alias", ALIAS_CASES)
def test_alias_definitions(text, alias):
    ((bracket, start, end),) = alias_definitions(text)
    assert text[start:end] == alias and text[bracket] in "(（"


def test_an_alias_and_its_later_mentions_carry_the_full_name():
    text = "海达新能源科技股份有限公司（以下简称“海达新能”）公告，海达新能拟投资10亿元。"
    full_end = text.index("（")
    found = alias_mentions(text, [(0, full_end)])
    assert [(text[m.start:m.end], m.canonical) for m in found] == [("海达新能", "海达新能源科技股份有限公司")] * 2
    assert alias_mentions(text, []) == []  # no name before the definition: nothing to resolve


def known_place(word: str) -> bool:
    return word in {"苏州", "海口", "武汉", "上海"}


TRIM_CASES = [
    # (text, words the segmenter found, expected name)
    ("由元禾控股", ["由", "元禾控股"], "元禾控股"),
    ("集聚海达科技", ["集聚", "海达科技"], "海达科技"),
    ("和辉光电", ["和辉光电"], "和辉光电"),  # 和 is no word of its own here
    ("恒瑞医药苏州子公司", ["恒瑞医药", "苏州", "子公司"], "恒瑞医药"),
    ("南山铝业子公司", ["南山铝业", "子公司"], "南山铝业"),
    ("渤海银行海口分行", ["渤海银行", "海口", "分行"], "渤海银行"),
    ("华为武汉研究所", ["华为", "武汉", "研究所"], "华为"),
    ("中国科学院化学研究所", ["中国科学院", "化学", "研究所"], "中国科学院化学研究所"),  # no place: a name
]


@pytest.mark.parametrize("text, words, name", TRIM_CASES)
def test_boundary_trimming(text, words, name):
    boundaries, position = set(), 0
    for word in words:
        boundaries.add(position)
        position += len(word)
    boundaries.add(position)
    start, end = trim_boundaries(text, 0, len(text), boundaries, known_place)
    assert text[start:end] == name


def test_a_rule_keeps_a_one_character_word_the_segmenter_split_off():
    text = "和辉光电"
    assert trim_boundaries(text, 0, 4, {0, 1, 4}, known_place) == (1, 4)
    assert trim_boundaries(text, 0, 4, {0, 1, 4}, known_place, one_character_words=False) == (0, 4)
    # four characters left: the preposition goes whoever found the name
    assert trim_boundaries("由元禾控股", 0, 5, {0, 1, 5}, known_place, one_character_words=False) == (1, 5)


@pytest.mark.parametrize("text, names", [
    ("今年以来，多家上市公司发布公告。", []),
    ("福建省政府印发通知。", ["福建省政府"]),
    ("湖北省集成电路产业投资基金完成首期募资。", ["湖北省集成电路产业投资基金"]),
])
def test_generic_kinds_public_bodies_and_funds(nlp, text, names):
    doc = nlp(text)
    assert [span.text for span in doc.spans["newsie"] if span.label_ == "ORG"] == names


def test_the_recognizer_uses_the_frames(nlp):
    doc = nlp("海达新能源科技股份有限公司（以下简称“海达新能”）发布公告，海达新能拟投资10亿元。"
              "华联股份(000882)：拟出售子公司股权。")
    orgs = {(span.text, span._.attrs.get("canonical")) for span in doc.spans["newsie"] if span.label_ == "ORG"}
    assert ("海达新能", "海达新能源科技股份有限公司") in orgs
    assert any(name == "华联股份" for name, _ in orgs)


def test_the_news_model_only_fills_gaps(nlp):
    recognizer = nlp.get_pipe("newsie_recognize")
    text = "海达科技发布公告，金山新揭牌一个园区，据悉青禾晶元完成融资。"
    boundaries = set(range(len(text) + 1))  # every offset a word boundary
    news = [(0, 2, "ORG"), (9, 11, "ORG"), (21, 25, "ORG")]
    found = recognizer.find_mentions(text, boundaries, [], [(0, 4, "ORG")], news)
    orgs = {(text[m.start:m.end], m.source) for m in found if m.label == "ORG"}
    assert ("青禾晶元", "news_model") in orgs  # a gap filled
    assert not any(source == "news_model" and name == "海达" for name, source in orgs)  # never over a mention
    assert not any(name == "金山" for name, _ in orgs)  # a place the dictionary knows
    # page furniture is never filled
    assert not any(m.source == "news_model" for m in recognizer.find_mentions(text, boundaries, [(0, len(text))], [], news))


@pytest.mark.parametrize("text, expected", [
    ("已有中兵红箭、力量钻石、四方达、黄河旋风4家公司发布预告", ["中兵红箭", "力量钻石", "四方达", "黄河旋风"]),
    ("北京、上海、广州等5家企业", []),                                  # places
])
def test_names_listed_before_a_count_of_companies(finder, text, expected):
    from pipeline.grammar.market_cues import market_names

    assert [text[m.start:m.end] for m in market_names(text, finder) if m.cue == "list"] == expected
