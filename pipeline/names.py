"""Grammar rules for organization and park names, and short-name aliases.

Pure functions over the clean text. A name is found from its head (a legal form such as
有限公司, an institution word such as 研究院, a zone word such as 工业区) and extended to
the left over name characters until a word that cannot be part of a name (的, 位于, 落户…)
or a clause break. These rules are features and overrides for the statistical recognizer,
not the whole answer: they find full registered names, the model finds the rest.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

ORG_HEADS = (
    "股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司", "控股集团", "集团",
    "研究院", "研究所", "研究中心", "工程中心", "实验室", "科学院", "大学", "学院", "医院",
    "银行", "证券", "基金会", "协会", "商会", "联合会", "管委会", "管理委员会", "公司",
)
PARK_HEADS = (
    "高新技术产业开发区", "经济技术开发区", "综合保税区", "保税港区", "自由贸易试验区", "自贸区",
    "开发区", "高新区", "经开区", "保税区", "工业区", "工业园区", "产业园区", "产业园", "科技园区",
    "科技园", "产业基地", "产业集聚区", "集聚区", "示范区", "科学城", "科技城", "创新港",
    "医药港", "智造园", "装备园", "材料园", "化工园区", "化工园", "软件园", "物流园", "创意园",
    "孵化园", "智慧园", "生态园", "总部园", "信息港", "数字港",
)
# Words at which a name cannot extend further left. Longest first.
NAME_STOPS = sorted(
    {
        "位于", "落户", "入驻", "进驻", "投资", "建设", "打造", "依托", "所在", "揭牌", "成立", "设立",
        "推进", "推动", "加快", "通过", "包括", "以及", "其中", "引进", "签约", "携手", "联合", "支持",
        "来自", "属于", "旗下", "作为", "还有", "例如", "比如", "如", "和", "与", "及", "的", "在", "于",
        "以", "为", "是", "将", "到", "从", "向", "把", "对", "由", "让", "使", "等", "或", "被", "了",
        "已", "也", "都", "又", "就", "并", "但", "而", "还", "即", "新", "这", "该", "其",
    },
    key=len,
    reverse=True,
)
NAME_BREAK = re.compile(r"[\s,，。;；:：!！?？、…《》<>\[\]【】]")
GENERIC_PREFIXES = {
    "", "该", "本", "这个", "这家", "一家", "子", "母", "上市", "合资", "独资", "外资", "民营", "国有",
    "特色", "重点", "相关", "各类", "各", "全", "主要", "大型", "小型", "新型", "现代", "国家级",
    "省级", "市级", "区级", "产业", "科技", "工业", "其他", "多家", "多个", "一批", "各大", "分",
    "园区", "这些", "那些", "我们", "贵", "总", "专业", "综合",
}
MAX_NAME_LENGTH = 24
QUOTED_NAME = re.compile(r"“[^“”]{1,12}”$|\"[^\"]{1,12}\"$|「[^「」]{1,12}」$")
_STOP_PATTERN = re.compile("|".join(map(re.escape, NAME_STOPS)))


@dataclass(frozen=True)
class NameMatch:
    start: int
    end: int
    label: str
    head: str


def _name_start(text: str, head_start: int, boundaries: set[int] | None) -> int:
    """Leftmost offset of the name whose head begins at ``head_start``.

    ``boundaries`` are the word boundaries (character offsets) of the segmenter: a stop word
    only ends a name when it is a whole word, so 为 in 华为 does not.
    """
    window_start = max(0, head_start - MAX_NAME_LENGTH)
    left = text[window_start:head_start]
    quoted = QUOTED_NAME.search(left)
    if quoted:  # “碳谷绿湾”特色产业园: the quoted part is the name
        return window_start + quoted.start()
    breaks = list(NAME_BREAK.finditer(left))
    cut = breaks[-1].end() if breaks else 0
    # A name holds no stop word except inside brackets: 发那科(上海)机器人有限公司.
    stops = [
        m
        for m in _STOP_PATTERN.finditer(left, cut)
        if not _inside_brackets(left, m.start())
        and (boundaries is None or {window_start + m.start(), window_start + m.end()} <= boundaries)
    ]
    if stops:
        cut = stops[-1].end()
    # Unbalanced brackets at the left edge are not part of the name.
    while cut < len(left) and left[cut] in "()（）":
        cut += 1
    return window_start + cut


def _inside_brackets(text: str, position: int) -> bool:
    opened = text.rfind("(", 0, position)
    return opened >= 0 and text.find(")", opened, position) < 0


def _find_headed_names(
    text: str, heads: tuple[str, ...], label: str, boundaries: set[int] | None
) -> list[NameMatch]:
    pattern = re.compile("|".join(map(re.escape, sorted(heads, key=len, reverse=True))))
    matches: list[NameMatch] = []
    for match in pattern.finditer(text):
        start = _name_start(text, match.start(), boundaries)
        prefix = text[start:match.start()].strip("“”\"「」")
        if prefix in GENERIC_PREFIXES or len(prefix) < 2:
            continue
        if any(ch.isdigit() for ch in prefix[:1]):
            continue  # 3家公司, 2个产业园
        matches.append(NameMatch(start, match.end(), label, match.group()))
    return matches


def find_org_names(text: str, boundaries: set[int] | None = None) -> list[NameMatch]:
    """Organization names that end in a legal form or an institution word."""
    return _find_headed_names(text, ORG_HEADS, "ORG", boundaries)


def find_park_names(text: str, boundaries: set[int] | None = None) -> list[NameMatch]:
    """Industrial parks and zones: 金山工业区, 长三角智能装备园, “碳谷绿湾”特色产业园."""
    return _find_headed_names(text, PARK_HEADS, "PARK", boundaries)


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
