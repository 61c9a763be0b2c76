"""The money grammar: find amounts of money in Chinese text and normalize them.

Input is the *cleaned* text (ASCII digits and punctuation, same length as the original,
see ``pipeline.stages.clean``), so every offset found here is an offset into the original text.

A money span runs from the first numeral (or a leading currency word, sign or ISO code:
人民币, ￥, 美元 , USD, 负, -) to the currency word: 5亿元, 5亿元人民币, 人民币5,000万元, 3至5亿元,
5亿多元, 数十亿元, 三兆五千億元, 四元五角, 三美元又五十美分. The currency words are every
ISO 4217 currency's Chinese names (``pipeline.grammar.currencies``). Small amounts in
colloquial units (两元, 三块, 五毛) count only in a clause about a price. Traditional and
capital numerals are read as common ones; zero-width characters inside an amount are skipped.
Qualifiers (约, 超过, 以上…) and per-unit markers (亩均, 每年, 每张, /亩…) stay outside the
span and are read from its context into ``qualifier`` and ``per``.

Numerals are read by ``pipeline.grammar.numerals`` (cn2an). JioNLP's ``extract_money`` is the
closest existing extractor; it is not used because it keeps qualifiers inside spans, drops
the lower bound of ranges such as 3至5亿元, misses bare amounts (总投资5个亿), sign prefixes
($500万) and per-unit amounts, rounds values to two decimals, and is slower:
``benchmarks/money_vs_jionlp.py`` compares the two on the case table ``tests/cases/amounts.tsv``
and on the held-apart set ``benchmarks/cases/amounts_heldout.tsv``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from pipeline.grammar.currencies import GENERIC_DEFAULTS, SUBUNITS, SYMBOLS, alternation, currency_words, \
    iso_codes, resolve_generic
from pipeline.grammar.numerals import MAGNITUDES, fold_numerals, parse_number
from pipeline.text.sentences import ITEM_END

# Every currency's written names (CLDR through Babel, colloquial names, short names) → ISO code.
CURRENCY_WORDS: dict[str, str] = currency_words()
# Colloquial units of the yuan: 三块, 五毛, 五毛钱, 八角钱, 五分钱. 角 and 分 alone are no
# units of money (八角 is a spice, 五分 a score); they count only after 元/块 (四元五角).
COLLOQUIAL_UNITS: dict[str, tuple[str, float]] = {
    "块": ("CNY", 1.0), "塊": ("CNY", 1.0), "毛": ("CNY", 0.1), "毛钱": ("CNY", 0.1), "角钱": ("CNY", 0.1),
    "分钱": ("CNY", 0.01),
}
UNIT_WORDS: dict[str, tuple[str, float]] = {
    **{word: (code, 1.0) for word, code in CURRENCY_WORDS.items()},
    **{word: (GENERIC_DEFAULTS[word], 1.0) for word in GENERIC_DEFAULTS},
    **COLLOQUIAL_UNITS, **SUBUNITS, **{code: (code, 1.0) for code in iso_codes()},
}
# Units that need a money context: a price word before them, a compound (三块五), 钱.
WEAK_UNITS = {"元", "块", "塊", "毛"}
CURRENCY_SYMBOLS: dict[str, str] = {**SYMBOLS, **iso_codes()}
# Currency words that may also stand before the number: 人民币5亿元, 美元  200万, 欧元1500万.
CURRENCY_PREFIX_WORDS = frozenset(word for word, code in CURRENCY_WORDS.items()
                                  if len(word) >= 2 and (code != "CNY" or word in ("人民币", "人民幣")))

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
# The units an amount is counted per: 每张, 每小时, 元/千瓦时, 美元/桶; 亩均, 人均, 年均, 户均.
PER_UNITS = (
    "平方米", "千瓦时", "小时", "公斤", "千克", "立方米", "盎司", "亩", "人", "股", "年", "户", "吨", "月", "天",
    "日", "台", "件", "辆", "度", "张", "个", "次", "斤", "份", "单", "桶", "克", "晚", "套", "瓶", "床",
    "位", "名", "场", "周", "kg",
)
_PER_UNIT = "(?:" + "|".join(PER_UNITS) + ")"
PER_BEFORE = re.compile(rf"每(?P<count>\d+)?(?P<unit>{_PER_UNIT})|(?P<average>亩|人|年|户)均")
PER_AFTER = re.compile(rf"^\s*(?:/|每)\s*({_PER_UNIT})")
# 不低于每亩1000万元: a per-unit word may stand between the qualifier and the number.
_QUALIFIER_BEFORE = re.compile(
    "(?<![最附])(" + "|".join(QUALIFIERS_BEFORE) + rf")(?:{_QUALIFIER_VERBS})?\s*(?:每\d*{_PER_UNIT})?\s*$"
)
QUALIFIERS_AFTER: dict[str, str] = {
    "及以上": ">=", "以上": ">=", "以下": "<=", "以内": "<=", "之内": "<=", "左右": "~", "上下": "~",
}
_QUALIFIER_AFTER = re.compile(r"\s*(" + "|".join(QUALIFIERS_AFTER) + ")(?!游)")  # 上下游 is no qualifier
# Before a bare 百/千/万/亿 (上亿元, 上百亿元, 过亿元) one more character qualifies the amount.
ROUND_NUMBER_QUALIFIERS = {"上": ">=", "过": ">", "破": ">"}
# A qualifier or per-unit word belongs to the amount when it stands this near before it, in
# the same clause or enumeration item (segment.ITEM_END).
CONTEXT_WINDOW = 12

# Keywords that make a bare 5亿 / 3000万 (no currency word) an amount of money.
MONEY_KEYWORDS = re.compile(
    r"(投资|投入|资金|融资|募资|募集|营收|营业收入|营业额|收入|销售额|产值|增加值|利润|净利|利税|税收|"
    r"资本|估值|金额|成交额|交易额|贷款|补贴|奖励|预算|资产|市值|出资|拨款|基金|总额|造价|价值|售价|"
    r"成本|费用|支出|财政|生产总值|GDP|亏损|净亏|亏了|赚了|盈利|赔偿|罚款|卖了|花了|花费|支付|月薪|年薪)"
)

_DIGIT = "[0-9零〇一二两三四五六七八九]"
# 6，2万亿元: one comma before one or two digits and a magnitude is a decimal point typed
# wrong; after another comma (3,4,5亿元) it separates the items of a list.
_AR = r"(?:(?<!\d,)\d{1,3},\d{1,2}(?=[ \t]?[万亿千百])|\d+(?:,\d{3})*(?:\.\d+)?(?:[eE][+-]?\d{1,3})?)"
DECIMAL_COMMA = re.compile(r"\d{1,3},\d{1,2}")
# A Chinese numeral does not begin with 零 (找零三块), except 零点五.
_ZH = r"(?:零点[零〇一二三四五六七八九]+|[〇一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千]*(?:点[零〇一二三四五六七八九]+)?)"
_SIMPLE = rf"(?:{_AR}|{_ZH})"
# 1亿5000万, 一亿五千万, 十二万五千, 三兆五千亿: a higher unit followed by more digits is one number.
_NUM = rf"(?:{_SIMPLE}(?:兆|亿|万)零?(?={_DIGIT}))?{_SIMPLE}"  # 4亿零500万, 两亿零八百万
# 投资 5 亿 元: one space may stand between the number, its magnitude and the currency.
_GAP = "[ \t]?"
_MAG = f"(?:{_GAP}个?(?:" + "|".join(MAGNITUDES) + "))"
_CUR = alternation(UNIT_WORDS)
_SYM = alternation(CURRENCY_SYMBOLS)
_PREFIX_WORD = alternation(CURRENCY_PREFIX_WORDS)
_SEP = r"(?:至|到|-|~|—{1,2}|–|－|～)"
_APPROX = r"(?:多|余|来)"
# An explicit sign: 净利润-3亿元, 负3亿元, €-3亿.
_SIGN = "(?:-|−|－|负)"
# After 元/块: 四元五角, 12元8角5分, 两块八毛, 一块五, 九块九; 角 and 分 only here.
_D = "[0-9一二两三四五六七八九]"
_MINOR = rf"(?:零?{_D}[角毛](?:零?{_D}{{1,2}}分(?![钟之]))?|零?{_D}{{1,2}}分(?![钟之])|(?<=[块塊]){_D})钱?"
# After a main unit, its hundredths: 三美元又五十美分.
_CENTS = rf"(?:又|零)?(?P<cents>\d{{1,2}}|[一二两三四五六七八九十]{{1,3}})(?P<cent_unit>{alternation(SUBUNITS)})"
# Vague amounts: 数十亿 is 10亿 up to 100亿; 十几亿 is 10亿 up to 20亿.
VAGUE_FACTORS: dict[str, tuple[float, float]] = {
    "数十": (10.0, 100.0), "几十": (10.0, 100.0), "数百": (100.0, 1000.0), "几百": (100.0, 1000.0),
    "数千": (1e3, 1e4), "几千": (1e3, 1e4), "十几": (10.0, 20.0), "数": (1.0, 10.0), "几": (1.0, 10.0),
}
_VAGUE = "(?:" + "|".join(sorted(VAGUE_FACTORS, key=len, reverse=True)) + ")"
# 上亿元, 逾亿元, 近万元: a magnitude alone stands for one of it after these characters.
# 亿元以上项目, 千万元级: a magnitude alone before 元以上/元以下/元级 is one of it.
_ROUND = (r"(?:(?<=[近逾超上过破])(?:万亿|亿|万)(?=元|美元|港元|人民币)"
          r"|(?<![\d零〇一二两三四五六七八九十百千万亿数几个])(?:万亿|千亿|百亿|十亿|亿|千万|百万|万)(?=元(?:及?以[上下]|级)))")
# 从千万元至亿元: a bare magnitude ends a range as one of it.
_BARE_HIGH = r"(?:万亿|千万|百万|亿|万)(?=元|美元|港元|欧元|人民币)"
# 二三十亿元, 七八千元: two neighbouring digits before a unit are a range.
NEIGHBOUR_DIGITS = re.compile(r"([一二三四五六七八九])([一二三四五六七八九])([十百千万]?)")
CHINESE_ONES = "一二三四五六七八九"

AMOUNT_PATTERN = re.compile(
    rf"(?P<prefix>(?:{_SYM}|{_PREFIX_WORD})[ \t]{{0,3}})?"
    rf"(?P<sign>{_SIGN})?"
    rf"(?:(?P<vague>{_VAGUE})(?P<vague_mag>{_MAG})?"
    rf"|(?P<round>{_ROUND})"
    rf"|(?P<low>{_NUM})(?P<low_approx>{_APPROX})?(?P<low_mag>{_MAG})?"
    rf"(?:(?P<low_cur>{_CUR})?(?P<sep>{_SEP})(?:(?P<high>{_NUM})(?P<high_approx>{_APPROX})?(?P<high_mag>{_MAG})?"
    rf"|(?P<high_round>{_BARE_HIGH})))?)"
    rf"(?P<approx>{_APPROX})?"
    rf"(?:{_GAP}(?P<currency>{_CUR})(?:(?P<minor>{_MINOR})|{_CENTS})?)?"
)
# Every amount holds a digit, a Chinese numeral or a magnitude: a cheap test that lets the
# big pattern run only where one of them occurs.
AMOUNT_ANCHOR = re.compile(r"[0-9零〇一二两三四五六七八九十百千万亿数几]")
MAX_PREFIX = max(len(word) for word in (*CURRENCY_SYMBOLS, *CURRENCY_PREFIX_WORDS)) + 5
CURRENCY_PREFIX_BEFORE = re.compile(rf"(?:(?:{_SYM}|{_PREFIX_WORD})[ \t]{{0,3}}{_SIGN}?|{_SIGN})$")
# The characters a prefix or sign can end with: before any other, the search is skipped.
PREFIX_LAST_CHARS = {word[-1] for word in (*CURRENCY_SYMBOLS, *CURRENCY_PREFIX_WORDS)} | set(" \t-−－负")
BARE_MAGNITUDES = {"万", "亿", "万亿", "千万", "百万", "十亿", "百亿", "千亿"}
# A bare amount (no currency word) counts only before a clause end or 的.
BARE_AMOUNT_FOLLOWER = re.compile(r"^(?:\s*[,，。;；、)）\n]|\s*$|的)")
# A weak unit (两元, 三块, 五毛) is money in a clause about a price, a cost or a payment, and
# not where the unit is the start of a word (一元化, 三块土地).
PRICE_WORDS = re.compile(
    r"价|票|售|卖|买|购|花|付|费|找零|零钱|钱|工资|薪|罚|赔|赚|挣|补贴|奖|捐|租|红包|单价|成本|"
    r"值|收|贵|便宜|省|涨|跌|降|每|仅|只要|才|打折|优惠|押金|定金|报销|"
    r"一[份杯碗斤张个瓶盒袋件次位]"  # 一份盒饭十五块: the price of one
)
WEAK_UNIT_FOLLOWERS = set("钱的每一左以")
# Characters that never stand right before an amount's first digit. A letter may: GDP7070亿元.
NUMBER_JOINERS = re.compile(r"[0-9.]")
# A change verb before X元至Y元 makes them a change and a level, not a range.
CHANGE_BEFORE = re.compile(r"(?:增长|增加|减少|下降|上涨|下跌|提高|降低|上升|回落|扩大|缩小)(?:了|约|近|超|逾)?\s*$")
# Zero-width characters that copied text carries inside numbers (5\u200b亿元).
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# How far around a span normalize_amount reads: the context of a generic currency name.
NORMALIZE_CONTEXT = 200


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

    ``inner`` is an approximation word inside the span: 多/余 (5亿多元, 十余亿元) say more
    than, 来 (十来万元) about.
    """
    before = _QUALIFIER_BEFORE.search(_left_clause(text, start))
    if before:
        return QUALIFIERS_BEFORE[before.group(1)]
    after = _QUALIFIER_AFTER.match(text, end, end + 6)
    if after:
        return QUALIFIERS_AFTER[after.group(1)]
    if start > 0 and text[start - 1] in ROUND_NUMBER_QUALIFIERS and text[start:start + 1] in "百千万亿":
        return ROUND_NUMBER_QUALIFIERS[text[start - 1]]
    return "~" if inner == "来" else ">" if inner else "="


