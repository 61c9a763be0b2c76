"""The amount grammar, table-driven: (text, span, value, value_max, currency, qualifier, per)."""
import pytest

from pipeline.grammar.amounts import find_amounts, normalize_amount
from pipeline.stages.clean import fold_text

CASES = [
    ("总投资5亿元的项目", "5亿元", 5e8, None, "CNY", "=", None),
    ("预计投资额为5亿元人民币。", "5亿元人民币", 5e8, None, "CNY", "=", None),
    ("注册资本人民币5,000万元", "人民币5,000万元", 5e7, None, "CNY", "=", None),
    ("项目投资3至5亿元", "3至5亿元", 3e8, 5e8, "CNY", "=", None),
    ("项目投资3-5亿元", "3-5亿元", 3e8, 5e8, "CNY", "=", None),
    ("项目投资3亿—5亿元", "3亿—5亿元", 3e8, 5e8, "CNY", "=", None),
    ("报价7360万元到9000万元不等", "7360万元到9000万元", 7.36e7, 9e7, "CNY", "=", None),
    ("投资5亿多元", "5亿多元", 5e8, None, "CNY", ">", None),
    ("撬动数十亿元社会资本", "数十亿元", 1e9, 1e10, "CNY", "=", None),
    ("总投资十余亿元", "十余亿元", 1e9, None, "CNY", ">", None),
    ("总投资三十五亿元", "三十五亿元", 3.5e9, None, "CNY", "=", None),
    ("获得两千万元融资", "两千万元", 2e7, None, "CNY", "=", None),
    ("产业规模达一点二万亿元", "一点二万亿元", 1.2e12, None, "CNY", "=", None),
    ("市场规模3.5万亿元", "3.5万亿元", 3.5e12, None, "CNY", "=", None),
    ("总投资约1.5亿元", "1.5亿元", 1.5e8, None, "CNY", "~", None),
    ("总投资近10亿元", "10亿元", 1e9, None, "CNY", "~", None),
    ("投资超过430亿元", "430亿元", 4.3e10, None, "CNY", ">", None),
    ("投资逾千亿元", "千亿元", 1e11, None, "CNY", ">", None),
    ("每年不少于100亿元的投资", "100亿元", 1e10, None, "CNY", ">=", "年"),
    ("投资不超过2亿元", "2亿元", 2e8, None, "CNY", "<=", None),
    ("投资2亿元左右", "2亿元", 2e8, None, "CNY", "~", None),
    ("投资2亿元以上", "2亿元", 2e8, None, "CNY", ">=", None),
    ("亩均投资600万元", "600万元", 6e6, None, "CNY", "=", "亩"),
    ("投资强度600万元/亩", "600万元", 6e6, None, "CNY", "=", "亩"),
    ("人均可支配收入8万元", "8万元", 8e4, None, "CNY", "=", "人"),
    ("每股派发0.5元", "0.5元", 0.5, None, "CNY", "=", "股"),
    ("融资2.5亿美元", "2.5亿美元", 2.5e8, None, "USD", "=", None),
    ("募资10亿港元", "10亿港元", 1e9, None, "HKD", "=", None),
    ("收购价3亿欧元", "3亿欧元", 3e8, None, "EUR", "=", None),
    ("售价￥300", "¥300", 300.0, None, "CNY", "=", None),
    ("营收１２亿元", "12亿元", 1.2e9, None, "CNY", "=", None),
    ("总投资5亿,建设期2年", "5亿", 5e8, None, "CNY", "=", None),
]


@pytest.mark.parametrize("text,span,value,value_max,currency,qualifier,per", CASES)
def test_find_amounts(text, span, value, value_max, currency, qualifier, per):
    clean = fold_text(text)
    amounts = find_amounts(clean)
    assert len(amounts) == 1, amounts
    amount = amounts[0]
    assert clean[amount.start:amount.end] == span
    assert amount.value == pytest.approx(value)
    assert (amount.value_max is None) == (value_max is None)
    if value_max is not None:
        assert amount.value_max == pytest.approx(value_max)
    assert (amount.currency, amount.qualifier, amount.per) == (currency, qualifier, per)


NEGATIVES = [
    "规上企业达496家", "面积7.74平方公里", "可推出3400亩可用", "年产3000万人份疫苗", "年产1200吨",
    "股票代码000402", "我的微信号:13391219793", "2022年12月26日", "8k大丝束碳纤维", "48k", "8.6代线",
    "增长10.4%", "提高9.3个百分点", "发行5000万股", "统一元件", "多元化发展", "人口500万", "5亿人次",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_non_money_is_not_tagged(text):
    assert find_amounts(fold_text(text)) == []


def test_offsets_index_the_original_text():
    original = "总投资５亿元，约３至５亿元"
    for amount in find_amounts(fold_text(original)):
        assert original[amount.start:amount.end] in {"５亿元", "３至５亿元"}


def test_normalize_amount_reads_a_given_span():
    text = "总投资约5亿元人民币,用于建设"
    amount = normalize_amount(text, 4, 10)
    assert amount is not None and amount.value == 5e8 and amount.qualifier == "~"
    assert normalize_amount(text, 0, 3) is None


@pytest.mark.parametrize("text,span,value,currency", [
    ("在菲律宾马尼拉,一份外卖售价250比索", "250比索", 250.0, "PHP"),
    ("找零三块", "三块", 3.0, "CNY"),
    ("营收达三兆五千億元新台币", "三兆五千億元新台币", 3.5e12, "TWD"),
    ("总投资5\u200b亿元的项目", "5\u200b亿元", 5e8, "CNY"),
])
def test_normalize_amount_reads_spans_of_the_new_forms(text, span, value, currency):
    start = text.index(span)
    amount = normalize_amount(fold_text(text), start, start + len(span))
    assert amount is not None and (amount.value, amount.currency) == (pytest.approx(value), currency)


def test_normalize_amount_reads_only_around_the_span():
    # a generic name resolves by a country near it, not by one far away in the document
    text = "一份外卖售价250比索。" + "。" * 500 + "阿根廷"
    amount = normalize_amount(text, 6, 11)
    assert amount is not None and amount.currency == "MXN" and (amount.start, amount.end) == (6, 11)


def test_zero_width_characters_keep_original_offsets():
    text = "前面\u200b有字,总投资5\u200b亿元"
    (amount,) = find_amounts(text)
    assert text[amount.start:amount.end] == "5\u200b亿元" and amount.value == 5e8


@pytest.mark.parametrize("text,spans", [
    ("营业收入增长约9.36亿元至26.66亿元", ["9.36亿元", "26.66亿元"]),  # a change and the level it reaches
    ("项目投资3亿元至5亿元", ["3亿元至5亿元"]),  # a range
])
def test_change_to_a_level_is_two_amounts(text, spans):
    assert [text[a.start:a.end] for a in find_amounts(fold_text(text))] == spans
