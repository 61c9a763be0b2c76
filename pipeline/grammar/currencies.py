"""Currency words, symbols and codes: every ISO 4217 currency in legal tender today.

The Chinese names come from CLDR through Babel (simplified ``zh`` and traditional ``zh_Hant``
and ``zh_Hant_HK``), so a new currency or a renamed one arrives with a Babel update rather
than an edit here. Three things CLDR does not give are tables below:

- the colloquial names news uses (美金, 港纸, 台币, 新元…) and the currency symbols;
- the short names: CLDR writes 巴西雷亚尔 and 南非兰特 where news also writes 雷亚尔 and
  兰特. A name is split into its country and the rest; the rest is a short name when only one
  currency ends in it;
- the generic names shared by several currencies (卢比, 比索, 第纳尔, 克朗, 迪拉姆…): a country
  written before one makes it specific (印尼盾, 阿联酋迪拉姆), a country named near it
  resolves a bare one (菲律宾…比索), and otherwise ``GENERIC_DEFAULTS`` does.

元 alone is always CNY (the guidelines' rule), never a generic name resolved by context.
"""
from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale
from babel.numbers import get_territory_currencies

CLDR_LOCALES = ("zh", "zh_Hant", "zh_Hant_HK")
# Codes that are also English words or brand names (TOP 10, ALL, AMD, CAD drawings): as text
# they are read only when a currency name, not a code, is written.
CODES_NOT_READ = {"ALL", "AMD", "BAM", "BOB", "CAD", "CUP", "GEL", "MAD", "MOP", "PEN", "SOS", "TOP", "TRY"}
COLLOQUIAL_NAMES: dict[str, str] = {
    "元人民币": "CNY", "元人民幣": "CNY", "元新台币": "TWD", "元新臺幣": "TWD", "元新台幣": "TWD",
    "元港币": "HKD", "元港幣": "HKD", "块钱": "CNY", "塊錢": "CNY", "人民币元": "CNY",
    "美金": "USD", "美刀": "USD",
    "港币": "HKD", "港纸": "HKD", "港紙": "HKD",
    "台币": "TWD", "台幣": "TWD", "新臺幣": "TWD", "新台幣": "TWD", "臺幣": "TWD",
    "澳门元": "MOP", "澳门币": "MOP", "澳門幣": "MOP", "葡币": "MOP",
    "新元": "SGD", "新币": "SGD", "新加坡币": "SGD",
    "澳币": "AUD", "澳元": "AUD", "加元": "CAD", "加币": "CAD", "纽元": "NZD", "纽币": "NZD",
    "日圆": "JPY", "日币": "JPY", "日幣": "JPY", "韩币": "KRW", "韓幣": "KRW", "韩圆": "KRW",
    "瑞郎": "CHF", "马币": "MYR", "令吉": "MYR", "泰币": "THB", "铢": "THB", "銖": "THB",
    "欧元": "EUR", "英镑": "GBP", "越南盾": "VND", "印尼盾": "IDR", "印度尼西亚盾": "IDR",
}
# Short country names and cities that name a country beside a generic currency name.
PLACE_ALIASES: dict[str, str] = {
    "阿联酋": "AE", "迪拜": "AE", "阿布扎比": "AE", "沙特": "SA", "利雅得": "SA", "印尼": "ID",
    "雅加达": "ID", "马尼拉": "PH", "墨西哥城": "MX", "布宜诺斯艾利斯": "AR", "新德里": "IN",
    "孟买": "IN", "卡拉奇": "PK", "伊斯兰堡": "PK", "科伦坡": "LK", "开罗": "EG", "多哈": "QA",
    "马斯喀特": "OM", "德黑兰": "IR", "英国": "GB", "伦敦": "GB", "苏黎世": "CH", "日内瓦": "CH",
    "斯德哥尔摩": "SE", "奥斯陆": "NO", "哥本哈根": "DK", "内罗毕": "KE", "胡志明市": "VN",
    "河内": "VN", "莫斯科": "RU", "圣保罗": "BR", "约翰内斯堡": "ZA", "科威特": "KW",
}
# What a generic name means when no country is written or named near it.
GENERIC_DEFAULTS: dict[str, str] = {
    "卢比": "INR", "盧比": "INR", "比索": "MXN", "披索": "MXN", "第纳尔": "KWD", "第納爾": "KWD",
    "镑": "GBP", "鎊": "GBP", "法郎": "CHF", "克朗": "SEK", "里亚尔": "SAR", "里亞爾": "SAR",
    "先令": "KES", "盾": "VND", "卢布": "RUB", "盧布": "RUB", "迪拉姆": "AED", "马纳特": "AZN",
    "馬納特": "AZN", "索姆": "UZS", "列伊": "RON", "克瓦查": "ZMW",
}
# Currency signs and Latin abbreviations written before (and some after) the number.
SYMBOLS: dict[str, str] = {
    "RMB": "CNY", "￥": "CNY", "¥": "CNY", "US$": "USD", "HK$": "HKD", "NT$": "TWD", "A$": "AUD",
    "AU$": "AUD", "S$": "SGD", "C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "R$": "BRL", "$": "USD",
    "€": "EUR", "£": "GBP", "₩": "KRW", "₹": "INR", "₽": "RUB", "฿": "THB", "₫": "VND",
    "₱": "PHP", "₺": "TRY",
}
# Hundredths written after a main unit (三美元又五十美分) or alone (五十美分).
SUBUNITS: dict[str, tuple[str, float]] = {
    "美分": ("USD", 0.01), "欧分": ("EUR", 0.01), "歐分": ("EUR", 0.01), "便士": ("GBP", 0.01),
    "港仙": ("HKD", 0.01),
}


