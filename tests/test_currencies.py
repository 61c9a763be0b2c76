"""Currency names: CLDR's (through Babel), the colloquial and short ones, and generic names
resolved by the country named near them."""
import re

import pytest

from pipeline.grammar.currencies import (
    COLLOQUIAL_NAMES, GENERIC_DEFAULTS, alternation, currency_words, iso_codes, resolve_generic,
)

WORDS = [
    # CLDR names, simplified and traditional
    ("人民币", "CNY"), ("人民幣", "CNY"), ("美元", "USD"), ("泰铢", "THB"), ("泰銖", "THB"), ("越南盾", "VND"),
    ("印度卢比", "INR"), ("巴西雷亚尔", "BRL"), ("南非兰特", "ZAR"), ("新台币", "TWD"), ("新台幣", "TWD"),
    ("港幣", "HKD"), ("日圓", "JPY"), ("哈萨克斯坦坚戈", "KZT"), ("菲律賓披索", "PHP"), ("欧元", "EUR"),
    # short names: the rest of a CLDR name after its country, when one currency ends in it
    ("雷亚尔", "BRL"), ("兰特", "ZAR"), ("林吉特", "MYR"), ("坚戈", "KZT"), ("里拉", "TRY"), ("兹罗提", "PLN"),
    # a country joined to a generic name
    ("印尼盾", "IDR"), ("沙特里亚尔", "SAR"), ("阿联酋迪拉姆", "AED"), ("墨西哥比索", "MXN"), ("瑞典克朗", "SEK"),
    # colloquial names
    ("美金", "USD"), ("港纸", "HKD"), ("台币", "TWD"), ("新元", "SGD"), ("加元", "CAD"), ("块钱", "CNY"),
    ("元", "CNY"),
]


@pytest.mark.parametrize("word,code", WORDS)
def test_currency_words(word, code):
    assert currency_words()[word] == code


def test_every_currency_in_tender_has_a_chinese_name():
    codes = set(currency_words().values())
    assert len(codes) >= 150
    assert {"USD", "CNY", "VND", "ZAR", "KZT", "NGN", "UAH", "BDT"} <= codes


@pytest.mark.parametrize("word", ["黄金", "特别提款权", "美元（次日）", "卢比", "比索", "法郎", "克朗", "镑"])
def test_no_gold_no_bracketed_names_no_bare_generic_names(word):
    assert word not in currency_words()


@pytest.mark.parametrize("generic,context,code", [
    ("比索", "在菲律宾马尼拉,一份外卖", "PHP"),
    ("比索", "阿根廷通胀高企,", "ARS"),
    ("比索", "一份外卖", GENERIC_DEFAULTS["比索"]),
    ("迪拉姆", "迪拜写字楼月租", "AED"),
    ("迪拉姆", "摩洛哥汽车工厂", "MAD"),
    ("卢比", "巴基斯坦电站", "PKR"),
    ("卢比", "印尼,巴基斯坦电站", "PKR"),  # the country named last before the amount
    ("克朗", "挪威主权基金", "NOK"),
])
def test_resolve_generic(generic, context, code):
    assert resolve_generic(generic, context) == code


def test_codes_that_are_english_words_are_not_read():
    assert "USD" in iso_codes() and "EUR" in iso_codes()
    assert not {"TOP", "ALL", "AMD", "CUP"} & set(iso_codes())


@pytest.mark.parametrize("words,text,expected", [
    (["元", "美元", "美元又"], "美元又", "美元又"),
    (["港", "港元", "港元人民币"], "港元人", "港元"),
    (["a.b"], "axb", None),
])
def test_alternation_takes_the_longest_literal_word(words, text, expected):
    match = re.match(alternation(words), text)
    assert (match.group() if match else None) == expected


def test_colloquial_names_are_words_of_the_table():
    assert set(COLLOQUIAL_NAMES) <= set(currency_words())