def read_per(text: str, start: int, end: int) -> str | None:
    """Unit the amount is counted per (亩均投资600万元, 600万元/亩, 每年100亿元), if any."""
    match = PER_AFTER.match(text[end:end + 6])
    if match:
        return match.group(1)
    marks = list(PER_BEFORE.finditer(_left_clause(text, start)))
    if not marks:
        return None
    last = marks[-1]  # the nearest: 每10股派息 is per 10股
    return last.group("average") or (last.group("count") or "") + last.group("unit")


def _magnitude(word: str | None) -> float:
    return MAGNITUDES[word.strip().lstrip("个")] if word else 1.0


def _number(digits: str, magnitude: str | None) -> float:
    """The value of a numeral and its magnitude: 1亿5000万 is 1亿 plus 5000万."""
    if DECIMAL_COMMA.fullmatch(digits):
        digits = digits.replace(",", ".")
    return parse_number(digits + (magnitude or "").replace(" ", "").replace("\t", ""))


def _minor_value(minor: str) -> float:
    """角, 毛 and 分 after a main unit (五角, 8角5分, 一块五's 五): in units of the main one."""
    value = 0.0
    for digits, unit in re.findall(rf"({_D}{{1,2}})([角毛分]?)", minor.replace("零", "")):
        value += parse_number(digits) * (0.01 if unit == "分" else 0.1)
    return value


