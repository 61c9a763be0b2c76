"""PARK: the country's development zones and parks, as tables and pure rules.

A park is found from its head word (经济技术开发区, 高新区, 综合保税区, 自由贸易试验区…片区,
国家级新区, 边境经济合作区, 产业园…) and a proper name before it, which
``pipeline.grammar.names.NameFinder`` reads from jieba's words. Park names start with places
and words jieba tags oddly (雄安/a, 西海岸/s, 前/f 海/n, 两江/ns, 中/f 新/a): the tables below
say which of those the name may hold, so that the rule is the same for every zone and can be
tested on strings. The rules here need no tagger.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

PLACES_PATH = Path(__file__).parent / "data" / "places.txt"
PLACE_SUFFIXES = ("省", "市", "县", "州", "盟", "地区", "自治区", "自治州")
# Heads of national and provincial zones, by the State Council's and the provinces' kinds.
ZONE_HEADS = (
    "经济技术开发区", "经开区", "高新技术产业开发区", "高新技术开发区", "新技术产业开发区", "新技术开发区",
    "新兴技术开发区", "高新区", "开发区", "综合保税区", "保税港区", "保税物流园区", "保税区", "出口加工区",
    "自由贸易试验区", "自贸试验区", "自贸区", "自由贸易港", "边境经济合作区", "跨境经济合作区", "经济合作区",
    "合作区", "经济综合实验区", "综合实验区", "示范区", "新区", "新片区", "片区", "产业集聚区", "集聚区",
    "工业区", "产业基地", "国际边境合作中心", "边境合作中心",
)
# Heads of parks: …园 and its …园区 form, …城 and …港 of science and industry.
PARK_WORDS = (
    "产业园", "工业园", "科技园", "物流园", "软件园", "创意园", "孵化园", "研创园", "创新园", "创业园", "科创园",
    "智造园", "装备园", "材料园", "化工园", "生态园", "总部园", "智慧园", "高科园", "电商园", "高新技术产业园",
    "高科技园",
)
CITY_HEADS = ("科学城", "科技城", "知识城", "生态城", "生物城", "纳米城", "创新港", "医药港", "信息港", "数字港")
PARK_HEADS: tuple[str, ...] = tuple(sorted(
    {*ZONE_HEADS, *PARK_WORDS, *(word + "区" for word in PARK_WORDS), *CITY_HEADS}, key=len, reverse=True))

# jieba glues one character after a head into a word (苏州纳米城是: 城是, 光谷生物城新落户: 城新);
# after a park head these characters start a new word, so the head still ends there.
HEAD_FOLLOWERS = set("是的和与及在将新已也为于内外里中旁")
# A 片区 is a park only as part of a named zone: 中国(湖北)自由贸易试验区武汉片区, not 老城片区.
HEADS_INSIDE_ZONE: dict[str, tuple[str, ...]] = {
    "片区": ("自由贸易试验区", "自贸试验区", "自贸区", "综合保税区", "自由贸易港"),
}
# 浦东新区 and 滨海新区 are also districts: followed by these words the district is meant.
DISTRICT_HEADS = ("新区",)
DISTRICT_FOLLOWERS = re.compile(r"^(?:人民政府|政府|区委|区政府|人大|政协|区长|常住人口|户籍人口|街道|财政|教育局|法院|检察院|[镇乡])")
# Joint zones named for two countries (中新天津生态城, 中德产业园): jieba splits 中/f 新/a.
JOINT_PREFIX = re.compile(r"中[新德韩欧以法日意俄哈白马瑞美英澳泰印阿]$")
# Word classes jieba gives to parts of zone names that are not nouns (雄安/a, 西海岸/s); a
# word of these classes counts as a name part when it is rare in jieba's dictionary.
ODD_NAME_FLAGS = {"a", "s", "f"}
# Descriptive words inside zone names whatever class jieba gives them (现代/t in
# 前海深港现代服务业合作区, 零部件/mq in 汽车零部件产业园); at the start of a name they are
# trimmed as generic.
DESCRIPTIVE_WORDS = {"现代", "国际", "高端", "智能", "绿色", "数字", "新型", "综合", "先进", "未来", "创新", "特色", "临空", "临港",
                     "零部件", "零售", "一体化", "零碳", "低碳"}
# A direction before a place is part of a zone's name (常州西太湖科技产业园: 西/f 太湖/ns).
DIRECTIONS = set("东西南北")
# Single characters jieba leaves unjoined at the start of a zone name (前/f 海/n, 滇/j 中/f):
# a run of them is one name word, like the runs of unknown characters ``merge_fragments`` joins.
FRAGMENT_FLAGS = {"f", "a"}
# Words before a head that make a zone generic (国家级经济技术开发区, 省级高新区).
GENERIC_ZONE_WORDS = {"国家级", "省级", "市级", "区级", "国家", "首批", "各类", "全国", "我国", "当地", "本地"}


def head_allowed(text: str, name_start: int, head_start: int, head_end: int) -> bool:
    """Whether a head with the name ``text[name_start:head_start]`` before it makes a park:
    a 片区 needs its zone inside the name; a 新区 followed by a district's word is the district."""
    head = text[head_start:head_end]
    needed = HEADS_INSIDE_ZONE.get(head)
    if needed and not any(zone in text[name_start:head_start] for zone in needed):
        return False
    if head in DISTRICT_HEADS and DISTRICT_FOLLOWERS.match(text[head_end:head_end + 5]):
        return False
    return True


def joint_start(text: str, start: int) -> int:
    """``start`` moved left over a joint-zone prefix written right before it (中新, 中德)."""
    joint = JOINT_PREFIX.search(text, max(0, start - 2), start)
    return joint.start() if joint else start


def merge_park_fragments(words: list[tuple[str, str]], stops: set[str]) -> list[tuple[str, str]]:
    """Rejoin single characters of FRAGMENT_FLAGS with their single-character neighbours:
    前/f 海/n → 前海, 滇/j 中/f → 滇中. Function words and ``stops`` (在, 新) are never joined."""
    merged: list[tuple[str, str]] = []
    for word, flag in words:
        previous = merged[-1] if merged else None
        if previous and previous[0] + word in DESCRIPTIVE_WORDS:  # 零/m 碳/n → 零碳
            merged[-1] = (previous[0] + word, "x")
        elif (previous and len(word) == 1 and len(previous[0]) == 1 and "\u4e00" <= word <= "\u9fff"
                and "\u4e00" <= previous[0] <= "\u9fff"
                and (flag in FRAGMENT_FLAGS or previous[1] in FRAGMENT_FLAGS)
                and not {flag[:1], previous[1][:1]} & set("pcuqdrm") and not {word, previous[0]} & stops):
            merged[-1] = (previous[0] + word, "x")
        else:
            merged.append((word, flag))
    return merged


def longest_only(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans not inside a longer one (南京江北新区 inside 南京江北新区产业技术研创园)."""
    return [span for span in spans
            if not any(o != span and o[0] <= span[0] and span[1] <= o[1] for o in spans)]


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """The province- and prefecture-level places of ``data/places.txt``."""
    lines = PLACES_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


def is_place_word(word: str) -> bool:
    """包头, 大连市, 江苏省: a listed place, with or without its suffix."""
    if word in places():
        return True
    return any(word.endswith(suffix) and word[:-len(suffix)] in places() for suffix in PLACE_SUFFIXES)
