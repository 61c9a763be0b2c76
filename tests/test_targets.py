"""Target frames, table-driven: goals are targets, forecasts and reported facts are not."""
import pytest

from pipeline.grammar.amounts import find_amounts
from pipeline.stages.clean import fold_text
from pipeline.grammar.targets import GOAL, FORECAST, REPORTED, find_targets, period_years, status_of

STATUS_CASES = [
    ("四大产业集群将力争实现年均增长", GOAL),
    ("计划到2025年,产值规模力争达到", GOAL),
    ("确保每个重点产业集群每年不少于", GOAL),
    ("目标是营收", GOAL),
    ("金山区将按照亩均投资", GOAL),
    ("预计投资额为", FORECAST),
    ("预计2024年营收将达到", FORECAST),
    ("有望突破", FORECAST),
    ("已集聚了12家企业,整个产业链项目投资超过", REPORTED),
    ("去年全市营收同比增长", REPORTED),
    ("较“十二五”末提高", REPORTED),
    ("总投资将近", None),
    ("四大集群产值占全区属地规上产值的", None),
    ("预计到2025年,市场规模将达到", FORECAST),
    ("到2025年,全市集成电路产业规模突破", GOAL),
    ("力争今年营收较上年增长", GOAL),
    ("公司将实现净利润同比增长", GOAL),
    ("今年一季度,全市GDP同比增长", REPORTED),
    ("截至2022年底,全市累计建成", REPORTED),
    ("主要产品营收", None),
    ("为了实现营收", None),
    ("确保完成固定资产投资", GOAL),
]


@pytest.mark.parametrize("prefix,expected", STATUS_CASES)
def test_status_of(prefix, expected):
    assert status_of(prefix) == expected


TARGET_CASES = [
    # text, span, metric, value, unit, qualifier, deadline, period
    ("“十四五”,四大产业集群将力争实现年均增长20%。", "年均增长20%", "年均增长", 20.0, "%", "=", None, "十四五"),
    ("计划到2025年,生物医药产业产值规模力争达到500亿元。", "产值规模力争达到500亿元", "产值规模", 5e10, "CNY", "=", 2025, None),
    ("到2025年,全市集成电路产业规模突破3000亿元。", "规模突破3000亿元", "规模", 3e11, "CNY", "=", 2025, None),
    ("公司计划研发投入不低于5亿元。", "研发投入不低于5亿元", "研发投入", 5e8, "CNY", ">=", None, None),
    ("力争培育10家上市企业。", "10家", None, 10.0, "家", "=", None, None),
    ("“十五五”期间,确保出口额年均增长8%以上。", "出口额年均增长8%", "出口额年均增长", 8.0, "%", ">=", None, "十五五"),
    ("到“十四五”末,全区工业总产值力争突破2000亿元。", "工业总产值力争突破2000亿元", "工业总产值", 2e11, "CNY", "=",
     2025, "十四五"),
    ("力争今年营收较上年增长15%。", "营收较上年增长15%", "营收增长", 15.0, "%", "=", None, None),
    ("到2030年,数字经济核心产业增加值占GDP比重达到15%。", "增加值占GDP比重达到15%", "增加值占比", 15.0, "%", "=",
     2030, None),
    ("东莞计划2025年前引进外资项目,实际使用外资不低于50亿美元。", "实际使用外资不低于50亿美元", "实际使用外资", 5e9,
     "USD", ">=", 2025, None),
    ("宁波要求每个开发区亩均税收达到30万元。", "亩均税收达到30万元", "亩均税收", 3e5, "CNY", "=", None, None),
]


@pytest.mark.parametrize("text,span,metric,value,unit,qualifier,deadline,period", TARGET_CASES)
def test_find_targets(text, span, metric, value, unit, qualifier, deadline, period):
    clean = fold_text(text)
    targets = find_targets(clean, find_amounts(clean))
    assert len(targets) == 1, targets
    target = targets[0]
    assert clean[target.start:target.end] == span
    assert (target.metric, target.value, target.unit, target.qualifier, target.deadline, target.period) == (
        metric, pytest.approx(value), unit, qualifier, deadline, period)


NOT_TARGETS = [
    "预计实现产值045亿元,年均增长10.4%。",
    "去年全市实现营业收入1200亿元,同比增长8.5%。",
    "四大集群产值占全区属地规上产值的77%,较“十二五”末提高9.3个百分点。",
    "计划投资建设装备产业化项目,预计投资额为5亿元人民币。",
    "目前已引进相关企业59家。",
    "“十三五”期间,金山区增加了23家百强企业。",
    "预计到2025年,全省新能源汽车市场规模将达到1.5万亿元。",
    "今年一季度,全市GDP同比增长5.2%。",
    "截至2022年底,全市已建成5G基站3万个。",
    "该公司主要产品营收5亿元。",
]


@pytest.mark.parametrize("text", NOT_TARGETS)
def test_reports_and_forecasts_are_not_targets(text):
    clean = fold_text(text)
    assert find_targets(clean, find_amounts(clean)) == []


@pytest.mark.parametrize("period,years", [("十一五", (2006, 2010)), ("十四五", (2021, 2025)), ("十五五", (2026, 2030))])
def test_period_years(period, years):
    assert period_years(period) == years
