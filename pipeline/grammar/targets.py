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
from dataclasses import dataclass, replace

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
    r"(?P<goal>力争|确保|(?<!为)目标|争取|计划|规划|力求|努力|要求)"  # 以…为目标的X names X's aim, no goal
    r"|(?P<forecast>预计|预期|有望|估计|预测)"
    r"|(?P<weak_reported>同比|环比|比上年|较上年|比去年|较去年|较|累计|完成)"
    r"|(?P<reported>已经|已|(?<![为除])了(?!解)|去年|上年|截至|截止|过去)"
    r"|(?P<weak_goal>将(?!近)|(?<![主重需只必纲概])要(?!求|素|点|是)|(?<!截)(?:到|至)20\d\d年|20\d\d年前|到“?十[一二三四五六七八九]五”?末)"
)

_METRIC_WORDS = (
    "年均复合增长率", "复合增长率", "年均增长", "年均增速", "增长率", "增长", "增速", "增幅", "提高", "提升",
    "下降", "降低", "减少",
    "产值规模", "总产值", "产值", "营业收入", "销售收入", "营收", "收入", "销售额", "市场规模", "规模",
    "增加值", "投资额", "总投资", "固定资产投资", "投资", "税收", "产出", "利润", "出口额", "出口",
    "占比", "比重", "比例", "市场份额", "份额", "研发投入", "投入", "覆盖率", "渗透率", "产能", "产量",
    "主营业务收入", "工业总产值", "工业增加值", "地区生产总值", "GDP", "净利润", "利润总额", "注册资本",
    "融资", "市值", "估值", "研发经费", "进出口总额", "进出口", "实际使用外资", "招商引资", "到位资金",
    "工业投资", "技改投资", "强度", "密度", "数量", "总数", "人数", "户数", "家数", "个数", "总量", "产能规模",
    "销量", "销售量", "保有量", "推广量", "装机量", "装机容量", "吞吐量", "交易量", "出口量", "排放量", "货运量",
    "客运量", "用量", "接待量", "出栏量", "资金", "专项资金", "可支配收入", "面积", "播种面积", "能耗", "碳排放", "排放",
)
METRIC = re.compile(
    r"(?:亩均|人均|年均|单位面积)?(?:" + "|".join(sorted(_METRIC_WORDS, key=len, reverse=True))
    # a sum of money is any two characters before 额: 交易额, 零售额, 进出口额 (not 额度)
    + r"|[\u4e00-\u9fff]{2}额(?!度))"
)
RATE_WORDS = {"年均复合增长率", "复合增长率", "年均增长", "年均增速", "增长率", "增长", "增速", "增幅", "提高", "提升",
              "下降", "降低", "减少"}