def _parse_match(match: re.Match[str]) -> tuple[float, float | None, str] | None:
    """(value, value_max, approximation word) of a grammar match, or None if it is no number."""
    if match.group("round"):
        return MAGNITUDES[match.group("round")], None, ""
    if match.group("vague"):
        low_factor, high_factor = VAGUE_FACTORS[match.group("vague")]
        magnitude = _magnitude(match.group("vague_mag"))
        return low_factor * magnitude, high_factor * magnitude, ""
    low_text, low_mag, high_mag = match.group("low"), match.group("low_mag"), match.group("high_mag")
    neighbours = NEIGHBOUR_DIGITS.fullmatch(low_text)
    try:
        if (neighbours and not match.group("high")
                and CHINESE_ONES.index(neighbours.group(2)) == CHINESE_ONES.index(neighbours.group(1)) + 1):
            first, second, unit = neighbours.groups()  # 二三十亿: 二十亿 to 三十亿
            return _number(first + unit, low_mag), _number(second + unit, low_mag), ""
        low = _number(low_text, low_mag)
        high = _number(match.group("high"), high_mag) if match.group("high") else None
        if match.group("high_round"):
            high = MAGNITUDES[match.group("high_round")]
    except ValueError:
        return None
    if high is not None and not low_mag and high_mag:
        # 3至5亿元: a bare lower bound takes the upper bound's magnitude.
        low = _number(low_text, high_mag)
    approximate = match.group("low_approx") or match.group("high_approx") or match.group("approx") or ""
    return low, high, approximate


