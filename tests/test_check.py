import pytest

from pipeline.stages.check import find_suspicious_numbers


def warnings_of(nlp, text, kind):
    return [w for w in nlp(text)._.warnings if w["type"] == kind]


def test_conflicting_amounts_for_one_project(nlp):
    text = ("总投资12亿元的华星新型显示面板项目在苏州开工。\n"
            "另据报道,总投资18亿元的华星新型显示面板项目已开工。")
    conflicts = warnings_of(nlp, text, "conflict")
    assert len(conflicts) == 1
    spans = [text[s:e] for s, e in conflicts[0]["spans"]]
    assert spans == ["12亿元", "18亿元"]


def test_different_projects_do_not_conflict(nlp):
    text = "总投资12亿元的显示面板项目开工。总投资3亿元的疫苗生产基地投产。"
    assert warnings_of(nlp, text, "conflict") == []


def test_same_amount_is_no_conflict(nlp):
    text = "总投资12亿元的显示面板项目开工。\n总投资12亿元的显示面板项目进展顺利。"
    assert warnings_of(nlp, text, "conflict") == []


def test_suspicious_numbers():
    text = "  20年,全区实现产值045亿元。2021年,产值增长。未来5年内,近20年来,股票代码000402。"
    found = [text[s:e] for w in find_suspicious_numbers(text) for s, e in w["spans"]]
    assert found == ["20年", "045"]


def test_two_digit_year_alone_is_not_suspicious():
    assert find_suspicious_numbers("20年,全区实现产值45亿元。") == []


def conflict_spans(nlp, text):
    return [[text[s:e] for s, e in w["spans"]] for w in warnings_of(nlp, text, "conflict")]


def test_one_warning_names_every_span_of_a_subject(nlp):
    text = ("总投资12亿元的华星新型显示面板项目开工。\n"
            "总投资18亿元的华星新型显示面板项目进展顺利。\n"
            "总投资20亿元的华星新型显示面板项目即将投产。")
    assert conflict_spans(nlp, text) == [["12亿元", "18亿元", "20亿元"]]


def test_project_named_after_a_building_verb(nlp):
    text = "公司投资3亿元建设锂电池隔膜生产基地。据悉,公司投资5亿元建设锂电池隔膜生产基地。"
    assert conflict_spans(nlp, text) == [["3亿元", "5亿元"]]


def test_organization_in_the_clause_is_the_subject(nlp):
    text = ("2022年,宁德时代新能源科技股份有限公司营收3286亿元。\n"
            "另据年报,2022年,宁德时代新能源科技股份有限公司营收3100亿元。")
    assert conflict_spans(nlp, text) == [["3286亿元", "3100亿元"]]


def test_industry_in_the_clause_is_the_subject(nlp):
    text = "2020年,全区智能装备产业集群实现产值370亿元。\n2020年,全区智能装备产业集群实现产值420亿元。"
    assert conflict_spans(nlp, text) == [["370亿元", "420亿元"]]


@pytest.mark.parametrize("text", [
    # different organizations
    "2022年,宁德时代新能源科技股份有限公司营收3286亿元。2022年,比亚迪股份有限公司营收4240亿元。",
    # different years
    "2021年,宁德时代新能源科技股份有限公司营收1303亿元。2022年,宁德时代新能源科技股份有限公司营收3286亿元。",
    # a goal and a result
    "2022年,苏州华兴科技有限公司营收5亿元。2022年,苏州华兴科技有限公司力争营收8亿元。",
    # different attributes of one organization
    "苏州华兴科技有限公司营收5亿元,苏州华兴科技有限公司净利润0.8亿元。",
    # a bound and a value that meet
    "整个产业链项目投资超过430亿元。\n整个产业链项目投资450亿元。",
    # an amount with no attribute says nothing about an organization
    "苏州华兴科技有限公司获得5亿元。苏州华兴科技有限公司捐赠100万元。",
    # different industries
    "全区智能装备产业集群产值370亿元。全区生物医药产业集群产值500亿元。",
])
def test_no_false_conflicts(nlp, text):
    assert conflict_spans(nlp, text) == []


@pytest.mark.parametrize("text,expected", [
    ("2021年营收增长,注册资本1,00万元。", ["1,00"]),
    ("2021年产值下降,22年3月产值回升。", ["22年"]),
    ("总投资5,000万元,2021年开工。", []),
    ("项目于2021年开工,建设期20年。", []),
])
def test_more_suspicious_numbers(text, expected):
    found = [text[s:e] for w in find_suspicious_numbers(text) for s, e in w["spans"]]
    assert found == expected
