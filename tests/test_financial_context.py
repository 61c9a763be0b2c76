"""One case per row of the tables of pipeline/grammar/financial_context.py: what financial news
writes around a name that makes it no organization, and the edges it adds to names."""
from __future__ import annotations

import pytest

from pipeline.grammar.financial_context import (bracketed_abbreviations, is_market_term, source_frames, source_tags,
                                                trim_market_edges)


def _span(text: str, name: str) -> tuple[int, int]:
    start = text.index(name)
    return start, start + len(name)


@pytest.mark.parametrize("text, name", [
    ("恒生科技指数涨2.33%", "恒生科技"),            # followed by 指数
    ("港股午后，恒生科技指数涨超3%", "恒生"),       # a word between the name and 指数
    ("易方达中证1000ETF成立", "中证"),              # a number, then ETF
    ("富国中证1000ETF成立规模", "富国中证1000ETF"),  # ends with ETF
    ("创业板指跌1.86%", "创业板"),                  # 指 before a move
    ("布伦特原油期货周五收于66美元", "布伦特"),
    ("标普500股指期货和纳斯达克100股指期货跌0.2%", "纳斯达克"),
    ("道指期货跌超0.1%", "道指期货"),               # an index's futures
    ("生物疫苗板块开盘大涨", "生物"),               # a sector's board
    ("光伏、HJT电池板块震荡拉升", "HJT"),
    ("汽车股、科技股涨幅居前", "汽车股"),           # sector shares
    ("科创板近1个月10起核心技术人员离职", "科创板"),  # a market segment
    ("5月份，全国新能源汽车产量增长", "新能源汽车"),  # two sector words: an industry
    ("雪佛龙(CVX.N)涨超8%", "CVX.N"),              # a ticker alone
    ("董事会收到公司董事长辞职报告", "董事会"),      # a company's own body
    ("辞去董事会战略委员会召集人职务", "董事会战略委员会"),
    ("公司控股子公司建泰建设", "控股"),
    ("6家A股公司中", "A股公司"),                    # a kind of company, counted or qualified
    ("57家科创板公司预告业绩", "家科创板公司"),
    ("新能源行业A股上市公司折扣最低", "新能源行业A股上市公司"),
    ("全球存托凭证（简称GDR）发行", "GDR"),         # an instrument's acronym
    ("居民消费价格指数（CPI）同比上涨", "CPI"),
])
def test_market_terms_are_no_organizations(text, name):
    assert is_market_term(text, *_span(text, name))


@pytest.mark.parametrize("text, name", [
    ("宁德时代涨停", "宁德时代"),
    ("复星控股发布公告", "复星控股"),              # 控股 ends company names
    ("中证指数有限公司发布新指数", "中证"),          # 指数 of a company's name
    ("中信期货研究所表示", "中信期货"),              # a futures broker, not a contract
    ("比亚迪股份跌超3%", "比亚迪股份"),
    ("恒生银行公布业绩", "恒生银行"),
    ("华为发布新款手机", "华为"),
])
def test_names_stay_names(text, name):
    assert not is_market_term(text, *_span(text, name))


@pytest.mark.parametrize("text, found, trimmed", [
    ("*ST未来：拟以现金收购", "ST未来", "*ST未来"),
    ("意大利油企埃尼集团表示", "意大利油企埃尼集团", "埃尼集团"),
    ("美国车企特斯拉宣布降价", "美国车企特斯拉", "特斯拉"),
    ("港股文化传信午后跳水", "港股文化传信", "文化传信"),
    ("达安基因一字涨停", "达安基因一字", "达安基因"),
    ("纳芯微、芯朋微等跟涨", "芯朋微等", "芯朋微"),
    ("四方达、黄河旋风4家公司发布预告", "黄河旋风4家公司", "黄河旋风"),
    ("根据华海清科上市公告书披露", "华海清科上市公告书", "华海清科"),
    ("国轩高科GDR是首单", "国轩高科GDR", "国轩高科"),
    ("招商银行H股收涨", "招商银行H股", "招商银行"),
    ("宁德时代发布公告", "宁德时代", "宁德时代"),      # nothing to trim
    ("甲等级评定", "甲等", "甲等"),                    # never below two characters
])
def test_market_edges_are_trimmed(text, found, trimmed):
    start, end = trim_market_edges(text, *_span(text, found))
    assert text[start:end] == trimmed


def _never(name: str) -> bool:
    return False


@pytest.mark.parametrize("text, full, expected", [
    ("伦敦金属交易所（LME）三个月铜价收涨，LME库存下降", "伦敦金属交易所", ["LME", "LME"]),  # and its later use
    ("国际货币基金组织(IMF)下调预期", "国际货币基金组织", ["IMF"]),
    ("乘用车市场信息联席会（乘联会）数据显示", "乘用车市场信息联席会", ["乘联会"]),
    ("中国化工（集团）公司", "中国化工", []),                     # a part of the name
    ("宁德时代（300750）公告", "宁德时代", []),                    # a code, not an abbreviation
    ("华为（深圳）发布", "华为", []),                              # 深圳 is a place (below)
])
def test_bracketed_abbreviations_after_a_found_name(text, full, expected):
    start = text.index(full)
    found = bracketed_abbreviations(text, [(start, start + len(full))], lambda name: name == "深圳")
    assert [text[s:e] for s, e, _ in found] == expected
    assert all(canonical == full for _, _, canonical in found)


def test_no_abbreviation_without_a_found_name_before_it():
    assert bracketed_abbreviations("居民消费价格指数（CPI）同比上涨", [], _never) == []


@pytest.mark.parametrize("text, expected", [
    ("平均增速均超过19%。（界面新闻）", ["界面新闻"]),
    ("年底有望达30万亿元。（经参）\n下一条", ["经参"]),
    ("有望达30万亿元。（来源：经济参考报）", ["经济参考报"]),
    ("市场的。，（e公司）", ["e公司"]),
    ("全文如上。（完）", []),
    ("他说。（记者 张三）", []),
    ("增长（同比）较快。", []),                                    # not at the end of an item
])
def test_source_tags_close_an_item(text, expected):
    assert [text[s:e] for s, e in source_tags(text, _never)] == expected


def _coined(name: str) -> bool:
    # the recognizer's check, in short: no clause words, not one common word
    return name not in {"最新", "相关", "公司", "海关"} and not any(w in name for w in ("监控", "近半年"))


@pytest.mark.parametrize("text, expected", [
    ("欣旺达消息，6月23日，项目奠基。", ["欣旺达"]),
    ("据彭博社报道，苹果将发布新品。", ["彭博社"]),
    ("中新网今日消息，据英国媒体报道", ["中新网"]),
    ("企查查APP显示，该公司成立于2020年。", ["企查查"]),
    ("增长36.4%。德国联邦统计局7月8日公布数据显示，德国5月出口", ["德国联邦统计局"]),
    ("日本内阁府发布的数据显示，GDP下降", ["日本内阁府"]),
    ("据希腊《中希时报》报道，", ["中希时报"]),                     # the paper without its marks
    ("最新数据显示，出口增长。", []),                               # a common word
    ("据悉，公司将上市。", []),
    ("项目监控到的数据显示，", []),
])
def test_source_frames(text, expected):
    assert [text[s:e] for s, e in source_frames(text, _coined)] == expected