def _weak_unit_is_money(text: str, match: re.Match[str]) -> bool:
    """Whether 两元, 三块, 五毛 is a price: a compound or 钱 says so, or a price word before
    it in its clause with no word going on after the unit (三块土地, 一元化)."""
    if match.group("minor"):
        return True
    follower = text[match.end():match.end() + 1]
    if follower and "\u4e00" <= follower <= "\u9fff" and follower not in WEAK_UNIT_FOLLOWERS:
        return False
    return follower == "钱" or bool(PRICE_WORDS.search(_left_clause(text, match.start())))


def _is_money(text: str, match: re.Match[str]) -> bool:
    """Whether a grammar match is an amount of money rather than another number.

    An amount needs a currency (word or sign), or else a large magnitude (5亿, 3000万)
    at a clause end in a clause about money (总投资5亿,). A weak unit after a small number
    (两元, 三块, 五毛) needs a price context; pieces of longer numbers are no amounts.
    """
    if match.group("low_cur") and not match.group("currency"):
        return False  # 5元-6 is no range of money
    currency = match.group("currency")
    prefix = (match.group("prefix") or "").strip()
    magnitude = match.group("low_mag") or match.group("high_mag") or match.group("vague_mag")
    if not (prefix or currency):
        if match.group("round"):
            return False
        if not magnitude or magnitude.strip().lstrip("个") not in BARE_MAGNITUDES:
            return False
        if not BARE_AMOUNT_FOLLOWER.match(text[match.end():match.end() + 3]):
            return False
        if not MONEY_KEYWORDS.search(_left_clause(text, match.start())):
            return False
    if prefix in CURRENCY_PREFIX_WORDS and not currency and not magnitude:
        follower = text[match.end():match.end() + 1]
        if follower and "\u4e00" <= follower <= "\u9fff":
            return False  # 美元3月走势: a word before a number, no amount
    if currency and currency.isascii() and re.match("[A-Za-z]", text[match.end():match.end() + 1]):
        return False  # 5 GBPS: the code runs on into a word
    first = match.start()
    if first > 0 and NUMBER_JOINERS.match(text[first - 1]):
        return False  # inside a longer number (3.5: 5)
    if first > 1 and text[first - 1] == "," and text[first - 2].isdigit() and re.match(r"\d{3}(?!\d)", text[first:]):
        return False  # a thousands group; 3,4,5亿元 is a list, its last item an amount
    if match.group("vague") and not (match.group("vague_mag") or currency):
        return False
    low_text = match.group("low") or ""
    lone_digit = len(low_text) == 1 and not low_text.isdigit() and not (match.group("low_mag") or match.group("high"))
    if currency in WEAK_UNITS and (currency != "元" or lone_digit):
        return _weak_unit_is_money(text, match)
    return not (lone_digit and not currency)


