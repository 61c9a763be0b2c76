from pipeline.check import find_suspicious_numbers


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
