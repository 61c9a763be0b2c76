import pytest

from pipeline.grammar.numerals import parse_number

CASES = [
    ("5", 5.0), ("3.5", 3.5), ("3,500", 3500.0), ("1,234,567.8", 1234567.8), ("045", 45.0),
    ("五", 5.0), ("十", 10.0), ("十五", 15.0), ("三十五", 35.0), ("两千", 2000.0), ("一百二十三点四", 123.4),
    ("五亿", 5e8), ("三十五亿", 3.5e9), ("两千万", 2e7), ("一百二十万", 1.2e6), ("千亿", 1e11),
    ("一点二万亿", 1.2e12), ("3.5万亿", 3.5e12), ("5千万", 5e7), ("零点五", 0.5), ("一千零五", 1005.0),
    ("1亿5000万", 1.5e8), ("一亿五千万", 1.5e8), ("3亿5千万", 3.5e8), ("十二万五千", 1.25e5), ("三点五亿", 3.5e8),
    ("5个亿", 5e8), ("两亿", 2e8),
    # 兆 is 1e12 in money; traditional and capital numerals; an exponent
    ("三兆五千亿", 3.5e12), ("2兆", 2e12), ("兩億", 2e8), ("五千萬", 5e7), ("壹佰萬", 1e6),
    ("贰仟伍佰万", 2.5e7), ("捌万陆仟", 86000.0), ("叁拾", 30.0), ("1e10", 1e10), ("2.5E3", 2500.0),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "亿元", "5元"])
def test_parse_number_rejects_non_numerals(text):
    with pytest.raises(ValueError):
        parse_number(text)
