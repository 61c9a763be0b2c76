"""Target frames: quantified goals such as 力争实现年均增长20% or 到2025年产值规模力争达到500亿元.

A quantity (an amount of money, a percentage, a count) is a *target* when the nearest
explicit status word before it in its sentence marks a goal (力争, 确保, 目标, 计划…); it is
a *forecast* after 预计/有望 and a *reported fact* after 已/了/去年 — neither is a target.
Without an explicit word, the weak ones decide: 将/要/到2025年 a goal, 同比/较/完成 a report. The frame records the metric (the measured noun phrase nearest the quantity), the
value and unit, the qualifier, the deadline year and the planning period (十四五 → 2021–2025).

The span runs from the metric to the end of the quantity (年均增长20%, 产值规模力争达到500亿元),
or from the quantity to a metric that follows it (100亿元的投资); the quantity alone when the
sentence names no metric. Qualifiers outside that stretch (以上, 不少于) stay outside.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.grammar.amounts import Amount, read_qualifier
from pipeline.grammar.numerals import parse_number
from pipeline.text.sentences import ITEM_END, SentenceIndex

GOAL = "goal"
FORECAST = "forecast"
REPORTED = "reported"

# The nearest explicit status word decides. Weak words decide only when no explicit one
# precedes the quantity: the bare future 将/要 and a deadline 到2025年 mark a goal (预计到2025年
# is a forecast); completion verbs and comparisons (完成, 累计, 同比, 较上年) a report, since
# goals too are set as growth over a base year (力争营收较上年增长10%).
STATUS_MARKERS = re.compile(
    r"(?P<goal>力争|确保|目标|争取|计划|规划|力求|努力|要求)"
    r"|(?P<forecast>预计|预期|有望|估计|预测)"
    r"|(?P<weak_reported>同比|环比|比上年|较上年|比去年|较去年|较|累计|完成)"
    r"|(?P<reported>已经|已|(?<![为除])了(?!解)|去年|上年|截至|截止|过去)"
    r"|(?P<weak_goal>将(?!近)|(?<![主重需只必纲概])要(?!求|素|点|是)|(?<!截)(?:到|至)20\d\d年|20\d\d年前)"
)

_METRIC_WORDS = (
    "年均复合增长率", "复合增长率", "年均增长", "年均增速", "增长率", "增长", "增速", "增幅", "提高", "提升",
    "产值规模", "总产值", "产值", "营业收入", "销售收入", "营收", "收入", "销售额", "市场规模", "规模",
    "增加值", "投资额", "总投资", "固定资产投资", "投资", "税收", "产出", "利润", "出口额", "出口",
    "占比", "比重", "比例", "市场份额", "份额", "研发投入", "投入", "覆盖率", "渗透率", "产能", "产量",
    "主营业务收入", "工业总产值", "工业增加值", "地区生产总值", "GDP", "净利润", "利润总额", "注册资本",
    "融资", "市值", "估值", "研发经费", "进出口总额", "进出口", "实际使用外资", "招商引资", "到位资金",
    "工业投资", "技改投资",
)
METRIC = re.compile(
    r"(?:亩均|人均|年均|单位面积)?(?:" + "|".join(sorted(_METRIC_WORDS, key=len, reverse=True)) + ")"
)
RATE_WORDS = {"年均复合增长率", "复合增长率", "年均增长", "年均增速", "增长率", "增长", "增速", "增幅", "提高", "提升"}
SHARE_WORDS = {"占比", "比重", "比例", "份额", "市场份额"}
COMPARISON_GAP = re.compile(r"(?:同比|环比|(?:较|比)(?:上年|去年|20\d\d年))?")
METRIC_AFTER = re.compile(r"^的?(" + METRIC.pattern + ")")
# Bounded, and only from the start of a run of digits: unbounded, a long run of digits made
# every search start at each of its digits and read to its end (16,000 digits: a minute).
# No percentage or count has more digits than these; a longer run is no quantity.
_NUM = r"(?<![\d.])\d{1,15}(?:,\d{3}){0,6}(?:\.\d{1,12})?"
PERCENT = re.compile(rf"(?P<num>{_NUM})\s?%|百分之(?P<zh>[零一二两三四五六七八九十百点]+)")
POINTS = re.compile(rf"(?P<num>{_NUM})个百分点")
COUNT = re.compile(rf"(?P<num>{_NUM})(?P<unit>家|个|项|座|所|台|套|条|名|户|款|批|万人|人)")
YEAR = re.compile(r"(?:到|至|在)?(20\d\d)年(?:底|末|前|以前)?")
PERIOD = re.compile(r"十([一二三四五六七八九])五")
PERIOD_END = re.compile(r"十[一二三四五六七八九]五”?(?:期?末|期末)")  # 到“十四五”末: the plan's last year
PERIOD_ORDINALS = "一二三四五六七八九"
# How far a target frame reads its sentence from the quantity (longer than any real sentence).
TARGET_REACH = 500


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float
    unit: str
    value_max: float | None = None
    currency: str | None = None
    per: str | None = None


@dataclass(frozen=True)
class Target:
    start: int
    end: int
    metric: str | None
    value: float
    unit: str
    qualifier: str
    deadline: int | None
    period: str | None
    value_max: float | None = None
    per: str | None = None


def period_years(period: str) -> tuple[int, int]:
    """Years of a five-year plan from the 11th on: 十四五 → (2021, 2025)."""
    plan = 10 + PERIOD_ORDINALS.index(period[1]) + 1
    first = 2006 + 5 * (plan - 11)
    return first, first + 4


def status_of(prefix: str) -> str | None:
    """Goal, forecast or reported fact, from the status words in ``prefix``.

    The nearest explicit word decides (预计…将达到 is a forecast, 将力争 a goal); the weak
    words (将/要, 同比, 较, 完成) decide only when no explicit word is there, a weak goal
    word over a weak report word (将实现同比增长 is a goal).
    """
    explicit, weak = None, set()
    for match in STATUS_MARKERS.finditer(prefix):
        if match.lastgroup.startswith("weak_"):
            weak.add(match.lastgroup.removeprefix("weak_"))
        else:
            explicit = match.lastgroup
    if explicit:
        return explicit
    return GOAL if "goal" in weak else REPORTED if "reported" in weak else None


def find_quantities(text: str, amounts: list[Amount]) -> list[Quantity]:
    """Money amounts, percentages, percentage points and counts, left to right."""
    quantities = [
        Quantity(a.start, a.end, a.value, a.currency, a.value_max, a.currency, a.per) for a in amounts
    ]
    taken = [(q.start, q.end) for q in quantities]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in PERCENT.finditer(text):
        number = match.group("num") or match.group("zh")
        try:
            value = parse_number(number)
        except ValueError:
            continue
        if free(match.start(), match.end()):
            quantities.append(Quantity(match.start(), match.end(), value, "%"))
    for match in POINTS.finditer(text):
        if free(match.start(), match.end()):
            quantities.append(Quantity(match.start(), match.end(), parse_number(match.group("num")), "pp"))
    for match in COUNT.finditer(text):
        before = text[match.start() - 1:match.start()]
        if before.isdigit() or before == "." or not free(match.start(), match.end()):
            continue
        quantities.append(Quantity(match.start(), match.end(), parse_number(match.group("num")), match.group("unit")))
    return sorted(quantities, key=lambda q: q.start)


def _metric_before(text: str, clause_start: int, position: int) -> tuple[int, str] | None:
    """(start, metric) of the metric nearest before ``position`` in its clause.

    A rate after a level, directly or across a comparison (出口额年均增长, 营收同比增长), is
    one metric: the rate of that level. A share of one level in another (增加值占GDP比重) is
    the first level's share: 增加值占比.
    """
    matches = list(METRIC.finditer(text, clause_start, position))
    if not matches:
        return None
    last = matches[-1]
    earlier = matches[:-1]
    if last.group() in RATE_WORDS and earlier:
        level = earlier[-1]
        if COMPARISON_GAP.fullmatch(text, level.end(), last.start()):
            return level.start(), level.group() + last.group()
    if last.group() in SHARE_WORDS:
        for level in reversed(earlier):
            if text.startswith("占", level.end()):
                return level.start(), level.group() + "占比"
    return last.start(), last.group()


def frame_target(text: str, quantity: Quantity, sentences: SentenceIndex) -> Target | None:
    """The target frame of ``quantity``, or None when it is no goal; ``sentences`` index ``text``.

    The sentence is read at most ``TARGET_REACH`` characters either side of the quantity: in a
    run-on text each quantity would otherwise read a block of thousands."""
    sentence_start, sentence_end = sentences.bounds(quantity.start)
    sentence_start = max(sentence_start, quantity.start - TARGET_REACH)
    sentence_end = min(sentence_end, quantity.end + TARGET_REACH)
    prefix = text[sentence_start:quantity.start]
    if status_of(prefix) != GOAL:
        return None
    clause_breaks = [m.end() for m in ITEM_END.finditer(text, sentence_start, quantity.start)]
    clause_start = clause_breaks[-1] if clause_breaks else sentence_start
    start, end, metric = quantity.start, quantity.end, None
    before = _metric_before(text, clause_start, quantity.start)
    after = METRIC_AFTER.match(text[quantity.end:quantity.end + 12])
    if before:
        start, metric = before
    elif after:
        end, metric = quantity.end + after.end(), after.group(1)
    if metric and quantity.unit == "%" and text[start:quantity.start].endswith("的") and "比" not in metric:
        metric += "占比"  # 投资的20%: a share of investment
    years = [int(m.group(1)) for m in YEAR.finditer(prefix)]
    period = PERIOD.search(text, sentence_start, sentence_end)
    period_end = PERIOD_END.search(prefix)
    if not years and period_end:
        years = [period_years(period_end.group())[1]]
    return Target(
        start=start,
        end=end,
        metric=metric,
        value=quantity.value,
        unit=quantity.unit,
        qualifier=read_qualifier(text, quantity.start, quantity.end),
        deadline=years[-1] if years else None,
        period=period.group() if period else None,
        value_max=quantity.value_max,
        per=quantity.per,
    )


def find_targets(text: str, amounts: list[Amount]) -> list[Target]:
    """Every quantified goal in ``text``; ``amounts`` are the money amounts already found."""
    sentences = SentenceIndex(text)
    frames = (frame_target(text, quantity, sentences) for quantity in find_quantities(text, amounts))
    return [frame for frame in frames if frame is not None]
