"""Name-like words that financial news does not use as organizations, and the edges it adds to
names: the checks every ORG candidate passes, whichever recognizer found it (a tagger, a head
rule, a market cue).

Not an organization (``is_market_term``), by what the word is or what follows it:
- instruments and market measures: an index, an ETF, a futures contract, a board named after a
  company, an index provider or an exchange (恒生科技指数, 中证1000ETF, 创业板指, 布伦特原油期货):
  the word before them names the instrument, not an organization acting;
- market segments and sectors (科创板, 汽车股, 光伏板块), tickers alone (CVX.N, 600519);
- a company's own bodies (董事会, 股东大会, 董事会战略委员会) and kinds of company counted or
  qualified (A股公司, 57家科创板公司).
Edges (``trim_market_edges``): the ``*`` of ``*ST``, a descriptor before a name (美国车企特斯拉,
港股文化传信), a counter or a document after it (芯朋微等, 黄河旋风4家公司, 华海清科上市公告书).

Where financial news names an organization without a head word: the abbreviation in brackets
right after a found name (伦敦金属交易所（LME）, 乘用车市场信息联席会（乘联会）) and every later
use of it (``bracketed_abbreviations``), and the source tag that closes a wire item (…。（界面新闻）,
``source_tags``).

Each is a table below; tests/test_financial_context.py holds one case per row.
"""
from __future__ import annotations

import re
from typing import Callable

from pipeline.grammar.market_cues import HEADLINE_WORDS, SECTORS
from pipeline.grammar.names import COMMON_WORD_FREQUENCY, ORG_WORD_FLAGS, NameFinder

# Boards and segments of the market: where stocks trade, not who issues them.
MARKET_SEGMENTS = {"科创板", "创业板", "主板", "中小板", "新三板", "大盘", "两市", "沪市", "深市", "中概股", "中概"}
# What follows the name of an instrument (an optional number or code first: 中证1000ETF, 纳斯达克100
# 股指期货, 欧洲斯托克50指数), unless a company word follows (中证指数有限公司 is a company).
# A word or two may stand between (恒生|科技指数, 生物|疫苗板块, HJT|电池板块).
INSTRUMENT_AFTER = re.compile(
    r"(?:[\u4e00-\u9fff]{1,2})?[0-9]{0,4}(?:指数|股指期货|指期货|ETF|LOF|原油期货|原油|期权|板块|概念"
    r"|指(?=[涨跌收报升降走跳翻冲盘，,。：:]))"
    r"(?!(?:有限|股份)?公司)")
# Economic and market acronyms that a tagger of capitals takes for names.
MARKET_ACRONYMS = {"GDR", "ADR", "CDR", "REIT", "REITs", "ETF", "LOF", "IPO", "CPI", "PPI", "PMI", "GDP", "M2",
                   "LPR", "MLF", "QFII", "RQFII", "ESG"}
# Words that end the name of an instrument or a grouping, never an organization's.
INSTRUMENT_ENDINGS = ("指数", "ETF", "LOF", "板块", "概念", "概念股", "股指期货")
# Sector shares (汽车股, 科技股); 控股 and 股份 end company names.
SHARE_ENDING = re.compile(r"(?<!控)(?<!参)股$")
CORPORATE_BODY = re.compile(r"(?:董事会|监事会|股东大会|股东会|董事局|管理层|经营层)(?:\w{0,8}委员会)?|控股|集团|总部")
GENERIC_COMPANY = re.compile(
    r"(?:\d*家)?(?:\w{1,6}行业)?(?:A股|港股|美股|科创板|创业板|主板|北交所|新三板|中概股?)?(?:上市)?(?:公司|企业)")
TICKER = re.compile(r"[A-Z]{1,6}\.[A-Z]{1,2}|(?:SH|SZ|BJ|HK)?\d{4,6}(?:\.(?:SH|SZ|BJ|HK))?")

# A descriptor before a name: a place or market, then a kind of company (美国车企特斯拉,
# 意大利油企埃尼集团, 科技巨头苹果), or a market alone (港股文化传信, 美股蔚来).
LEADING_DESCRIPTOR = re.compile(
    r"(?:\w{0,5}?(?:车企|油企|药企|房企|险企|芯片商|芯片企业|电池厂|巨头|龙头|券商)|港股|美股|A股|中概股)")
# After a name: 等 of an enumeration, 一字 of 一字涨停, a count of companies, a document about
# the company, the kind of share (A股, H股, GDR).
TRAILING_NOISE = re.compile(r"(?:等|一字|\d+家(?:公司|企业)|上市公告书|招股说明书|招股书|公告书|GDR|[AHB]股)$")
MIN_NAME = 2

# An abbreviation in brackets: Latin (LME, IMF, OPEC+, Eni) or a few Chinese characters (乘联会).
BRACKETED_ABBREVIATION = re.compile(r"[（(]([A-Za-z][A-Za-z0-9&.+\- ]{1,11}|[\u4e00-\u9fff]{2,6})[）)]")
# What a bracket after a name holds that is no abbreviation of it: parts of the name and notes.
NOT_ABBREVIATIONS = {"集团", "控股", "中国", "有限合伙", "筹", "筹备", "下同", "注", "原名", "简称", "暂定名"}
# The source tag that closes a wire item: (界面新闻), （e公司）, （来源：经济参考报）.
SOURCE_TAG = re.compile(r"(?<=[。！？!?”\"，,])\s*[（(](?:来源[:：]|据|转自)?([^（）()，,。:：\s\d]{2,8})[）)]\s*(?=\n|$)")
# A source cited at the start of an item or sentence (欣旺达消息，…; 据彭博社报道，…) or whose data
# or app a sentence reads (企查查APP显示, Wind数据显示).
SOURCE_FRAME = re.compile(
    r"(?:(?:^|(?<=[。！？!?\n]))据?([^，,。：:、\s“”\d的]{2,8}?)(?:今日|今天|日前)?(?:消息|报道)[，,：:]"
    r"|(?:(?<=[，,。！？!?：:、\s“”》])|^)([^，,。：:、\s“”\d的]{2,12}?)(?:\d+月)?(?:\d+日)?(?:发布|公布|披露|整理)?的?"
    r"(?:APP|App|app|客户端|数据|股权穿透)显示)")
