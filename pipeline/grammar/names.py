"""Grammar rules for organization and park names, and short-name aliases.

A name is found from its head — a legal form such as 有限公司, an institution word such as
研究院, a zone word such as 工业区 — and extended to the left over the words that can be
part of a name (nouns, proper nouns, business-scope words), stopping at a verb, an
adjective, a function word or a clause break. Leading common nouns are then trimmed, and a
name must keep at least one proper word (a place, a person-like or rare word, a word jieba
does not know): 电子企业长虹公司 gives 长虹公司, 农民协会 gives nothing.

Two more rules find short company names, which carry no legal form:
- a proper word followed by a business word (和辉光电, 汉钟精机, 上海石化);
- a proper word in a cue frame: X亚太区/X中国区, or X为/是…的企业/冠军/龙头 opening a clause.

These rules are features and overrides for the statistical recognizer, not the whole answer.
``NameFinder`` holds the part-of-speech tagger they share; everything else is pure.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import jieba

from pipeline.text.postags import initialize, pos_tagger

from pipeline.grammar.parks import (
    DESCRIPTIVE_WORDS, DIRECTIONS, GENERIC_ZONE_WORDS, HEAD_FOLLOWERS, ODD_NAME_FLAGS, is_place_word, PARK_HEADS, head_allowed, joint_start, longest_only, merge_park_fragments,
)

jieba.setLogLevel(logging.WARNING)

ORG_HEADS = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "控股集团", "集团",
    "研究院", "研究所", "研究中心", "工程中心", "实验室", "科学院", "大学", "学院", "医院",
    "银行", "证券", "基金会", "协会", "商会", "联合会", "管委会", "管理委员会", "公司",
    # public bodies and funds acting as organizations (福建省政府, 湖北省集成电路产业投资基金)
    "人民政府", "政府", "投资基金", "产业基金", "引导基金",
)
# A limited partnership, the legal form of most investment funds: its name, its business (投资,
# which elsewhere stops a name: 拟投资X公司) and its form (福建齐智兴股权投资合伙企业（有限合伙）,
# 上海筑景投资中心（有限合伙）).
PARTNERSHIP = re.compile(r"(?:股权投资|创业投资|产业投资|投资管理|投资)?(?:合伙企业|中心|基金)?[（(]有限合伙[）)]")
# Business words that end short company names (和辉光电, 汉钟精机, 上海石化, 复星医药).
BUSINESS_WORDS = (
    "光电", "精机", "石化", "化工", "股份", "药业", "医药", "制药", "电子", "电气", "重工", "汽车",
    "科技", "控股", "能源", "钢铁", "半导体", "微电子", "通信", "软件", "机械", "环保", "新材",
    "传媒", "证券", "银行", "保险", "生物", "集团", "实业", "物流", "航空", "地产", "电器",
)
# Characters that may follow a short company name (和辉光电为核心, 和辉光电、).
NAME_FOLLOWERS = set(",，。;；:：、!！?？)）”\" \n的为是在和与及等将已也还被把从对向")
# After a bare place name only these make a company (上海石化, 上海电气); 德国汽车 and 南京机械
# name an industry of a place.
PLACE_BUSINESS_WORDS = {"石化", "电气", "重工", "药业", "股份", "控股", "集团", "钢铁", "证券", "银行", "实业", "电器"}
# Cue frames: X亚太区首家…, X中国区; X为生产…的制造业单项冠军.
DIVISION_CUE = re.compile(r"(亚太区|中国区|大中华区|亚太总部|中国总部|全球总部)")
ROLE_CUE = re.compile(
    r"(?:为|是)[^,，。;；!！?？]{0,40}的[^,，。;；!！?？的]{0,10}"
    r"(?:企业|公司|冠军|龙头|领跑者|领军者|供应商|制造商|厂商|独角兽|上市公司)(?=[,，。;；!！?？]|$)"
)
# X、Y等龙头企业: the items of an enumeration closed by 等 + a kind of organization.
ENUMERATION_CUE = re.compile(
    # the last item may be two joined by 和/与/及 (华虹集团和上海微电子装备)
    r"((?:[^,，。;；:：、\s“”]{2,8}、)+[^,，。;；:：、\s“”]{2,18})等[^,，。;；]{0,6}?"
    r"(?:企业|公司|厂商|集团|车企|药企|银行|机构|高校|院校|单位|巨头)"
)
CLAUSE_OPENERS = ("其中", "比如", "例如", "如", "同时", "此外", "另外", "目前")
# Words at which a name cannot extend further left.
NAME_STOPS = {
    "位于", "落户", "入驻", "进驻", "投资", "建设", "打造", "依托", "所在", "揭牌", "成立", "设立",
    "推进", "推动", "加快", "通过", "包括", "以及", "其中", "引进", "签约", "携手", "联合", "支持",
    "来自", "属于", "旗下", "作为", "还有", "例如", "比如", "和", "与", "及", "的", "在", "于",
    "以", "为", "是", "将", "到", "从", "向", "把", "对", "由", "让", "使", "等", "或", "被", "了",
    "已", "也", "都", "又", "就", "并", "但", "而", "还", "即", "新", "这", "该", "其", "原", "同",
    "有", "新建", "新增", "拟建", "在建", "筹建",
}
# Verbs of a business scope, inside registered names: 上海东富龙制药设备制造有限公司.
BUSINESS_SCOPE_VERBS = {"制造", "制药", "研发", "生产", "加工", "设计", "制作", "开发", "销售", "服务", "咨询"}
# Part-of-speech tags of words that can be inside a name, and of proper words.
NAME_FLAGS = {"n", "ng", "nz", "nr", "nrt", "nrfg", "ns", "nsf", "nt", "j", "l", "vn", "eng", "x", "an", "b"}
PROPER_FLAGS = {"nr", "nrt", "nrfg", "ns", "nsf", "nt", "nz", "j", "eng"}
PERSON_FLAGS = {"nr", "nrt", "nrfg"}
GENERIC_PLACES = {"外国", "国外", "海外", "境外", "全国", "各地", "本地", "当地", "国内", "全球", "世界", "全市", "全区", "全省"}
# Pronouns, numerals, prepositions, conjunctions, particles, adverbs, measure words and
# localizers are never fragments of a name (他往医院, 两国).
FUNCTION_WORD_FLAGS = set("rmpcudqf")
# A person-tagged word more frequent than this is a common word jieba mistags (养老).
COMMON_WORD_FREQUENCY = 500
# A word rarer than this in jieba's dictionary (or unknown to it) counts as proper.
RARE_WORD_FREQUENCY = 20
MAX_NAME_LENGTH = 24
# A quoted proper part right before the rest of the name: “碳谷绿湾”特色产业园.
QUOTED_NAME = re.compile(r"[“\"「][^“”\"「」]{1,12}[”\"」][^“”\"「」\s,，。;；:：、]{0,8}$")
# 发那科(上海)机器人有限公司: a place in brackets after the trade name of a registered name.
BRACKETED_PLACE = re.compile(r"[(（]([^()（）]{2,6})[)）][^()（）]*$")
# Word classes at which a trade name before such a bracket ends: prepositions, conjunctions,
# particles (与发那科: 与). Transliterated names come out of jieba in odd classes (发/v 那科/r),
# so the usual name-word test does not apply there.
TRADE_NAME_STOP_FLAGS = set("pcu")
MAX_TRADE_NAME_LENGTH = 10
# One-character place words that jieba glues to a head (城内, 区外): the head still ends there.
LOCATIVE_SUFFIXES = set("内外里中旁")
# Words that are an organization's kind, never its name (公司拟投资: 公司).
GENERIC_ORG_WORDS = {"企业", "本公司", "该公司", "母公司", "子公司", "总公司", "分公司", "单位", "机构"}
NAME_BREAK = re.compile(r"[\s,，。;；:：!！?？、…《》<>\[\]【】“”\"「」]")
# Dictionary tags of words that can stand alone as an organization's name.
ORG_WORD_FLAGS = {"nt", "nz", "j"}
# Endings of institution names besides ORG_HEADS (新华社, 中央电视台, 国家统计局, 民建中央).
INSTITUTION_ENDINGS = ("部", "委", "局", "厅", "署", "院", "会", "党", "社", "台", "报", "所", "队",
                       "团", "厂", "中心", "办", "处", "站", "中央", "组织", "联盟")
GENERIC_PREFIXES = {"该", "本", "这个", "这家", "一家", "子", "母", "特色", "重点", "相关", "各类", "各"}


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    label: str
    source: str


@lru_cache(maxsize=None)
def longest_first(words: tuple[str, ...]) -> re.Pattern[str]:
    """A pattern of ``words``, the longest first, built once per word list (escaping and
    joining a few hundred heads for every text cost more than matching them)."""
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


class NameFinder:
    """Name rules over clean text, with jieba's part-of-speech tagger for word classes."""

    def __init__(self, tokenizer: jieba.Tokenizer | None = None):
        self.tokenizer = tokenizer or jieba.Tokenizer()
        # jieba loads its dictionary (half a second) on the first cut: load it now, with the
        # pipeline, rather than in the middle of the first document.
        initialize(self.tokenizer)
        self.tagger = pos_tagger(self.tokenizer)
        # The same short stretches (a name, the words before a head) recur across a corpus,
        # and jieba's HMM tagger is the slow part of these rules.
        self.tag = lru_cache(maxsize=65536)(self._tag)

    def _tag(self, text: str) -> tuple[tuple[str, str], ...]:
        """(word, part-of-speech) pairs of ``text``, fragments of unknown names rejoined."""
        return tuple(merge_fragments([(pair.word, pair.flag) for pair in self.tagger.cut(text)]))

    def is_proper(self, word: str, flag: str) -> bool:
        """A place, person-like or organization word, or one jieba's dictionary hardly knows."""
        if word in GENERIC_PLACES:
            return False
        if PLACE_PREFIX.fullmatch(word):
            return True
        # jieba's dictionary also tags four-character phrases as person names (努力提高,
        # 广大青年): a person-like word counts only at the length of a name.
        if flag in PROPER_FLAGS:
            return flag not in PERSON_FLAGS or (
                2 <= len(word) <= 3 and self.tokenizer.FREQ.get(word, 0) < COMMON_WORD_FREQUENCY)
        # A rare two- or three-character noun is most likely a name.
        return (flag.startswith("n") or flag == "x") and 2 <= len(word) <= 3 and \
            self.tokenizer.FREQ.get(word, 0) < RARE_WORD_FREQUENCY

    def is_odd_name_part(self, word: str, flag: str) -> bool:
        """A listed place whatever its class (包头/v, 大连/d), or a rare word of a class jieba
        gives to parts of zone names (雄安/a, 西海岸/s)."""
        return is_place_word(word) or (
            flag in ODD_NAME_FLAGS and len(word) >= 2 and self.tokenizer.FREQ.get(word, 0) < COMMON_WORD_FREQUENCY)

    def name_start(self, text: str, head_start: int, park: bool = False, glued: bool = False) -> int | None:
        """Leftmost offset of the name whose head begins at ``head_start``; None if generic.
        A ``park`` name may also hold the odd words of ``pipeline.grammar.parks``; ``glued``:
        the head begins inside a word (精细/化工园区), whose first part is in the name."""
        window_start = max(0, head_start - MAX_NAME_LENGTH)
        left = text[window_start:head_start]
        quoted = QUOTED_NAME.search(left)
        if quoted:  # “碳谷绿湾”特色产业园: a quoted proper part opens the name
            return window_start + quoted.start()
        breaks = list(NAME_BREAK.finditer(left))
        if breaks:
            window_start += breaks[-1].end()
            left = text[window_start:head_start]
        bracketed = BRACKETED_PLACE.search(left)
        if bracketed and self.is_place(bracketed.group(1)):
            start = self.trade_name_start(left, bracketed.start())
            if start is not None:
                return window_start + start
        words = merge_park_fragments(list(self.tag(left)), NAME_STOPS) if park else self.tag(left)
        kept: list[tuple[str, str]] = []
        for index in range(len(words) - 1, -1, -1):
            word, flag = words[index]
            odd = park and (self.is_odd_name_part(word, flag) or word in DESCRIPTIVE_WORDS
                            or (glued and not kept) or self._new_in_park_name(words, index, kept)
                            or (word in DIRECTIONS and bool(kept)
                                and (self.is_proper(*kept[0]) or self.is_odd_name_part(*kept[0]))))
            if (word in NAME_STOPS and not odd) or (
                    flag not in NAME_FLAGS and word not in BUSINESS_SCOPE_VERBS and not odd):
                break
            if word[0] in NAME_STOPS and not self.tokenizer.FREQ.get(word):
                kept.insert(0, (word[1:], flag))  # 由林达 is 由 + 林达: jieba glued an unknown name on
                break
            kept.insert(0, (word, flag))
        if park and kept:
            position = head_start - sum(len(word) for word, _ in kept)
            if joint_start(text, position) < position:
                return joint_start(text, position)  # 中新生态科技城: a joint zone's name is proper
        while kept and (not (self.is_proper(*kept[0]) or park and self.is_odd_name_part(*kept[0]))
                        or _closes_unopened_bracket(kept)):
            kept.pop(0)  # 电子企业长虹公司: leading common nouns are no part of the name
        if not kept:
            return None
        start = head_start - sum(len(word) for word, _ in kept)
        return joint_start(text, start) if park else start

    @staticmethod
    def _new_in_park_name(words: tuple[tuple[str, str], ...] | list[tuple[str, str]], index: int,
                          kept: list[tuple[str, str]]) -> bool:
        """新 inside a park name (尼龙新材料产业集聚区: 新/a 材料/n): between a name word and a
        noun, not after a verb or stop (建设新产业园)."""
        if words[index][0] != "新" or not kept or not kept[0][1].startswith("n") or index == 0:
            return False
        before, flag = words[index - 1]
        return before not in NAME_STOPS and flag in NAME_FLAGS | {"x"}

    def enumerated_name(self, item: str) -> bool:
        """Whether an item of ``X、Y等企业`` is a name: one proper word (博世), or a proper word
        followed by nouns (上海微电子装备, 华虹集团); 钢铁 and 化工 are kinds of industry."""
        words = self.tag(item)
        if not self.is_proper(*words[0]):
            return False
        return all(flag in NAME_FLAGS for _, flag in words[1:])

    def is_place(self, text: str) -> bool:
        """中国, 上海, 苏州工业园区: a place word or a place-prefixed one."""
        words = self.tag(text)
        return bool(PLACE_PREFIX.fullmatch(text)) or (len(words) == 1 and words[0][1] in ("ns", "nsf"))

    def trade_name_start(self, left: str, bracket: int) -> int | None:
        """Start of the trade name that ends at ``bracket`` in ``left`` (the text before a
        head): the words back to a preposition, conjunction, particle or name stop."""
        length, start = 0, None
        for word, flag in reversed(self.tag(left[:bracket])):
            if word in NAME_STOPS or flag[:1] in TRADE_NAME_STOP_FLAGS or length + len(word) > MAX_TRADE_NAME_LENGTH:
                break
            length += len(word)
            start = bracket - length
        return start if length >= 2 else None

    def repeatable(self, name: str) -> bool:
        """Whether a name the model found once can be looked for elsewhere in the text.

        One model error repeated through a text costs many mentions (a stray 中国 or
        香港法例第 found once, then at every occurrence), so only names that look like names
        spread: a dictionary word tagged as an organization or abbreviation (国务院, 东盟),
        a word the dictionary does not know (普睿玛), words ending in an institution word
        (区域市政局), or a proper word followed by nouns (汉钟精机), not 香港法例第 or 中国驻美.
        """
        words = self.tag(name)
        if len(words) == 1:
            word, flag = words[0]
            return word not in self.tokenizer.FREQ or flag in ORG_WORD_FLAGS
        if words[-1][1] == "nt" or name.endswith(ORG_HEADS + INSTITUTION_ENDINGS):
            return True
        return words[-1][1].startswith("n") and any(self.is_proper(word, flag) for word, flag in words[:-1])

    def plausible_name(self, name: str) -> bool:
        """Whether a span found by another recognizer can be a name: no word inside it that
        names never hold (金山建设新工厂 holds 建设), nor a bare kind of organization (公司).
        One-character stops are allowed: 和辉光电."""
        if name in ORG_HEADS or name in GENERIC_ORG_WORDS:
            return False  # 公司拟投资: the kind of organization, not its name
        return not any(len(word) > 1 and word in NAME_STOPS for word, _ in self.tag(name))

    def _headed_names(self, text: str, heads: tuple[str, ...], label: str,
                      boundaries: set[int] | None, park: bool = False) -> list[NameMatch]:
        pattern = longest_first(heads)
        matches = []
        for match in pattern.finditer(text):
            followers = HEAD_FOLLOWERS if park else LOCATIVE_SUFFIXES
            if (boundaries is not None and match.end() not in boundaries
                    and text[match.end():match.end() + 1] not in followers):
                continue  # 协商会议 holds 商会 but is no 商会; 张江科学城内 (科学/城内) holds 科学城
            glued = park and boundaries is not None and match.start() not in boundaries
            start = self.name_start(text, match.start(), park, glued)
            if park and matches:
                start = self._after_zone(text, matches[-1], start, match.start())
            if start is None:
                continue
            prefix = text[start:match.start()].strip("“”\"「」")
            if len(prefix) < 2 or prefix in GENERIC_PREFIXES or prefix in GENERIC_ZONE_WORDS:
                continue
            if park and not head_allowed(text, start, match.start(), match.end()):
                continue
            matches.append(NameMatch(start, match.end(), label, "rule"))
        return matches

    def _after_zone(self, text: str, zone: NameMatch, start: int | None, head_start: int) -> int | None:
        """The start of a park whose head follows a zone found before it: the zone's start when
        only name words stand between them (兰州新区精细化工园区, 湖南湘江新区智能网联汽车产业园,
        赣州经开区新能源汽车科技城 where jieba cuts 经/开区), else ``start``."""
        if zone.end > head_start or (start is not None and start < zone.start):
            return start
        if start is not None and start <= zone.end:
            return zone.start  # the name read back into the zone
        gap = text[zone.end:head_start]
        if len(gap) > MAX_NAME_LENGTH // 2 or NAME_BREAK.search(gap):
            return start
        words = self.tag(gap) if gap else ()
        # a single character of a word jieba cut oddly (智能网/联/汽车) is a name part too
        if all(word not in NAME_STOPS and (flag in NAME_FLAGS or word in DESCRIPTIVE_WORDS
                                           or (len(word) == 1 and flag[:1] not in FUNCTION_WORD_FLAGS))
               for word, flag in words):
            return zone.start
        return start

    def org_names(self, text: str, boundaries: set[int] | None = None) -> list[NameMatch]:
        """Organizations ending in a legal form or an institution word."""
        return self._headed_names(text, ORG_HEADS, "ORG", boundaries) + self.partnership_names(text)

    def partnership_names(self, text: str) -> list[NameMatch]:
        """Limited partnerships (``PARTNERSHIP``): the name before the business and the form."""
        found = []
        for match in PARTNERSHIP.finditer(text):
            start = self.name_start(text, match.start())
            if start is not None and match.start() - start >= 2:
                found.append(NameMatch(start, match.end(), "ORG", "rule"))
        return found

    def park_names(self, text: str, boundaries: set[int] | None = None) -> list[NameMatch]:
        """Industrial parks and zones (heads and name rules in ``pipeline.grammar.parks``):
        金山工业区, 长三角智能装备园, “碳谷绿湾”特色产业园, 重庆两江新区; the longest of nested ones."""
        found = self._headed_names(text, PARK_HEADS, "PARK", boundaries, park=True)
        kept = set(longest_only([(m.start, m.end) for m in found]))
        return [m for m in found if (m.start, m.end) in kept]

    def short_company_names(self, text: str, boundaries: set[int]) -> list[NameMatch]:
        """A proper word directly followed by a business word: 和辉光电, 上海石化.

        jieba often splits unknown names across words (和/辉光/电), so the name part is
        tried as the three, then the two characters before the business word, each tagged on
        its own, rather than taken from the segmentation.
        """
        pattern = longest_first(BUSINESS_WORDS)
        found = []
        for match in pattern.finditer(text):
            follower = text[match.end():match.end() + 1]
            if match.end() not in boundaries and follower not in NAME_FOLLOWERS:
                continue  # 光电子, 科技园: the business word runs on into another word
            for size in (3, 2):
                start = match.start() - size
                if start < 0 or start not in boundaries:
                    continue  # 腾飞和科技: 飞和 begins inside a word
                words = self.tag(text[start:match.start()])
                if len(words) != 1 or words[0][0] in NAME_STOPS or not self.is_proper(*words[0]):
                    continue
                if is_place(*words[0]) and match.group() not in PLACE_BUSINESS_WORDS:
                    break
                found.append(NameMatch(start, match.end(), "ORG", "rule"))
                break
        return found

    def cued_names(self, text: str, boundaries: set[int]) -> list[NameMatch]:
        """Proper words that a cue frame marks as organizations: 百特亚太区, X为…的单项冠军,
        京东方、博世等龙头企业."""
        found = []
        for match in DIVISION_CUE.finditer(text):
            words = self.tag(text[max(0, match.start() - 6):match.start()])
            if words and self.is_proper(*words[-1]) and len(words[-1][0]) >= 2:
                found.append(NameMatch(match.start() - len(words[-1][0]), match.start(), "ORG", "cue"))
        for match in ENUMERATION_CUE.finditer(text):
            for offset, item in enumeration_items(match.group(1)):
                if 2 <= len(item) <= 8 and self.enumerated_name(item):
                    position = match.start(1) + offset
                    found.append(NameMatch(position, position + len(item), "ORG", "cue"))
        for match in ROLE_CUE.finditer(text):
            breaks = list(NAME_BREAK.finditer(text, max(0, match.start() - 12), match.start()))
            clause_start = breaks[-1].end() if breaks else max(0, match.start() - 12)
            words = list(self.tag(text[clause_start:match.start()]))
            while words and words[0][0] in CLAUSE_OPENERS:
                words.pop(0)
            if len(words) != 1:
                continue  # the subject must be one word right before 为/是
            word, flag = words[0]
            if 2 <= len(word) <= 6 and self.is_proper(word, flag):
                found.append(NameMatch(match.start() - len(word), match.start(), "ORG", "cue"))
        return found