SHARE_WORDS = {"占比", "比重", "比例", "份额", "市场份额"}
# Heads that count things: the noun before them is what is counted, not a subject.
COUNT_HEADS = {"数量", "总数", "人数", "户数", "家数", "个数"}
COMPARISON_GAP = re.compile(r"(?:同比|环比|(?:较|比)(?:上年|去年|20\d\d年))?")
METRIC_AFTER = re.compile(r"^的?(" + METRIC.pattern + ")")
# Bounded, and only from the start of a run of digits: unbounded, a long run of digits made
# every search start at each of its digits and read to its end (16,000 digits: a minute).
# No percentage or count has more digits than these; a longer run is no quantity.
_NUM = r"(?<![\d.])\d{1,15}(?:,\d{3}){0,6}(?:\.\d{1,12})?"
PERCENT = re.compile(rf"(?P<num>{_NUM})\s?%|百分之(?P<zh>[零一二两三四五六七八九十百点]+)")
POINTS = re.compile(rf"(?P<num>{_NUM})个百分点")
# Measure words of counted targets; a 万 or 亿 before one stays in the unit as written
# (100万辆: 100, 万辆). Durations (年, 月, 天) are no counts.
MEASURE_WORDS = (
    "平方公里", "平方米", "千瓦时", "人次", "家次", "标箱", "千瓦", "兆瓦", "吉瓦", "公里", "千米",
    "家", "个", "项", "座", "所", "台", "套", "条", "名", "户", "款", "批", "人", "辆", "片", "吨", "亩", "只",
    "头", "张", "件", "架", "艘", "根", "间", "栋", "处", "次", "场", "部", "株", "棵", "枚", "颗", "箱",
)
COUNT = re.compile(rf"(?P<num>{_NUM})(?P<unit>(?:万|亿)?(?:{'|'.join(MEASURE_WORDS)}))")
YEAR = re.compile(r"(?<![比较])(?:到|至|在)?(20\d\d)年(?:底|末|前|以前)?")  # 比2020年: a base, no deadline
PERIOD = re.compile(r"十([一二三四五六七八九])五")
PERIOD_END = re.compile(r"十[一二三四五六七八九]五”?(?:期?末|期末)")  # 到“十四五”末: the plan's last year
PERIOD_ORDINALS = "一二三四五六七八九"
# Where a measured noun phrase begins: after the nearest of these before its head. Goal and
# time words, the verbs that govern a goal (培育, 引进 and 集聚 take the counted things as
# objects), a conjunction, a number; 新增/新建/新开工 say which quantity is meant and stay in.
PHRASE_STOPS = re.compile(
    r"力争|确保|目标|争取|计划|规划|力求|努力|要求|预计|预期|有望|将|要|可|并|和|与|及|其|的|按照|依照|根据|围绕|通过|"
    r"(?:到|至|在)?20\d\d年(?:底|末|前|以前)?|“?十[一二三四五六七八九]五”?(?:期间|期末|末)?|"
    r"以上|以下|以内|左右|年底|年末|今年|明年|年内|全年|上半年|下半年|前?[一二三四]季度|届时|[产成工]后|期间|以来|未来[一二两三四五六七八九十]+年|[一二两三四五六七八九十]+年[内间]|"
    r"培育|引进|引育|集聚|聚集|建成|建设|实施|推广|投放|认定|完成|实现|打造|吸引|带动|招引|培养|推动|形成|拥有|"
    r"达到|突破|超过|保持|稳定|控制|提高|提升|增长|降低|"
    r"\d+(?:\.\d+)?(?![A-Za-z\d.])"
)
# The subject whose quantity is measured ends a phrase too: a place (全市, 每个开发区) always,
# a kind of firm (规上工业企业, 生物医药产业) except before a count (企业数量 counts 企业).
PLACE_SUBJECTS = re.compile(r"全市|全区|全省|全县|全国|全镇|我市|我区|我省|本市|园区|开发区|新区")
FIRM_SUBJECTS = re.compile(r"企业|公司|集团|集群|产业(?!链)|行业")
# Between a counted noun and its count: 集聚企业超过700家, 高新技术企业数力争达到500家.
COUNT_BRIDGE = re.compile(
    r"(?:力争|确保|争取|将|要|可|累计|总数|达到|达|突破|超过|超|不少于|不低于|增加到|增至|提高到|提升到|稳定在|保持在|控制在|为|在|到)*$"
)
# A counted noun after its count: 培育10家上市企业, 引进5个重大项目.
NOUN_AFTER = re.compile(
    r"^(?:以上|左右)?的?(?!以上|以下|以内|左右)([\u4e00-\u9fffA-Za-z0-9]{2,10}?)(?=[,，。;；、!！?？\n和与及]|$)")
MAX_PHRASE = 20
# Comparisons are no part of a metric: 营收同比增长 → 营收增长 (the span keeps them).
COMPARISONS = re.compile(r"同比|环比|较上年|比上年|较去年|比去年|(?:较|比)20\d\d年")
# A threshold selects the counted things: 营收超百亿元(的)企业5家.
THRESHOLD_GAP = re.compile(r"(?P<qualifier>及?以上|以下|左右)?的?[\u4e00-\u9fff]{1,8}$")

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
    condition: str | None = None


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
    # The characters the quantities found so far cover: one C-level scan per candidate, where
    # comparing it with every quantity was quadratic in the length of a document.
    taken = bytearray(len(text))
    for quantity in quantities:
        taken[quantity.start:quantity.end] = b"\x01" * (quantity.end - quantity.start)

    def free(start: int, end: int) -> bool:
        """Whether no quantity found so far (3个百分点 before its 3个) overlaps (none is empty)."""
        if taken.find(1, start, end) < 0:
            taken[start:end] = b"\x01" * (end - start)
            return True
        return False

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
            if text.startswith(("到", "至"), last.end()):
                return level.start(), level.group()  # 强度提高到4%: the level it reaches
            return level.start(), level.group() + last.group()
    if last.group() in SHARE_WORDS:
        for level in reversed(earlier):
            if text.startswith("占", level.end()):
                return level.start(), level.group() + "占比"
    return last.start(), last.group()


def _phrase_start(text: str, floor: int, head_start: int, counted: bool = False) -> int:
    """Start of the measured noun phrase whose head begins at ``head_start``: back to the
    nearest stop word, subject word (unless ``counted``) or ``floor``, the clause start."""
    start = floor
    for pattern in (PHRASE_STOPS, PLACE_SUBJECTS) if counted else (PHRASE_STOPS, PLACE_SUBJECTS, FIRM_SUBJECTS):
        stops = list(pattern.finditer(text, floor, head_start))
        if stops:
            start = max(start, stops[-1].end())
    if floor > 0 and start == floor and text[floor - 1] == "、":
        return head_start  # 新材料、…、生命健康投资: the items share the head
    return start if head_start - start <= MAX_PHRASE else head_start