# The cue words of SOURCE_FRAME: the frame is matched only in a window before each (a scan of
# the whole text tried the lazy name group at every character).
SOURCE_CUE = re.compile(r"(?:消息|报道)[，,：:]|(?:APP|App|app|客户端|数据|股权穿透)显示")
SOURCE_WINDOW = 32
TITLE = re.compile(r"《([^《》]{2,12})》")
NOT_SOURCES = {"完", "全文完", "未完待续", "待续", "下同", "图", "注", "特此公告", "本报讯", "全文", "附图", "附表"}


def _is_market_word(word: str) -> bool:
    return word in SECTORS or word in HEADLINE_WORDS or word in MARKET_SEGMENTS or word in MARKET_ACRONYMS


def _is_sector_compound(name: str) -> bool:
    """Two sector words (新能源 + 汽车): an industry, not a company named after one."""
    return any(name[:cut] in SECTORS and name[cut:] in SECTORS for cut in range(1, len(name)))


def is_market_term(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is no organization by financial news' usage (module doc)."""
    name = text[start:end]
    return (_is_market_word(name) or _is_sector_compound(name)
            or (name.endswith("期货") and _is_market_word(name[:-2]))  # 道指期货
            or name.endswith(INSTRUMENT_ENDINGS) or bool(SHARE_ENDING.search(name))
            or any(pattern.fullmatch(name) for pattern in (CORPORATE_BODY, GENERIC_COMPANY, TICKER))
            or bool(INSTRUMENT_AFTER.match(text, end)))


def trim_market_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without the edges financial news adds to a name (module doc), and
    with the ``*`` of ``*ST`` before it; never shorter than two characters."""
    if text.startswith("ST", start) and text[start - 1:start] == "*":
        start -= 1
    leading = LEADING_DESCRIPTOR.match(text, start, end)
    if leading and end - leading.end() >= MIN_NAME:
        start = leading.end()
    trailing = TRAILING_NOISE.search(text, start, end)
    if trailing and trailing.start() - start >= MIN_NAME:
        end = trailing.start()
    return start, end


def bracketed_abbreviations(text: str, names: list[tuple[int, int]],
                            is_place_or_person: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """(start, end, full name) of the abbreviation in brackets right after each found name, and
    of every later occurrence of it in ``text``."""
    ends = {end: start for start, end in names}
    found = []
    for match in BRACKETED_ABBREVIATION.finditer(text):
        full_start = ends.get(match.start())
        abbreviation = match.group(1).strip()
        if (full_start is None or abbreviation in NOT_ABBREVIATIONS or is_place_or_person(abbreviation)
                or _is_market_word(abbreviation) or TICKER.fullmatch(abbreviation)):
            continue
        full = text[full_start:match.start()]
        found.append((match.start(1), match.start(1) + len(match.group(1).rstrip()), full))
        for later in re.finditer(re.escape(abbreviation), text[match.end():]):
            found.append((match.end() + later.start(), match.end() + later.end(), full))
    return found


def source_tags(text: str, is_place_or_person: Callable[[str], bool]) -> list[tuple[int, int]]:
    """(start, end) of the source named in the tag that closes a wire item: …。（界面新闻）."""
    return [match.span(1) for match in SOURCE_TAG.finditer(text)
            if match.group(1) not in NOT_SOURCES and not is_place_or_person(match.group(1))
            and not match.group(1).startswith(("记者", "编辑", "作者", "责编", "通讯员"))]


def source_frames(text: str, is_name: Callable[[str], bool]) -> list[tuple[int, int]]:
    """(start, end) of a source cited by a frame (``SOURCE_FRAME``) that ``is_name`` accepts."""
    found = []
    for cue in SOURCE_CUE.finditer(text):
        match = next((m for m in SOURCE_FRAME.finditer(text, max(0, cue.start() - SOURCE_WINDOW), cue.end())
                      if m.end() == cue.end()), None)
        if match is None:
            continue
        group = 1 if match.group(1) else 2
        start, end = match.span(group)
        title = TITLE.search(text, start, end)
        if title:  # 希腊《中希时报》: the paper, without its marks
            start, end = title.span(1)
        if is_name(text[start:end]) and not _is_market_word(text[start:end]):
            found.append((start, end))
    return found


def cited_name(finder: NameFinder, name: str) -> bool:
    """Whether a source cited by a frame reads as a name: a coined word or several (not one
    common word: 最新, 海关, 公司), without a word of the clause around it (a time word,
    numeral, pronoun, preposition, particle, adverb, measure word or common verb: 近半年,
    项目监控到; a rare verb is a fragment of a coined name, 企/查查), and no generic phrase."""
    words = finder.tag(name)
    if len(words) == 1 and words[0][1] not in ORG_WORD_FLAGS and \
            finder.tokenizer.FREQ.get(words[0][0], 0) >= COMMON_WORD_FREQUENCY:
        return False
    clause = any(flag[:1] in "tmrpcudfq" or (flag[:1] == "v" and len(word) > 1 and
                                             finder.tokenizer.FREQ.get(word, 0) >= COMMON_WORD_FREQUENCY)
                 for word, flag in words)
    return not clause and finder.plausible_name(name)