@lru_cache(maxsize=1)
def _cldr() -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]]:
    """(currency → its Chinese names, currency → territories using it, territory → names)."""
    locales = [Locale.parse(name) for name in CLDR_LOCALES]
    territories: dict[str, set[str]] = {}
    used_in: dict[str, set[str]] = {}
    for territory in locales[0].territories:
        if not (len(territory) == 2 and territory.isalpha()):
            continue  # 001, 419: regions of the world
        territories[territory] = {locale.territories[territory] for locale in locales
                                  if territory in locale.territories}
        for code in get_territory_currencies(territory, tender=True):
            used_in.setdefault(code, set()).add(territory)
    for alias, territory in PLACE_ALIASES.items():
        territories.setdefault(territory, set()).add(alias)
    names = {
        code: {locale.currencies[code] for locale in locales if code in locale.currencies}
        for code in used_in
        if not code.startswith("X") or code in ("XAF", "XOF", "XPF", "XCD")  # not gold, SDRs
    }
    # Names with a qualifier in brackets (美元（次日）) are no words of running text.
    names = {code: {n for n in found if "（" not in n and "(" not in n} for code, found in names.items()}
    return names, used_in, territories


def _split_country(name: str, territories: dict[str, set[str]]) -> str | None:
    """The rest of a currency name after the longest country name it starts with."""
    places = [p for names in territories.values() for p in names if name.startswith(p) and len(p) < len(name)]
    return name[len(max(places, key=len)):] if places else None


@lru_cache(maxsize=1)
def currency_words() -> dict[str, str]:
    """Every written name of a currency → its ISO code: CLDR's names, the colloquial names,
    the short names, and each country name joined to a generic name (印尼盾, 沙特里亚尔)."""
    names, used_in, territories = _cldr()
    words: dict[str, str] = {}
    endings: dict[str, set[str]] = {}
    for code, found in names.items():
        for name in found:
            words[name] = code
            rest = _split_country(name, territories)
            if rest:
                endings.setdefault(rest, set()).add(code)
    for rest, codes in endings.items():
        # A short name: one currency ends in it, two to four characters, not a kind of dollar
        # (加勒比元 would be a wrong split of 东加勒比元).
        if len(codes) == 1 and 2 <= len(rest) <= 4 and rest[-1] not in "元币幣":
            words.setdefault(rest, next(iter(codes)))
    for generic in GENERIC_DEFAULTS:
        for code in generic_candidates(generic):
            for territory in used_in.get(code, ()):
                for place in territories.get(territory, ()):
                    words.setdefault(place + generic, code)
    words.update(COLLOQUIAL_NAMES)
    words["元"] = "CNY"
    for generic in GENERIC_DEFAULTS:
        words.pop(generic, None)  # read by resolve_generic in context
    return words


@lru_cache(maxsize=None)
def generic_candidates(generic: str) -> tuple[str, ...]:
    """The currencies whose CLDR names end in a generic name, and its default."""
    names, _, _ = _cldr()
    found = {code for code, written in names.items() if any(n.endswith(generic) for n in written)}
    return tuple(sorted(found | {GENERIC_DEFAULTS[generic]}))


def resolve_generic(generic: str, context: str) -> str:
    """The currency a bare generic name (比索, 卢比) means, from the countries named in
    ``context``: the one named last before the amount wins; else the default."""
    _, used_in, territories = _cldr()
    best: tuple[int, str] | None = None
    for code in generic_candidates(generic):
        for territory in used_in.get(code, ()):
            for place in territories.get(territory, ()):
                position = context.rfind(place)
                if position >= 0 and (best is None or position > best[0]):
                    best = (position, code)
    return best[1] if best else GENERIC_DEFAULTS[generic]


@lru_cache(maxsize=1)
def iso_codes() -> dict[str, str]:
    """ISO codes read as currency text (USD 5,000万, 300 EUR)."""
    names, _, _ = _cldr()
    return {code: code for code in names if code not in CODES_NOT_READ}


def alternation(words: list[str] | set[str] | dict[str, object]) -> str:
    """A regex alternation of literal words as a character trie, longest match first.

    A flat alternation of several hundred currency names is tried name by name at every
    position; the trie tries one character at a time, after one test of the first character.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    # A class of the first characters fails fast where no word starts (most places).
    first = "".join(sorted(re.escape(char) for char in trie if char))
    return f"(?:(?=[{first}]){build(trie)})"
