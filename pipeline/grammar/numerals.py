"""Chinese and Arabic numerals to numbers.

Pure functions shared by the amount grammar and the target frames. ``cn2an`` does the
Chinese numeral arithmetic; it refuses decimals followed by a magnitude (一点二万亿) and bare
magnitudes (千亿), so those suffixes are peeled off here and multiplied back.
"""
from __future__ import annotations

import re
import warnings
from decimal import Decimal

with warnings.catch_warnings():
    # cn2an imports proces, which warns about its own deprecated modules at import time.
    warnings.simplefilter("ignore")
    import cn2an

# Longest first, so that 万亿 wins over 亿. 兆 is 1e12 as in Taiwan and Hong Kong finance
# (三兆五千億元); the amount grammar reads it only before a currency, since 兆瓦 is 1e6 watts.
MAGNITUDES: dict[str, float] = {
    "万亿": 1e12,
    "兆": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "十亿": 1e9,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "十万": 1e5,
    "万": 1e4,
    "千": 1e3,
    "百": 1e2,
}

CHINESE_DIGITS = "零〇一二两三四五六七八九"
CHINESE_NUMERAL_CHARS = CHINESE_DIGITS + "十百千万亿兆点"
NUMERAL_CHARS = CHINESE_NUMERAL_CHARS + "0123456789.,"
# Traditional and capital (banker's) numerals → the common ones, one character for one, so
# that offsets into the folded text are offsets into the original: 壹佰萬 → 一百万, 兩億 → 两亿.
NUMERAL_FOLDS = str.maketrans({
    "壹": "一", "贰": "二", "貳": "二", "叁": "三", "參": "三", "肆": "四", "伍": "五", "陆": "六",
    "陸": "六", "柒": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百", "仟": "千", "萬": "万",
    "億": "亿", "兩": "两", "點": "点", "數": "数", "幾": "几",
})
# Any character NUMERAL_FOLDS changes. Most texts have none, and finding that out with one
# regex scan is ten times faster than str.translate, which looks up every character.
FOLDABLE = re.compile("[" + re.escape("".join(map(chr, NUMERAL_FOLDS))) + "]")

# 1e10: an exponent is part of the number, not a break before a new one (10).
ARABIC_NUMBER = re.compile(r"^\d+(?:[,，]\d{3})*(?:\.\d+)?(?:[eE][+-]?\d{1,3})?$")


def fold_numerals(text: str) -> str:
    """``text`` with traditional and capital numerals written as common ones (same length)."""
    return text.translate(NUMERAL_FOLDS) if FOLDABLE.search(text) else text


def parse_number(text: str) -> float:
    """Value of an Arabic, Chinese or mixed numeral, magnitudes included.

    >>> parse_number("3,500.5"), parse_number("三十五亿"), parse_number("一点二万亿"), parse_number("1亿5000万")
    (3500.5, 3500000000.0, 1200000000000.0, 150000000.0)

    Raises ``ValueError`` for text that is not a numeral.
    """
    text = fold_numerals(text.strip()).replace("个亿", "亿")  # 5个亿: colloquial for 5亿
    if not text:
        raise ValueError("empty numeral")
    if ARABIC_NUMBER.match(text):
        return float(text.replace(",", "").replace("，", ""))
    # 3.5万亿, 5千万: an Arabic head takes any magnitude.
    for suffix, factor in MAGNITUDES.items():
        head = text[: -len(suffix)]
        if text.endswith(suffix) and head and ARABIC_NUMBER.match(head):
            # Decimal keeps 4240.61亿 at 424061000000.0 instead of a binary rounding error.
            return float(Decimal(head.replace(",", "").replace("，", "")) * Decimal(factor))
    if not all(ch in NUMERAL_CHARS for ch in text):
        raise ValueError(f"not a numeral: {text!r}")
    if text[0] in "十百千万亿兆":
        text = "一" + text
    try:
        # cn2an also reads mixed numerals such as 1亿5000万.
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):  # cn2an fails on some malformed numerals (十二十二) with these
        pass
    # 一点二万亿, 千亿, 3亿5千万: only the large magnitudes are split off, since 一百二十万
    # must stay 1.2e6.
    for magnitude in ("兆", "万亿", "亿", "万"):
        head, found, tail = text.partition(magnitude)
        if found and head:
            scaled = Decimal(str(parse_number(head))) * Decimal(MAGNITUDES[magnitude])
            return float(scaled) + (parse_number(tail) if tail else 0.0)
    raise ValueError(f"not a numeral: {text!r}")