def _currency(text: str, match: re.Match[str]) -> tuple[str, float]:
    """(ISO code, factor to its main unit) of a match: 五毛 is 0.1 CNY; a generic name (比索)
    takes the country named near it; a prefix names the currency of a bare 元."""
    word, prefix = match.group("currency"), (match.group("prefix") or "").strip()
    if word in GENERIC_DEFAULTS:
        code, factor = resolve_generic(word, text[max(0, match.start() - 200):match.end() + 50]), 1.0
    else:
        code, factor = UNIT_WORDS[word] if word else ("CNY", 1.0)
    if prefix and code == "CNY" and factor == 1.0:  # 美元5000万元 is unusual; the prefix names the currency
        code = CURRENCY_SYMBOLS.get(prefix) or CURRENCY_WORDS[prefix]
    return code, factor


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
    currency, factor = _currency(text, match)
    value, value_max = value * factor, value_max * factor if value_max is not None else None
    if match.group("minor"):
        value += _minor_value(match.group("minor"))
    if match.group("cents") and SUBUNITS[match.group("cent_unit")][0] == currency:
        value += parse_number(match.group("cents")) * SUBUNITS[match.group("cent_unit")][1]
    if match.group("sign"):
        value, value_max = -value, -value_max if value_max is not None else None
    start, end = match.start(), match.end()
    return Amount(
        start=start,
        end=end,
        value=value,
        value_max=value_max,
        currency=currency,
        qualifier=read_qualifier(text, start, end, approximate),
        per=read_per(text, start, end),
        raw_number=match.group("low") or "",
    )


