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
    ("以发展大健康产业为目标的“产业母港”,面积", None),  # the aim of a park, no goal of a quantity
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
    ("力争培育10家上市企业。", "10家上市企业", "上市企业数", 10.0, "家", "=", None, None),
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


# text, span, metric, value, unit, qualifier, deadline, per, condition
FRAME_CASES = [
    # counts with any measure word; a 万 stays in the unit as written
    ("到2025年,全市新能源汽车产量力争突破100万辆。", "新能源汽车产量力争突破100万辆", "新能源汽车产量", 100.0, "万辆", "=",
     2025, None, None),
    ("充电桩数量力争突破5万个。", "充电桩数量力争突破5万个", "充电桩数量", 5.0, "万个", "=", None, None, None),
    ("项目达产后月产能将达到20万片。", "月产能将达到20万片", "月产能", 20.0, "万片", "=", None, None, None),
    ("计划新建5G基站3000座。", "新建5G基站3000座", "新建5G基站数", 3000.0, "座", "=", None, None, None),
    ("到2030年,力争氢燃料电池汽车推广量达到1万台。", "氢燃料电池汽车推广量达到1万台", "氢燃料电池汽车推广量", 1.0, "万台",
     "=", 2030, None, None),
    ("金山区将按照亩均投资600万元的标准抓项目。", "亩均投资600万元", "亩均投资", 6e6, "CNY", "=", None, "亩", None),
    ("计划引进高层次人才200人。", "高层次人才200人", "高层次人才数", 200.0, "人", "=", None, None, None),
    ("力争实施技改项目30项。", "技改项目30项", "技改项目数", 30.0, "项", "=", None, None, None),
    ("到2025年,全区力争建成智能工厂50套。", "智能工厂50套", "智能工厂数", 50.0, "套", "=", 2025, None, None),
    ("力争年产粮食120万吨。", "年产粮食120万吨", "年产粮食数", 120.0, "万吨", "=", None, None, None),
    # the longest measured noun phrase, without the subject
    ("力争产业链产值达到1000亿元。", "产业链产值达到1000亿元", "产业链产值", 1e11, "CNY", "=", None, None, None),
    ("力争规上工业企业研发投入强度达到4%。", "研发投入强度达到4%", "研发投入强度", 4.0, "%", "=", None, None, None),
    ("到2025年,园区力争集聚企业超过700家。", "企业超过700家", "企业数", 700.0, "家", ">", 2025, None, None),
    ("力争新增上市公司10家以上。", "新增上市公司10家", "新增上市公司数", 10.0, "家", ">=", None, None, None),
    ("到2025年,全省高新技术企业数力争达到5000家。", "高新技术企业数力争达到5000家", "高新技术企业数", 5000.0, "家",
     "=", 2025, None, None),
    ("“十四五”期间,全区计划新增国家级专精特新“小巨人”企业30家。", "新增国家级专精特新“小巨人”企业30家",
     "新增国家级专精特新“小巨人”企业数", 30.0, "家", "=", None, None, None),
    ("确保单位GDP能耗下降13.5%。", "单位GDP能耗下降13.5%", "单位GDP能耗下降", 13.5, "%", "=", None, None, None),
    ("到2025年,全市跨境电商交易额力争突破1000亿元。", "跨境电商交易额力争突破1000亿元", "跨境电商交易额", 1e11, "CNY", "=",
     2025, None, None),
    ("力争农村居民人均可支配收入增长7%。", "农村居民人均可支配收入增长7%", "农村居民人均可支配收入增长", 7.0, "%", "=", None,
     None, None),
    ("确保粮食播种面积稳定在1000万亩以上。", "粮食播种面积稳定在1000万亩", "粮食播种面积", 1000.0, "万亩", ">=", None, None,
     None),
    ("公司计划未来三年新增门店300家。", "新增门店300家", "新增门店数", 300.0, "家", "=", None, None, None),
    ("力争全年进出口总额同比增长8%。", "进出口总额同比增长8%", "进出口总额增长", 8.0, "%", "=", None, None, None),
    # a threshold inside a goal is its condition, not a target
    ("力争培育营收超百亿元企业5家。", "企业5家", "企业数", 5.0, "家", "=", None, None, "营收超百亿元"),
    ("计划培育产值超10亿元的企业20家。", "企业20家", "企业数", 20.0, "家", "=", None, None, "产值超10亿元"),
    ("“十四五”期间计划培育年产值20亿元以上企业30家。", "企业30家", "企业数", 30.0, "家", "=", None, None,
     "年产值20亿元以上"),
    # a level reached (提高到), a base year that is no deadline, percentage points counted once
    ("到“十四五”末,全区研发投入强度提高到3%。", "研发投入强度提高到3%", "研发投入强度", 3.0, "%", "=", 2025, None, None),
    ("目标是到2030年单位GDP能耗比2020年下降20%。", "单位GDP能耗比2020年下降20%", "单位GDP能耗下降", 20.0, "%", "=",
     2030, None, None),
    ("力争城镇化率提高2个百分点。", "城镇化率提高2个百分点", "城镇化率提高", 2.0, "pp", "=", None, None, None),
    ("力争全年游客接待量达到500万人次。", "游客接待量达到500万人次", "游客接待量", 500.0, "万人次", "=", None, None, None),
    ("计划每年安排不少于5000万元的专项资金。", "5000万元的专项资金", "专项资金", 5e7, "CNY", ">=", None, "年", None),
    # a qualifier before a per-unit word
    ("要求单位土地产出不低于每亩1000万元。", "单位土地产出不低于每亩1000万元", "单位土地产出", 1e7, "CNY", ">=", None,
     "亩", None),
]


@pytest.mark.parametrize("text,span,metric,value,unit,qualifier,deadline,per,condition", FRAME_CASES)
def test_target_frames(text, span, metric, value, unit, qualifier, deadline, per, condition):
    clean = fold_text(text)
    targets = find_targets(clean, find_amounts(clean))
    assert len(targets) == 1, [(clean[t.start:t.end], t.condition) for t in targets]
    target = targets[0]
    assert clean[target.start:target.end] == span
    assert (target.metric, target.value, target.unit, target.qualifier, target.deadline, target.per,
            target.condition) == (metric, pytest.approx(value), unit, qualifier, deadline, per, condition)


@pytest.mark.parametrize("text", [
    "截至去年底,全市已建成充电桩3万个。",
    "预计明年新能源汽车产量将达到80万辆。",
    "公司去年新增客户500家。",
])
def test_counts_that_are_no_goals(text):
    clean = fold_text(text)
    assert find_targets(clean, find_amounts(clean)) == []