OPENING_BRACKETS, CLOSING_BRACKETS = "(（[【《<「", ")）]】》>」"
EDGE_PUNCTUATION = set(",，。.;；:：!！?？、…·-—~～“”\"'‘’ ")


def trim_name(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without punctuation at the edges and without a bracket that the name
    does not also open or close there (京东方） -> 京东方; 发那科(上海)机器人 keeps its pair)."""
    changed = True
    while changed and start < end:
        changed = False
        name = text[start:end]
        if name[-1] in EDGE_PUNCTUATION or (
                name[-1] in CLOSING_BRACKETS and not any(c in OPENING_BRACKETS for c in name[:-1])):
            end -= 1
            changed = True
        elif name[0] in EDGE_PUNCTUATION or (
                name[0] in OPENING_BRACKETS and not any(c in CLOSING_BRACKETS for c in name[1:])):
            start += 1
            changed = True
    return start, end


def enumeration_items(enumeration: str) -> list[tuple[int, str]]:
    """(offset, item) of the items of ``A、B和C``: split at 、, and the last item once more at
    和/与/及 when both sides keep two characters (A、和辉光电 stays whole)."""
    items, offset = [], 0
    for item in enumeration.split("、"):
        items.append((offset, item))
        offset += len(item) + 1
    last_offset, last = items[-1]
    pair = re.match(r"^(.{2,}?)(和|与|及|以及)(.{2,})$", last)
    if pair and len(items) > 1:
        second = last_offset + pair.end(2)
        items[-1:] = [(last_offset, pair.group(1)), (second, pair.group(3))]
    return items


def merge_fragments(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rejoin runs of single characters: jieba cuts names it does not know into characters
    (信/达/生物制药, 旭/创/科技), and 信达, 旭创 are the names. A rejoined run is tagged ``x``."""
    merged: list[tuple[str, str]] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        if len(run) == 1:
            merged.append(run[0])
        elif run:
            merged.append(("".join(word for word, _ in run), "x"))
        run.clear()

    for word, flag in words:
        if (len(word) == 1 and "\u4e00" <= word <= "\u9fff" and word not in NAME_STOPS
                and flag[:1] not in FUNCTION_WORD_FLAGS):
            run.append((word, flag))
        else:
            flush()
            merged.append((word, flag))
    flush()
    return merged


def _closes_unopened_bracket(words: list[tuple[str, str]]) -> bool:
    """Whether a ")" comes before any "(" in the words: (上海)机器人 cut at 上海 is no name."""
    depth = 0
    for word, _ in words:
        for char in word:
            depth += {"(": 1, "（": 1, ")": -1, "）": -1}.get(char, 0)
            if depth < 0:
                return True
    return False


def is_place(word: str, flag: str) -> bool:
    return flag in ("ns", "nsf") or bool(PLACE_PREFIX.fullmatch(word))


LEGAL_FORMS = re.compile(r"(股份有限公司|有限责任公司|集团有限公司|有限公司|集团公司|公司|集团)$")
# Descriptive words that registered names end with before the legal form; the distinctive
# part of the name (its 字号) comes before them.
INDUSTRY_WORDS = re.compile(
    r"(光电材料|新材料|材料|生物科技|生物医药|生物工程|生物|医药科技|医药|制药设备制造|制药设备|制药|"
    r"设备制造|设备|装备制造|装备|智能科技|智能制造|智能|电子科技|电子|信息技术|信息科技|网络科技|"
    r"软件|科技|技术|实业|控股|投资|发展|贸易|工业|机械|机器人|化工|能源|环保|汽车|半导体|"
    r"集成电路|微电子|精密|精机|电气|光电|食品|健康|医疗器械|医疗|制造|工程|国际|中国)$"
)
PLACE_PREFIX = re.compile(
    r"^(中国|上海|北京|天津|重庆|深圳|广州|杭州|南京|苏州|无锡|宁波|武汉|成都|西安|合肥|青岛|厦门|"
    r"浙江|江苏|广东|山东|河南|河北|湖南|湖北|福建|安徽|四川|陕西|辽宁|吉林|黑龙江|江西|山西|"
    r"云南|贵州|广西|海南|甘肃|青海|宁夏|新疆|西藏|内蒙古|香港|澳门|台湾)(市|省)?"
)


def short_name(full_name: str) -> str | None:
    """The distinctive short name (字号) of a registered company name, if it has one.

    >>> short_name("上海东富龙制药设备制造有限公司")
    '东富龙'
    """
    name = re.sub(r"[(（][^)）]*[)）]", "", full_name)
    name = LEGAL_FORMS.sub("", name)
    if name == full_name:
        return None  # not a registered company name
    name = PLACE_PREFIX.sub("", name)
    while True:
        stripped = INDUSTRY_WORDS.sub("", LEGAL_FORMS.sub("", name))
        if stripped == name or len(stripped) < 2:
            break
        name = stripped
    return name if 2 <= len(name) < len(full_name) else None