def _metric(text: str, floor: int, quantity: Quantity) -> tuple[int, int, str] | None:
    """(start, end, metric) of the measured noun phrase of ``quantity``: before it (产业链产值,
    研发投入强度, 企业超过700家 → 企业数), or after a count (10家上市企业 → 上市企业数)."""
    before = _metric_before(text, floor, quantity.start)
    if before:
        start, metric = before
        if metric in COUNT_HEADS:
            extended = _phrase_start(text, floor, start, counted=True)
        else:
            extended = _phrase_start(text, floor, start)
        return extended, quantity.end, COMPARISONS.sub("", text[extended:start]) + metric
    if quantity.unit in ("%", "pp") or quantity.currency:
        return None
    bridge = COUNT_BRIDGE.search(text, floor, quantity.start)
    noun_end = bridge.start() if bridge else quantity.start
    noun_start = _phrase_start(text, floor, noun_end, counted=True)
    if noun_end - noun_start >= 2:
        noun = text[noun_start:noun_end]
        return noun_start, quantity.end, noun if noun.endswith(("数", "量")) else noun + "数"
    after = NOUN_AFTER.match(text[quantity.end:quantity.end + 14])
    if after and not PHRASE_STOPS.search(after.group(1)):
        return quantity.start, quantity.end + after.end(1), after.group(1) + "数"
    return None


def frame_target(text: str, quantity: Quantity, sentences: SentenceIndex, floor: int = 0) -> Target | None:
    """The target frame of ``quantity``, or None when it is no goal; ``sentences`` index ``text``;
    the metric is looked for after ``floor`` (the end of an earlier quantity in the clause).

    The sentence is read at most ``TARGET_REACH`` characters either side of the quantity: in a
    run-on text each quantity would otherwise read a block of thousands."""
    sentence_start, sentence_end = sentences.bounds(quantity.start)
    sentence_start = max(sentence_start, quantity.start - TARGET_REACH)
    sentence_end = min(sentence_end, quantity.end + TARGET_REACH)
    prefix = text[sentence_start:quantity.start]
    if status_of(prefix) != GOAL:
        return None
    clause_breaks = [m.end() for m in ITEM_END.finditer(text, sentence_start, quantity.start)]
    clause_start = max(clause_breaks[-1] if clause_breaks else sentence_start, floor)
    start, end, metric = quantity.start, quantity.end, None
    found = _metric(text, clause_start, quantity)
    after = METRIC_AFTER.match(text[quantity.end:quantity.end + 12])
    if found and (found[0] < quantity.start or not after):
        start, end, metric = found
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


def frame_at(text: str, quantities: list[Quantity], index: int, sentences: SentenceIndex) -> tuple[Target | None, bool]:
    """(frame of ``quantities[index]`` or None, whether the quantity before it is its threshold).

    A quantity right before the counted noun of a count in its clause is a threshold of that
    count (营收超百亿元企业5家), not a target: it becomes the count's ``condition``.
    """
    quantity = quantities[index]
    earlier = quantities[index - 1] if index else None
    same_clause = earlier is not None and not ITEM_END.search(text, earlier.end, quantity.start)
    frame = frame_target(text, quantity, sentences, earlier.end if same_clause else 0)
    gap = THRESHOLD_GAP.match(text, earlier.end, quantity.start) if same_clause else None
    qualifier_end = gap.end("qualifier") if gap and gap.group("qualifier") else earlier.end if gap else 0
    if (frame is None or gap is None or quantity.unit in ("%", "pp") or quantity.currency
            or not 0 <= frame.start - qualifier_end <= 1):
        return frame, False
    threshold = frame_target(text, earlier, sentences)
    condition_start = threshold.start if threshold else earlier.start
    return replace(frame, condition=text[condition_start:qualifier_end]), True


def find_targets(text: str, amounts: list[Amount]) -> list[Target]:
    """Every quantified goal in ``text``; ``amounts`` are the money amounts already found.
    A threshold of a counted goal (营收超百亿元 in 培育营收超百亿元企业5家) is none."""
    sentences = SentenceIndex(text)
    quantities = find_quantities(text, amounts)
    frames = [frame_at(text, quantities, index, sentences) for index in range(len(quantities))]
    thresholds = {index - 1 for index, (_, has_threshold) in enumerate(frames) if has_threshold}
    return [frame for index, (frame, _) in enumerate(frames) if frame is not None and index not in thresholds]
