"""The money grammar: find amounts of money in Chinese text and normalize them.

Input is the *cleaned* text (ASCII digits and punctuation, same length as the original,
see ``pipeline.clean``), so every offset found here is an offset into the original text.

A money span runs from the first numeral (or a leading currency word such as 人民币/￥)
to the currency word: 5亿元, 5亿元人民币, 人民币5,000万元, 3至5亿元, 5亿多元, 数十亿元.
Qualifiers (约, 超过, 以上…) and per-unit markers (亩均, 每年, /亩…) stay outside the span
and are read from its context into ``qualifier`` and ``per``.

JioNLP's ``extract_money`` is the closest existing tool; it is not used because it keeps
qualifiers inside spans, drops range lower bounds and has no per-unit amounts (issue 4).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.numerals import MAGNITUDES, parse_number

CURRENCY_WORDS: dict[str, str] = {
    "元人民币": "CNY",
    "元": "CNY",
    "块钱": "CNY",
    "人民币": "CNY",
    "美元": "USD",
    "美金": "USD",
    "港元": "HKD",
    "港币": "HKD",
    "欧元": "EUR",
    "日元": "JPY",
    "英镑": "GBP",
    "韩元": "KRW",
    "新台币": "TWD",
}
CURRENCY_SYMBOLS: dict[str, str] = {
    "RMB": "CNY",
    "￥": "CNY",
    "¥": "CNY",
    "US$": "USD",
    "HK$": "HKD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
}

# Context words, longest first within each table so that 不超过 wins over 超过.
QUALIFIERS_BEFORE: dict[str, str] = {
    "不少于": ">=", "不低于": ">=", "不小于": ">=", "至少": ">=", "最少": ">=",
    "不超过": "<=", "不高于": "<=", "不大于": "<=", "最高": "<=", "最多": "<=", "至多": "<=",
    "不到": "<", "不足": "<", "少于": "<", "低于": "<",
    "超过": ">", "多于": ">", "高于": ">", "逾": ">", "超": ">",
    "大约": "~", "约合": "~", "约": "~", "将近": "~", "接近": "~", "近": "~",
}
QUALIFIERS_AFTER: dict[str, str] = {
    "以上": ">=", "及以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=",
    "左右": "~", "上下": "~",
}
PER_BEFORE: dict[str, str] = {
    "亩均": "亩", "每亩": "亩", "人均": "人", "每人": "人", "每股": "股", "每年": "年",
    "年均": "年", "每户": "户", "每平方米": "平方米", "每吨": "吨", "每月": "月", "每天": "天",
}
PER_AFTER = re.compile(r"^\s*/\s*(亩|人|股|年|户|平方米|吨|月|天|台|件)")
# Where a qualifier or per-unit word may still belong to the amount: the same clause.
CLAUSE_BREAK = re.compile(r"[,，。;；!！?？:：、\n]")
CONTEXT_WINDOW = 12

# Keywords that make a bare 5亿 / 3000万 (no currency word) an amount of money.
MONEY_KEYWORDS = re.compile(
    r"(投资|投入|资金|融资|募资|募集|营收|营业收入|收入|销售额|产值|增加值|利润|税收|"
    r"资本|估值|金额|成交额|交易额|贷款|补贴|奖励|预算|资产|市值|出资|拨款|基金|总额|造价)"
)

_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_ZH = r"[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
_MAG = "(?:" + "|".join(MAGNITUDES) + ")"
_NUM = rf"(?:{_AR}|{_ZH})"
_CUR = "(?:" + "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True)) + ")"
_SYM = "(?:" + "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True)) + ")"
_SEP = r"(?:至|到|-|~|—{1,2}|–|－|～)"
_APPROX = r"(?:多|余)"

AMOUNT_PATTERN = re.compile(
    rf"(?P<prefix>{_SYM}\s?|人民币|美元|港币|港元|欧元)?"
    rf"(?:(?P<vague>数|几)(?P<vague_base>十|百|千)?(?P<vague_mag>{_MAG})?"
    rf"|(?P<low>{_NUM})(?P<low_approx>{_APPROX})?(?P<low_mag>{_MAG})?"
    rf"(?:(?P<low_cur>{_CUR})?(?P<sep>{_SEP})(?P<high>{_NUM})(?P<high_approx>{_APPROX})?(?P<high_mag>{_MAG})?)?)"
    rf"(?P<approx>{_APPROX})?"
    rf"(?P<currency>{_CUR})?"
)
BARE_MAGNITUDES = {"万", "亿", "万亿", "千万", "百万", "十亿", "百亿", "千亿"}
# A bare amount (no currency word) counts only before a clause end or 的.
BARE_AMOUNT_FOLLOWER = re.compile(r"^(?:\s*[,，。;；、)）\n]|\s*$|的)")


@dataclass(frozen=True)
class Amount:
    """An amount of money found in text; offsets index the text it was found in."""

    start: int
    end: int
    value: float
    value_max: float | None = None
    currency: str = "CNY"
    qualifier: str = "="
    per: str | None = None
    raw_number: str = field(default="", compare=False)


def _left_clause(text: str, start: int) -> str:
    """The words before ``start`` in the same clause, at most CONTEXT_WINDOW characters."""
    left = text[max(0, start - CONTEXT_WINDOW):start]
    breaks = list(CLAUSE_BREAK.finditer(left))
    return left[breaks[-1].end():] if breaks else left


def read_qualifier(text: str, start: int, end: int, inner: str = "") -> str:
    """Comparison that the words around ``text[start:end]`` put on the amount."""
    left = _left_clause(text, start).rstrip()
    right = text[end:end + 4].lstrip()
    for word, qualifier in QUALIFIERS_BEFORE.items():
        if left.endswith(word):
            return qualifier
    for word, qualifier in QUALIFIERS_AFTER.items():
        if right.startswith(word):
            return qualifier
    if inner:
        return ">"  # 5亿多元, 十余亿元
    return "="


def read_per(text: str, start: int, end: int) -> str | None:
    """Unit the amount is counted per (亩均投资600万元, 600万元/亩, 每年100亿元), if any."""
    match = PER_AFTER.match(text[end:end + 6])
    if match:
        return match.group(1)
    left = _left_clause(text, start)
    best: tuple[int, str] | None = None
    for word, unit in PER_BEFORE.items():
        position = left.rfind(word)
        if position >= 0 and (best is None or position > best[0]):
            best = (position, unit)
    return best[1] if best else None


def _magnitude(word: str | None) -> float:
    return MAGNITUDES[word] if word else 1.0


def _parse_match(match: re.Match[str]) -> tuple[float, float | None, bool] | None:
    """(value, value_max, approximate) of a grammar match, or None if it is no number."""
    if match.group("vague"):
        base = match.group("vague_base")
        magnitude = _magnitude(match.group("vague_mag"))
        if not base and not match.group("vague_mag"):
            return None
        low = {"十": 10.0, "百": 100.0, "千": 1000.0}.get(base, 1.0) * magnitude
        return low, low * 10, False  # 数十亿: 10亿 up to 100亿
    try:
        low = parse_number(match.group("low"))
        high = parse_number(match.group("high")) if match.group("high") else None
    except ValueError:
        return None
    low_mag = match.group("low_mag")
    high_mag = match.group("high_mag")
    if high is not None:
        # 3至5亿元: the lower bound takes the upper bound's magnitude.
        low *= _magnitude(low_mag or high_mag)
        high *= _magnitude(high_mag)
    else:
        low *= _magnitude(low_mag)
    approximate = bool(match.group("low_approx") or match.group("high_approx") or match.group("approx"))
    return low, high, approximate


def _amount_from_match(text: str, match: re.Match[str], require_evidence: bool = True) -> Amount | None:
    """The amount a grammar match denotes, or None when it is no money.

    ``require_evidence`` applies the checks that keep bare numbers (no currency word) and
    pieces of longer numbers out; a span already known to be money skips them.
    """
    if match.start() == match.end() or not (match.group("low") or match.group("vague")):
        return None
    prefix, currency_word = match.group("prefix"), match.group("currency")
    if match.group("low_cur") and not currency_word:
        return None  # 5元-6 is no range of money
    start, end = match.start(), match.end()
    number_start = match.start("vague") if match.group("vague") else match.start("low")
    if require_evidence:
        if not prefix and not currency_word:
            magnitude = match.group("low_mag") or match.group("high_mag") or match.group("vague_mag")
            if magnitude not in BARE_MAGNITUDES:
                return None
            if not BARE_AMOUNT_FOLLOWER.match(text[end:end + 3]):
                return None
            if not MONEY_KEYWORDS.search(_left_clause(text, start)):
                return None
        if number_start > 0 and (text[number_start - 1].isdigit() or text[number_start - 1] == "."):
            return None  # inside a longer number
        low_text = match.group("low") or ""
        if len(low_text) == 1 and not low_text.isdigit() and not (match.group("low_mag") or match.group("high")):
            return None  # 一元化, 统一元件: a lone Chinese digit before 元 is rarely money
    parsed = _parse_match(match)
    if parsed is None:
        return None
    value, value_max, approximate = parsed
    if prefix:
        currency = CURRENCY_SYMBOLS.get(prefix.strip()) or CURRENCY_WORDS[prefix]
        if currency_word and currency_word not in ("元", "元人民币", "人民币"):
            currency = CURRENCY_WORDS[currency_word]
    else:
        currency = CURRENCY_WORDS[currency_word] if currency_word else "CNY"
    return Amount(
        start=start,
        end=end,
        value=value,
        value_max=value_max,
        currency=currency,
        qualifier=read_qualifier(text, start, end, "多" if approximate else ""),
        per=read_per(text, start, end),
        raw_number=match.group("low") or "",
    )


def find_amounts(text: str) -> list[Amount]:
    """Every amount of money in ``text``, left to right, non-overlapping."""
    found = (_amount_from_match(text, match) for match in AMOUNT_PATTERN.finditer(text))
    return [amount for amount in found if amount is not None]


def normalize_amount(text: str, start: int, end: int) -> Amount | None:
    """Value, currency, qualifier and per-unit of the money span ``text[start:end]``.

    The span may come from any recognizer; None when the grammar cannot read it.
    """
    match = AMOUNT_PATTERN.fullmatch(text, start, end)
    return _amount_from_match(text, match, require_evidence=False) if match else None
