"""Organization names that financial news marks by its own conventions, as tables.

Market flashes and announcements name companies by their stock short names in a few fixed
frames that a general tagger trained on 1998 newspaper text never saw:

- a stock code after the name: 精测电子(300567), 新兴铸管（SZ000778，…）, 中芯国际(688981.SH),
  爱奇艺(NASDAQ:IQ), 腾讯控股(00700.HK);
- a name opening a sentence before a colon or an announcement verb: 安徽建工：中标…,
  东方电热公告，…, 中汽协：7月…;
- stock names listed before a price move: 太阳电缆、远东股份涨停, 国轩高科拉升封板;
- alias definitions: …有限公司（以下简称“宁德时代”）, after which every 宁德时代 is that company.

And two boundary conventions: a preposition or verb before a name is no part of it
(由元禾控股管理 → 元禾控股), nor is a branch or a unit after it (恒瑞医药苏州子公司 → 恒瑞医药).

Each frame is a small function over the clean text; the words that open, close or exclude a
name are the tables below, so that a new convention is a table row with a test.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable

from pipeline.grammar.names import (COMMON_WORD_FREQUENCY, NAME_FLAGS, NAME_STOPS, ORG_WORD_FLAGS, PERSON_FLAGS,
                                    RARE_WORD_FREQUENCY, NameFinder)

# -- the shape of a stock short name: Chinese, Latin letters and digits, with the ST/*ST risk
# marks in front and an A/B share-class letter or 退 (delisting) at the end: *ST康美, 万科A, 网力退.
NAME_CHARS = r"[\u4e00-\u9fffA-Za-z0-9·&]"
STOCK_NAME = rf"(?:\*?ST|S\*?ST)?{NAME_CHARS}{{2,12}}"

# -- stock codes, as news writes them after a name, inside brackets.
STOCK_CODE = re.compile(
    r"[(（]\s*(?:(?:股票|证券)?代码[:：]?\s*)?"
    r"(?:"
    r"(?:SH|SZ|BJ|sh|sz|bj)?\s*\d{6}(?:\s*\.?\s*(?:SH|SZ|BJ|sh|sz|bj))?"  # 600028 SH600028 603566.SH 000402SZ
    r"|\d{4,5}\s*\.\s*(?:HK|hk)|(?:HK|hk)\s*\d{4,5}"                      # 00700.HK HK00700
    r"|(?:NASDAQ|NYSE|Nasdaq|纳斯达克|纽交所)\s*[:：]\s*[A-Z][A-Z.]{0,5}"   # NASDAQ:IQ
    r"|[A-Z]{1,5}\s*\.\s*(?:O|N|US)"                                     # BABA.N AAPL.O
    r")\s*(?=[)）,，;；、])"
)

# -- words after which a sentence-opening name announces something: 安徽建工：…, X公告，…
ANNOUNCEMENT_CUE = re.compile(r"(?:[:：]|(?:晚间|早间|盘后|日前|近日|今日|昨日)?(?:发布)?(?:公告|披露|发布|宣布)(?=[,，:：称]))")
# What may come before such a name in its sentence: a date or time opener (5月23日晚间，…).
SENTENCE_OPENER = re.compile(r"(?:^|[。！？!?；;\n】\]|丨]\s*|(?:\d{1,2}月)?\d{1,2}日(?:晚间|早间|盘后|晚|早)?[,，]\s*"
                             r"|(?:近日|日前|今日|昨日|今天|昨天|晚间|盘后)[,，]\s*)$")
# Headline words before a colon that are not names (消息：, 数据显示：, 截至收盘：).
HEADLINE_WORDS = {
    "消息", "快讯", "公告", "提示", "注", "来源", "编辑", "记者", "作者", "数据", "行情", "要闻", "热点",
    "早盘", "午盘", "收盘", "开盘", "尾盘", "盘面", "盘面上", "盘前", "盘后", "其中", "事件", "点评", "观点",
    "核心观点", "投资要点", "风险提示", "研报", "分析师", "机构", "专家", "业内人士", "市场人士", "综述",
    "今日", "昨日", "本周", "上周", "本月", "上月", "今年", "去年", "全年", "公司", "该公司", "本公司",
    "个股", "板块", "资金", "外资", "北向资金", "南向资金", "主力资金", "期货", "现货", "A股", "港股", "美股",
    "沪指", "深成指", "创业板指", "恒指", "道指", "纳指", "标普", "债市", "汇市", "楼市", "车市", "原油",
    "黄金", "白银", "比特币", "美元", "人民币", "据悉", "据了解", "对此", "此外", "另外", "同时", "目前",
    "报道", "相关人士", "知情人士", "财经", "新闻", "声明", "通知", "通告", "问", "答", "图", "表",
}
# Industry boards, concepts and commodities that market flashes list the way they list stocks
# (军工、半导体涨幅居前; 黄金涨超2%): never a company's short name.
SECTORS = {
    "军工", "半导体", "芯片", "光伏", "锂电", "锂电池", "钠电池", "HJT电池", "TOPCon电池", "电池", "固态电池",
    "特高压", "风电", "风能", "储能", "氢能", "核电", "水电", "火电", "电力", "电网", "新能源", "新能源车",
    "汽车", "汽车零部件", "整车", "白酒", "啤酒", "食品饮料", "医药", "医疗", "医疗器械", "中药", "创新药",
    "CXO", "疫苗", "券商", "保险", "银行", "地产", "房地产", "物业", "煤炭", "钢铁", "有色", "有色金属",
    "化工", "建材", "水泥", "家电", "传媒", "游戏", "影视", "通信", "计算机", "电子", "软件", "云计算",
    "人工智能", "数字经济", "信创", "元宇宙", "机器人", "消费电子", "航运", "港口", "航空", "机场", "旅游",
    "酒店", "餐饮", "零售", "农业", "种业", "养殖", "猪肉", "稀土", "黄金", "白银", "原油", "天然气", "液化气",
    "油气", "石油", "铜", "铝", "锌", "镍", "锂", "钴", "铁矿石", "螺纹钢", "焦煤", "焦炭", "大豆", "玉米",
    "基建", "建筑", "工程机械", "环保", "物流", "快递", "教育", "纺织服装", "造纸", "农药", "化肥", "磷化工",
    "光刻胶", "光刻机", "碳纤维", "一体化压铸", "预制菜", "跨境电商", "数据中心", "算力", "充电桩",
}
# A candidate ending in one of these is a heading, a market or a thing, not a company.
NON_NAME_ENDINGS = ("方面", "显示", "表示", "认为", "指出", "称", "消息", "数据", "指数", "指", "板块",
                    "概念", "期货", "合约", "价格", "价", "ETF", "行业", "产业", "市场", "收盘", "开盘",
                    "报告", "快讯", "日", "月", "年", "时", "分", "点", "股", "债", "汇率", "利率", "如下", "说", "道",
                    "股价", "市值", "成交额", "成交量", "销量", "产量", "营收", "利润", "学者", "专家", "人士",
                    "分析师", "媒", "来源", "记者", "上", "下")

# -- stock names before a price move: 太阳电缆、远东股份涨停, 国轩高科拉升封板, 遥望科技4板
PRICE_MOVE = re.compile(
    # not the 涨 of 上涨, 同比上涨1.6%: a move word right after the name or its modifiers
    r"(?<![上下微累较])"
    r"(?:(?:等|均|纷纷|双双|一度|盘中|盘初|尾盘|午后|早盘|此前|直线|快速|持续|集体|异动|震荡|再度)*)"
    r"(?:涨停|跌停|涨超|涨逾|涨近|跌超|跌逾|跌近|涨幅居前|跌幅居前|涨幅靠前|跌幅靠前|拉升|封板|触板|炸板|"
    r"领涨|领跌|大涨|大跌|翻红|翻绿|飘红|跟涨|跟跌|冲高|高开|低开|走高|走低|收涨|收跌|"
    r"\d+连板|\d+天\d+板|\d+板|涨\d|跌\d)+"
)
MOVE_LIST = re.compile(rf"((?:{STOCK_NAME}、)*{STOCK_NAME})$")
# -- stock names listed before a count of companies: 中兵红箭、力量钻石、四方达、黄河旋风4家公司
# the count, then the list read back from it (a scan of the whole text tried the list at every character)
COMPANY_COUNT = re.compile(r"[0-9一二三四五六七八九十两]+家(?:上市)?(?:公司|企业)")
COUNTED_LIST = re.compile(rf"((?:{STOCK_NAME}、)+{STOCK_NAME}?)(?:等)?$")

# -- alias definitions after a full name: （以下简称“宁德时代”）, (简称"中芯国际"), （下称宁德时代）
ALIAS_DEFINITION = re.compile(
    r"[(（]\s*(?:以下|下文)?(?:简称|称|下称)(?:为)?\s*[:：]?\s*[“\"「‘']?"
    rf"({NAME_CHARS}{{2,12}})[”\"」’']?\s*(?:[,，、或]\s*[^)）]{{0,20}})?[)）]"
)

# -- boundaries: words before a name that belong to the sentence, words after it that name a
# part of the organization (the part's mention is the organization's).
LEADING_WORDS = ("由", "与", "和", "及", "同", "跟", "从", "对", "向", "据", "经", "被", "将", "在", "是", "为",
                 "于", "把", "给", "让", "使", "集聚", "引进", "引入", "吸引", "联合", "携手", "牵手", "旗下",
                 "包括", "其中", "例如", "比如", "如", "以及", "控股股东", "股东", "子公司", "全资子公司",
                 "控股子公司", "孙公司", "母公司", "下属", "参股", "收购", "入股", "投资", "公司", "龙头")
# A subsidiary word ends no name; the other units are part of a name unless a place sits between
# them and the organization (华为武汉研究所 → 华为, but 中国科学院化学研究所 stays whole).
SUBSIDIARY_WORDS = ("全资子公司", "控股子公司", "子公司", "孙公司")
PLACED_UNITS = ("分公司", "办事处", "研究所", "研究院", "研发中心", "总部", "工厂", "分厂", "基地", "分行",
                "支行", "营业部")

# Kinds of organization that read like names to a tagger or a head rule (多家上市公司发布公告).
GENERIC_ORG_PHRASES = {
    "上市公司", "拟上市公司", "挂牌公司", "公众公司", "控股公司", "母公司", "子公司", "孙公司", "分公司",
    "龙头企业", "国有企业", "民营企业", "外资企业", "中小企业", "科技企业", "国企", "央企", "民企", "外企",
    "基金公司", "证券公司", "保险公司", "信托公司", "商业银行", "地方政府", "各级政府", "当地政府", "政府",
}
# A one-character preposition before a name that a rule found is cut only if this much is left:
# 由元禾控股 → 元禾控股, but 和辉光电 keeps its 和.
MIN_RULE_NAME_AFTER_CUT = 4
# jieba's word classes that no stock name holds: pronouns, prepositions, conjunctions,
# particles, adverbs, modal and interjection words, measure words, locatives, times.
NON_NAME_FLAG_CLASSES = set("rpcudyeoqft")
MIN_NAME, MAX_NAME = 2, 16


@dataclass(frozen=True)
class CueMatch:
    start: int
    end: int
    cue: str  # which frame found it: code, headline, move, alias
    canonical: str | None = None


def _name_before(text: str, end: int, window: int = MAX_NAME) -> int | None:
    """Start of the run of name characters (a stock-name shape) that ends at ``end``."""
    match = re.search(rf"{STOCK_NAME}$", text[max(0, end - window - 4):end])
    return end - len(match.group(0)) if match else None


def stock_code_names(text: str) -> list[CueMatch]:
    """Names followed by a bracketed stock code: 精测电子(300567), 爱奇艺(NASDAQ:IQ)."""
    found = []
    for code in STOCK_CODE.finditer(text):
        start = _name_before(text, code.start())
        if start is not None:
            found.append(CueMatch(start, code.start(), "code"))
    return found


def headline_names(text: str, is_person: Callable[[str], bool]) -> list[CueMatch]:
    """Names that open a sentence before a colon or an announcement verb: 安徽建工：…,
    东方电热公告，…, 5月23日晚间，X公告称…; ``is_person`` rules out quoted speakers (刘某：…)."""
    found = []
    for cue in ANNOUNCEMENT_CUE.finditer(text):
        start = _name_before(text, cue.start())
        if start is None:
            continue
        name = text[start:cue.start()]
        if name in HEADLINE_WORDS or name.endswith(NON_NAME_ENDINGS) or name.isdigit() or is_person(name):
            continue
        if SENTENCE_OPENER.search(text[max(0, start - 12):start]) or start == 0:
            found.append(CueMatch(start, cue.start(), "headline"))
    return found


def price_move_names(text: str, is_name: Callable[[str], bool]) -> list[CueMatch]:
    """Stock names right before a price move, alone or listed with 、: 远东股份涨停,
    太阳电缆、风范股份此前涨停; ``is_name`` tells a name from a sector or a commodity (军工, 黄金)."""
    found = []
    for move in PRICE_MOVE.finditer(text):
        listed = MOVE_LIST.search(text[max(0, move.start() - 80):move.start()])
        if not listed:
            continue
        position = move.start() - len(listed.group(1))
        items = listed.group(1).split("、")
        if text[move.end():move.end() + 2].startswith(("板块", "概念", "指数")) or any(
                item.endswith(NON_NAME_ENDINGS) for item in items):
            continue  # 军工、半导体等板块涨幅居前: sectors, not stocks
        for item in items:
            if item not in HEADLINE_WORDS and is_name(item):
                found.append(CueMatch(position, position + len(item), "move"))
            position += len(item) + 1
    return found


def counted_list_names(text: str) -> list[CueMatch]:
    """The items of a list closed by a count of companies (X、Y、Z 3家公司)."""
    found = []
    for count in COMPANY_COUNT.finditer(text):
        window = max(0, count.start() - 120)
        match = COUNTED_LIST.search(text[window:count.start()])
        if match is None:
            continue
        position = window + match.start(1)
        for item in match.group(1).split("、"):
            found.append(CueMatch(position, position + len(item), "list"))
            position += len(item) + 1
    return found


def alias_definitions(text: str) -> list[tuple[int, int, int]]:
    """(bracket start, alias start, alias end) of each ``（以下简称“X”）`` in ``text``."""
    return [(match.start(), match.start(1), match.end(1)) for match in ALIAS_DEFINITION.finditer(text)]


def _grouped(words: Iterable[str], key: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(key(word), []).append(word)
    return {first: tuple(group) for first, group in groups.items()}


# For trim_boundaries, which tries them in these orders: only the few words that start (end)
# with the span's first (last) character can match, and the sort is done once, not per span.
_LEADING_BY_FIRST = _grouped(sorted(LEADING_WORDS, key=len, reverse=True), lambda word: word[0])
_UNITS_BY_LAST = _grouped(SUBSIDIARY_WORDS + PLACED_UNITS, lambda word: word[-1])


def trim_boundaries(text: str, start: int, end: int, boundaries: set[int],
                    is_place: Callable[[str], bool], one_character_words: bool = True) -> tuple[int, int]:
    """A name span without a leading preposition or verb that is a word of its own (由元禾控股
    → 元禾控股; 和辉光电 stays: 和 is no word there), without a subsidiary word after it, and
    without a unit after a place (恒瑞医药苏州子公司 → 恒瑞医药, 渤海银行海口分行 → 渤海银行).

    ``one_character_words=False`` keeps a one-character preposition unless four characters are
    left: where a rule found the name, a segmenter that split 和 off an unknown 和辉光电 is less
    likely right than the rule."""
    for word in _LEADING_BY_FIRST.get(text[start:start + 1], ()):
        rest = end - start - len(word)
        if len(word) == 1 and not one_character_words and rest < MIN_RULE_NAME_AFTER_CUT:
            break
        if text.startswith(word, start) and start + len(word) in boundaries and rest >= MIN_NAME:
            start += len(word)
            break
    for unit in _UNITS_BY_LAST.get(text[end - 1:end], ()):
        if not text.endswith(unit, start, end) or end - start - len(unit) < MIN_NAME:
            continue
        head = end - len(unit)
        # the place of the unit (苏州子公司), when what is left before it is still a name
        place = next((size for size in (3, 2) if head - start - size >= MIN_NAME and is_place(text[head - size:head])), 0)
        if place or unit in SUBSIDIARY_WORDS:
            end = head - place
        break
    return start, end


def alias_mentions(text: str, names: Iterable[tuple[int, int]]) -> list[CueMatch]:
    """The alias of each definition that follows a found name, and every later occurrence of
    it, with that full name as ``canonical``."""
    ends = {end: start for start, end in names}
    found = []
    for bracket, alias_start, alias_end in alias_definitions(text):
        full_start = ends.get(bracket)
        if full_start is None:
            continue
        full, alias = text[full_start:bracket], text[alias_start:alias_end]
        found.append(CueMatch(alias_start, alias_end, "alias", full))
        for later in re.finditer(re.escape(alias), text[alias_end:]):
            found.append(CueMatch(alias_end + later.start(), alias_end + later.end(), "alias", full))
    return found


def market_names(text: str, finder: NameFinder) -> list[CueMatch]:
    """Stock short names in every frame above, checked with the name finder's word classes
    and dictionary: the frames say where a name may stand, the words whether one does."""

    def is_person_or_place(name: str) -> bool:
        # a speaker (普京：, 董事长郜春海：) or a place acting (山东发布) opens a quote, not a name
        words = finder.tag(name)
        return words[-1][1] in PERSON_FLAGS or (len(words) == 1 and finder.is_place(name))

    def is_stock_name(item: str) -> bool:
        # Stock short names are coined words: unknown or rare to the dictionary as a whole
        # (火星人), or compounds of any content words (新宏泽 = 新 + 宏泽, 拼多多 = 拼 + 多多).
        # Not: phrases with function words (他说, 去年以来), boards and commodities (军工,
        # 黄金), common words (主持人, 嘉宾).
        words = finder.tag(item)
        if item in SECTORS or any(flag[:1] in NON_NAME_FLAG_CLASSES for _, flag in words):
            return False
        if len(words) > 1:
            return True
        word, flag = words[0]
        frequency = finder.tokenizer.FREQ.get(word, 0)
        return frequency < RARE_WORD_FREQUENCY or (flag in ORG_WORD_FLAGS and frequency < COMMON_WORD_FREQUENCY)

    def is_headline_name(item: str) -> bool:
        # Before a colon any phrase may stand (他说：, 举报电话：, 大会题词：): only nouns
        # and numerals here, one common word a heading (嘉宾：), a compound of nouns a name
        # (安徽建工：).
        words = finder.tag(item)
        if item in SECTORS or not all(flag in NAME_FLAGS or flag == "m" for _, flag in words):
            return False
        if len(words) > 1:
            return True
        word, flag = words[0]
        return finder.is_proper(word, flag) or flag in ORG_WORD_FLAGS or word not in finder.tokenizer.FREQ

    def framed_start(start: int, end: int) -> int | None:
        # a code or a headline frame vouches for a name, not for the words before it in the
        # run (其下属子公司贝特瑞): keep the trailing words a name can hold
        kept = 0
        for word, flag in reversed(finder.tag(text[start:end])):
            if flag[:1] in NON_NAME_FLAG_CLASSES or word in NAME_STOPS:
                break
            kept += len(word)
        return end - kept if kept >= 2 else None

    found = [m for m in price_move_names(text, is_stock_name) if is_stock_name(text[m.start:m.end])]
    for match in counted_list_names(text):
        # the first item may hold the words before the list (已有中兵红箭): a verb or adverb
        # opening it is the sentence's
        words, start = finder.tag(text[match.start:match.end]), match.start
        while len(words) > 1 and words[0][1][:1] in "vdp":
            start += len(words[0][0])
            words = words[1:]
        name = text[start:match.end]
        # a four-character name that jieba calls a person (黄河旋风/nr) is no person's name
        person = len(name) <= 3 and words[-1][1] in PERSON_FLAGS
        if is_stock_name(name) and not person and not finder.is_place(name):
            found.append(CueMatch(start, match.end, match.cue))
    for match in stock_code_names(text) + headline_names(text, is_person_or_place):
        start = framed_start(match.start, match.end)
        # a code vouches for any name; before a colon a single common word is a heading (嘉宾：)
        if start is not None and (match.cue == "code" or is_headline_name(text[start:match.end])):
            found.append(CueMatch(start, match.end, match.cue))
    return found