def _visible(text: str) -> tuple[str, list[int] | None]:
    """``text`` without zero-width characters, and each kept character's offset in ``text``
    (None when there were none to drop)."""
    if not INVISIBLE.search(text):
        return text, None
    offsets = [i for i, char in enumerate(text) if not INVISIBLE.match(char)]
    return "".join(text[i] for i in offsets), offsets


def _original_span(start: int, end: int, offsets: list[int] | None) -> tuple[int, int]:
    """(start, end) in the visible text, as offsets into the original one."""
    return (start, end) if offsets is None else (offsets[start], offsets[end - 1] + 1)


def _restore(amount: Amount, offsets: list[int] | None) -> Amount:
    """An amount found in the visible text, with offsets into the original one."""
    if offsets is None:
        return amount
    start, end = _original_span(amount.start, amount.end, offsets)
    return replace(amount, start=start, end=end)


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """The grammar's matches in the folded, visible ``text``, left to right, non-overlapping:
    each one an amount if ``_amount_from_match`` reads it as one."""
    position = 0
    # The anchor search skips the long stretches without numerals; the full pattern runs
    # only at each anchor, or at a currency prefix or sign (人民币, ￥, US$, 负) just before it.
    while (anchor := AMOUNT_ANCHOR.search(text, position)) is not None:
        prefix = None
        if anchor.start() > position and text[anchor.start() - 1] in PREFIX_LAST_CHARS:
            prefix = CURRENCY_PREFIX_BEFORE.search(text, max(position, anchor.start() - MAX_PREFIX), anchor.start())
        match = AMOUNT_PATTERN.match(text, prefix.start() if prefix else anchor.start())
        if match and match.group("low_cur") and match.group("sep") in ("至", "到") and \
                CHANGE_BEFORE.search(_left_clause(text, match.start())):
            # 营收增长9.36亿元至26.66亿元: a change and the level it reaches, two amounts
            match = AMOUNT_PATTERN.match(text, match.start(), match.end("low_cur"))
        if match and match.end() > anchor.start():
            yield match
        position = max(match.end() if match else 0, anchor.end())


def find_amounts(text: str) -> list[Amount]:
    """Every amount of money in ``text``, left to right, non-overlapping."""
    visible, offsets = _visible(text)
    folded = fold_numerals(visible)
    amounts = (_amount_from_match(folded, match) for match in _candidates(folded))
    return [_restore(amount, offsets) for amount in amounts if amount is not None]


def normalize_amount(text: str, start: int, end: int) -> Amount | None:
    """Value, currency, qualifier and per-unit of the money span ``text[start:end]``.

    The span may come from any recognizer; None when the grammar cannot read it. Only the
    stretch around the span is read, so the cost does not grow with the document.
    """
    offset = max(0, start - NORMALIZE_CONTEXT)
    window = text[offset:end + NORMALIZE_CONTEXT]
    visible, offsets = _visible(window)
    folded = fold_numerals(visible)
    # The amount find_amounts(window) finds at the span, if any: the scan runs up to the span
    # (where the matches fall depends on the ones before), but only the match at the span is
    # read as an amount, which is most of the cost of find_amounts.
    for match in _candidates(folded):
        match_start, match_end = _original_span(match.start(), match.end(), offsets)
        if match_start >= start - offset:
            if (match_start, match_end) == (start - offset, end - offset):
                amount = _amount_from_match(folded, match)
                if amount is not None:
                    return replace(amount, start=start, end=end)
            break
    folded = fold_numerals(window)
    match = AMOUNT_PATTERN.fullmatch(folded, start - offset, end - offset)
    amount = _amount_from_match(folded, match, require_evidence=False) if match else None
    return replace(amount, start=start, end=end) if amount else None
