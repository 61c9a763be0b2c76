"""The money grammar: find amounts of money in Chinese text and normalize them.

Input is the *cleaned* text (ASCII digits and punctuation, same length as the original,
see ``pipeline.stages.clean``), so every offset found here is an offset into the original text.

A money span runs from the first numeral (or a leading currency word such as 人民币/￥)
to the currency word: 5亿元, 5亿元人民币, 人民币5,000万元, 3至5亿元, 5亿多元, 数十亿元.
Qualifiers (约, 超过, 以上…) and per-unit markers (亩均, 每年, /亩…) stay outside the span
and are read from its context into ``qualifier`` and ``per``.

Numerals are read by ``pipeline.grammar.numerals`` (cn2an). JioNLP's ``extract_money`` is the
closest existing extractor; it is not used because it keeps qualifiers inside spans, drops
the lower bound of ranges such as 3至5亿元, misses bare amounts (总投资5个亿), sign prefixes
($500万) and per-unit amounts, and is slower: ``benchmarks/money_vs_jionlp.py`` compares
the two on the case table ``tests/cases/amounts.tsv``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.grammar.numerals import MAGNITUDES, parse_number
from pipeline.text.sentences import ITEM_END

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
    "澳元": "AUD",
    "加元": "CAD",
    "新加坡元": "SGD",
    "瑞士法郎": "CHF",
    "卢布": "RUB",
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
# Currency words that may also stand before the number: 人民币5亿元, 美元3000万.
CURRENCY_PREFIX_WORDS = ("人民币", "美元", "港币", "港元", "欧元", "日元", "英镑")

# Context words. A regex alternation tries its branches in order at the leftmost position,
# so longer words come first where one ends another (不超过 before 超过).
QUALIFIERS_BEFORE: dict[str, str] = {
    "不少于": ">=", "不低于": ">=", "不小于": ">=", "至少": ">=", "最少": ">=", "起码": ">=",
    "不超过": "<=", "不高于": "<=", "不大于": "<=", "最高": "<=", "最多": "<=", "至多": "<=",
    "不到": "<", "不足": "<", "少于": "<", "低于": "<",
    "超过": ">", "多于": ">", "高于": ">", "逾": ">", "超": ">",
    "大约": "~", "约合": "~", "约为": "~", "约": "~", "将近": "~", "接近": "~", "近": "~",
}
# A verb may stand between the qualifier and the number: 最高可达, 超过了, 约为, 大约投入,
# 最高奖励, 最高可获得.
_QUALIFIER_VERBS = (
    "可达|达到|达|为|了|有|需要|需|投资|投入|耗资|花费|奖励|补贴|补助|资助|可获得|可获|获得|可享受|享受|给予"
)
_QUALIFIER_BEFORE = re.compile(
    "(?<![最附])(" + "|".join(QUALIFIERS_BEFORE) + rf")(?:{_QUALIFIER_VERBS})?\s*$"
)
QUALIFIERS_AFTER: dict[str, str] = {
    "及以上": ">=", "以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "左右": "~", "上下": "~",
}
_QUALIFIER_AFTER = re.compile(r"\s*(" + "|".join(QUALIFIERS_AFTER) + ")(?!游)")  # 上下游 is no qualifier
# Before a bare 百/千/万/亿 (上亿元, 上百亿元, 过亿元) one more character qualifies the amount.
ROUND_NUMBER_QUALIFIERS = {"上": ">=", "过": ">", "破": ">"}
PER_BEFORE: dict[str, str] = {
    "亩均": "亩", "每亩": "亩", "人均": "人", "每人": "人", "每股": "股", "每年": "年",
    "年均": "年", "每户": "户", "每平方米": "平方米", "每吨": "吨", "每月": "月", "每天": "天",
}
PER_COUNTED_BEFORE = re.compile(r"每(\d+)(股|人|户|亩|吨|台)")  # 每10股派息11.42元: per 10股
PER_AFTER = re.compile(r"^\s*(?:/|每)\s*(亩|人|股|年|户|平方米|吨|月|天|台|件|辆|千瓦时|度|kg|公斤)")
# A qualifier or per-unit word belongs to the amount when it stands this near before it, in
# the same clause or enumeration item (segment.ITEM_END).
CONTEXT_WINDOW = 12

# Keywords that make a bare 5亿 / 3000万 (no currency word) an amount of money.
MONEY_KEYWORDS = re.compile(
    r"(投资|投入|资金|融资|募资|募集|营收|营业收入|营业额|收入|销售额|产值|增加值|利润|净利|利税|税收|"
    r"资本|估值|金额|成交额|交易额|贷款|补贴|奖励|预算|资产|市值|出资|拨款|基金|总额|造价|价值|售价|"
    r"成本|费用|支出|财政|生产总值|GDP)"
)

_DIGIT = "[0-9零〇一二两三四五六七八九]"
_AR = r"\d+(?:,\d{3})*(?:\.\d+)?"
_ZH = r"[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
_SIMPLE = rf"(?:{_AR}|{_ZH})"
# 1亿5000万, 一亿五千万, 十二万五千: a higher unit followed by more digits is one number.
_NUM = rf"(?:{_SIMPLE}(?:亿|万)(?={_DIGIT}))?{_SIMPLE}"
_MAG = "(?:个?(?:" + "|".join(MAGNITUDES) + "))"
_CUR = "(?:" + "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True)) + ")"
_SYM = "(?:" + "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True)) + ")"
_PREFIX_WORD = "(?:" + "|".join(CURRENCY_PREFIX_WORDS) + ")"
_SEP = r"(?:至|到|-|~|—{1,2}|–|－|～)"
_APPROX = r"(?:多|余)"
# Vague amounts: 数十亿 is 10亿 up to 100亿; 十几亿 is 10亿 up to 20亿.
VAGUE_FACTORS: dict[str, tuple[float, float]] = {
    "数十": (10.0, 100.0), "几十": (10.0, 100.0), "数百": (100.0, 1000.0), "几百": (100.0, 1000.0),
    "数千": (1e3, 1e4), "几千": (1e3, 1e4), "十几": (10.0, 20.0), "数": (1.0, 10.0), "几": (1.0, 10.0),
}
_VAGUE = "(?:" + "|".join(sorted(VAGUE_FACTORS, key=len, reverse=True)) + ")"
# 上亿元, 逾亿元, 近万元: a magnitude alone stands for one of it after these characters.
_ROUND = r"(?<=[近逾超上过破])(?:万亿|亿|万)(?=元|美元|港元|人民币)"

AMOUNT_PATTERN = re.compile(
    rf"(?P<prefix>{_SYM}\s?|{_PREFIX_WORD})?"
    rf"(?:(?P<vague>{_VAGUE})(?P<vague_mag>{_MAG})?"
    rf"|(?P<round>{_ROUND})"
    rf"|(?P<low>{_NUM})(?P<low_approx>{_APPROX})?(?P<low_mag>{_MAG})?"
    rf"(?:(?P<low_cur>{_CUR})?(?P<sep>{_SEP})(?P<high>{_NUM})(?P<high_approx>{_APPROX})?(?P<high_mag>{_MAG})?)?)"
    rf"(?P<approx>{_APPROX})?"
    rf"(?P<currency>{_CUR})?"
)
# Every amount holds a digit, a Chinese numeral or a magnitude: a cheap test that lets the
# big pattern run only where one of them occurs.
AMOUNT_ANCHOR = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿数几]")
MAX_PREFIX = max(len(word) for word in (*CURRENCY_SYMBOLS, *CURRENCY_PREFIX_WORDS)) + 1
CURRENCY_PREFIX_BEFORE = re.compile(rf"(?:{_SYM}\s?|{_PREFIX_WORD})$")
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
    breaks = list(ITEM_END.finditer(left))
    return left[breaks[-1].end():] if breaks else left


def read_qualifier(text: str, start: int, end: int, inner: str = "") -> str:
    """Comparison that the words around ``text[start:end]`` put on the amount.

    ``inner`` is an approximation word inside the span (5亿多元, 十余亿元): more than.
    """
    before = _QUALIFIER_BEFORE.search(_left_clause(text, start))
    if before:
        return QUALIFIERS_BEFORE[before.group(1)]
    after = _QUALIFIER_AFTER.match(text, end, end + 6)
    if after:
        return QUALIFIERS_AFTER[after.group(1)]
    if start > 0 and text[start - 1] in ROUND_NUMBER_QUALIFIERS and text[start:start + 1] in "百千万亿":
        return ROUND_NUMBER_QUALIFIERS[text[start - 1]]
    return ">" if inner else "="


def read_per(text: str, start: int, end: int) -> str | None:
    """Unit the amount is counted per (亩均投资600万元, 600万元/亩, 每年100亿元), if any."""
    match = PER_AFTER.match(text[end:end + 6])
    if match:
        return match.group(1)
    left = _left_clause(text, start)
    counted = PER_COUNTED_BEFORE.search(left)
    if counted:
        return counted.group(1) + counted.group(2)
    best: tuple[int, str] | None = None
    for word, unit in PER_BEFORE.items():
        position = left.rfind(word)
        if position >= 0 and (best is None or position > best[0]):
            best = (position, unit)
    return best[1] if best else None


def _magnitude(word: str | None) -> float:
    return MAGNITUDES[word.lstrip("个")] if word else 1.0


def _parse_match(match: re.Match[str]) -> tuple[float, float | None, bool] | None:
    """(value, value_max, approximate) of a grammar match, or None if it is no number."""
    if match.group("round"):
        return MAGNITUDES[match.group("round")], None, False
    if match.group("vague"):
        low_factor, high_factor = VAGUE_FACTORS[match.group("vague")]
        magnitude = _magnitude(match.group("vague_mag"))
        return low_factor * magnitude, high_factor * magnitude, False
    low_mag, high_mag = match.group("low_mag"), match.group("high_mag")
    try:
        # The magnitude is parsed with the number: 1亿5000万 is 1亿 plus 5000万.
        low = parse_number(match.group("low") + (low_mag or ""))
        high = parse_number(match.group("high") + (high_mag or "")) if match.group("high") else None
    except ValueError:
        return None
    if high is not None and not low_mag and high_mag:
        # 3至5亿元: a bare lower bound takes the upper bound's magnitude.
        low = parse_number(match.group("low") + high_mag)
    approximate = bool(match.group("low_approx") or match.group("high_approx") or match.group("approx"))
    return low, high, approximate


def _is_money(text: str, match: re.Match[str]) -> bool:
    """Whether a grammar match is an amount of money rather than another number.

    An amount needs a currency (word or sign), or else a large magnitude (5亿, 3000万)
    at a clause end in a clause about money (总投资5亿,). A lone Chinese digit before 元
    (一元化, 三元锂电) and pieces of longer numbers are no amounts.
    """
    if match.group("low_cur") and not match.group("currency"):
        return False  # 5元-6 is no range of money
    if not (match.group("prefix") or match.group("currency")):
        if match.group("round"):
            return False
        magnitude = match.group("low_mag") or match.group("high_mag") or match.group("vague_mag")
        if not magnitude or magnitude.lstrip("个") not in BARE_MAGNITUDES:
            return False
        if not BARE_AMOUNT_FOLLOWER.match(text[match.end():match.end() + 3]):
            return False
        if not MONEY_KEYWORDS.search(_left_clause(text, match.start())):
            return False
    number_start = match.start("low") if match.group("low") else match.start()
    if number_start > 0 and (text[number_start - 1].isdigit() or text[number_start - 1] in ".,"):
        return False  # inside a longer number
    if match.group("vague") and not (match.group("vague_mag") or match.group("currency")):
        return False
    low_text = match.group("low") or ""
    lone_digit = len(low_text) == 1 and not low_text.isdigit()
    return not (lone_digit and not (match.group("low_mag") or match.group("high")))


def _amount_from_match(text: str, match: re.Match[str], require_evidence: bool = True) -> Amount | None:
    """The amount a grammar match denotes, or None when it is no money.

    ``require_evidence`` applies ``_is_money``; a span already known to be money skips it.
    """
    if not (match.group("low") or match.group("vague") or match.group("round")):
        return None
    if require_evidence and not _is_money(text, match):
        return None
    parsed = _parse_match(match)
    if parsed is None:
        return None
    value, value_max, approximate = parsed
    prefix, currency_word = match.group("prefix"), match.group("currency")
    currency = CURRENCY_WORDS[currency_word] if currency_word else "CNY"
    if prefix and currency == "CNY":  # 美元5000万元 is unusual; the prefix names the currency
        currency = CURRENCY_SYMBOLS.get(prefix.strip()) or CURRENCY_WORDS[prefix]
    start, end = match.start(), match.end()
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
    amounts: list[Amount] = []
    position = 0
    # The anchor search skips the long stretches without numerals; the full pattern runs
    # only at each anchor, or at a currency prefix (人民币, ￥, US$) just before it.
    while (anchor := AMOUNT_ANCHOR.search(text, position)) is not None:
        prefix = CURRENCY_PREFIX_BEFORE.search(text, max(position, anchor.start() - MAX_PREFIX), anchor.start())
        match = AMOUNT_PATTERN.match(text, prefix.start() if prefix else anchor.start())
        amount = _amount_from_match(text, match) if match and match.end() > anchor.start() else None
        if amount is not None:
            amounts.append(amount)
        position = max(match.end() if match else 0, anchor.end())
    return amounts


def normalize_amount(text: str, start: int, end: int) -> Amount | None:
    """Value, currency, qualifier and per-unit of the money span ``text[start:end]``.

    The span may come from any recognizer; None when the grammar cannot read it.
    """
    match = AMOUNT_PATTERN.fullmatch(text, start, end)
    return _amount_from_match(text, match, require_evidence=False) if match else None
