"""Industry taxonomies as data: clusters with names, aliases and evidence terms.

A taxonomy is a TOML file under ``configs/taxonomies/``; nothing about any industry is
written in code. Matching is longest-first and non-overlapping, so 制药设备 (equipment) is
not also counted as 制药 (life and health).

The same terms serve three purposes: evidence for the linker, weak labels for training the
learned context model (``pipeline.models.linker``), and the words that model masks out.
"""
from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, NamedTuple


@dataclass(frozen=True)
class Cluster:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    weak_terms: tuple[str, ...] = ()
    linked: bool = True
    # An official classification's sub-industries (2018 战略性新兴产业分类: 航空装备产业…),
    # strong terms as written and without a closing 产业 (航空装备); a catch-all (其他生物业)
    # names no industry of its own and is no term.
    sub_industries: tuple[str, ...] = ()

    @property
    def sub_industry_terms(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(form for name in self.sub_industries if not name.startswith("其他")
                                   for form in (name, name.removesuffix("产业")) if len(form) >= 2))


class TermMatch(NamedTuple):
    """A term occurrence (a named tuple: the linker makes one per term per region)."""
    start: int
    end: int
    cluster_id: str
    term: str
    weight: float


@dataclass
class Taxonomy:
    name: str
    clusters: list[Cluster]
    aggregate_terms: tuple[str, ...] = ()
    description: str = ""
    _weights: dict[str, tuple[str, float]] = field(init=False, repr=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._weights = {}
        # Weak terms first, so a word listed both ways keeps its strong weight.
        for cluster in self.clusters:
            for term in cluster.weak_terms:
                self._weights[term.lower()] = (cluster.id, 0.5)
        for cluster in self.clusters:
            for term in (cluster.name, *cluster.aliases, *cluster.terms, *cluster.sub_industry_terms):
                self._weights[term.lower()] = (cluster.id, 1.0)
        words = sorted(self._weights, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, words))) if words else None
        aggregates = sorted(self.aggregate_terms, key=len, reverse=True)
        self._aggregate = re.compile("|".join(map(re.escape, aggregates))) if aggregates else None

    @property
    def linked_ids(self) -> list[str]:
        return [c.id for c in self.clusters if c.linked]

    @property
    def terms(self) -> list[str]:
        """Every evidence word (names, aliases, terms, weak terms), lower-cased."""
        return list(self._weights)

    def matches(self, text: str) -> list[TermMatch]:
        """Every term occurrence in ``text`` with its offsets, longest first, non-overlapping."""
        # str.lower keeps offsets for the scripts news text uses (CJK, Latin letters, digits).
        return list(self.matches_between(text.lower(), 0, len(text)))

    def matches_between(self, lowered: str, start: int, end: int) -> Iterator[TermMatch]:
        """``matches(text[start:end])`` of a lower-cased ``lowered``, offsets into it, one at a time."""
        if self._pattern is None:
            return
        for match in self._pattern.finditer(lowered, start, end):
            cluster_id, weight = self._weights[match.group()]
            yield TermMatch(match.start(), match.end(), cluster_id, match.group(), weight)

    def evidence(self, text: str) -> list[tuple[str, str, float]]:
        """(cluster id, term, weight) for every term occurrence in ``text``, longest first."""
        return [(m.cluster_id, m.term, m.weight) for m in self.matches(text)]

    def strongly_named(self, text: str) -> set[str]:
        """Ids of the clusters whose strong terms (names, aliases, terms) ``text`` uses."""
        return {cluster_id for cluster_id, _, weight in self.evidence(text) if weight == 1.0}

    def weak_label(self, text: str) -> str | None:
        """The one cluster whose strong terms ``text`` uses; None when it uses none or several."""
        named = self.strongly_named(text)
        return named.pop() if len(named) == 1 else None

    def aggregate_phrase(self, text: str) -> str | None:
        """The words by which ``text`` speaks of the clusters as a whole (四大产业集群…), if any."""
        match = self._aggregate.search(text) if self._aggregate else None
        return match.group() if match else None

    def names_every_cluster(self, text: str) -> bool:
        """Whether ``text`` names every linked cluster (新材料、智能装备、新一代信息技术、生命健康…)."""
        return set(self.linked_ids) <= self.strongly_named(text)


class TermIndex:
    """The term matches of one text, found once, for the many regions of its mentions.

    ``matches_in(start, end)`` is ``taxonomy.matches(text[start:end])`` with offsets into the
    whole text. A region matched on its own differs from the whole text's matches only where
    one of those crosses the region's edge (the region could match a shorter term there), so
    such a region is matched on its own; every other one is read off the whole text's matches.
    """

    def __init__(self, taxonomy: Taxonomy, text: str) -> None:
        self.taxonomy, self.text = taxonomy, text
        self.lowered = text.lower()
        # A character whose lower case is longer (İ) would shift the whole text's offsets.
        self.whole = list(taxonomy.matches_between(self.lowered, 0, len(text))) \
            if len(self.lowered) == len(text) else None
        self.starts = [m.start for m in self.whole or ()]
        self.ends = [m.end for m in self.whole or ()]

    def _crossed(self, position: int) -> bool:
        before = bisect.bisect_left(self.starts, position) - 1
        return before >= 0 and self.ends[before] > position

    def matches_in(self, start: int, end: int) -> list[TermMatch]:
        if self.whole is None:
            return [m._replace(start=m.start + start, end=m.end + start)
                    for m in self.taxonomy.matches(self.text[start:end])]
        # Only the ends of a region that cut through a match are matched again, not the whole
        # region (a run-on text cut into blocks made that quadratic). From the start, the
        # region's own matches are read until one is also a match of the whole text: both
        # searches go on from its end alike, so the whole text's matches follow.
        found: list[TermMatch] = []
        resume = start
        if self._crossed(start):
            for match in self.taxonomy.matches_between(self.lowered, start, end):
                index = bisect.bisect_left(self.starts, match.start)
                if index < len(self.whole) and self.whole[index] == match:
                    resume = match.start
                    break
                found.append(match)
            else:
                return found
        last = bisect.bisect_right(self.ends, end)
        found += self.whole[bisect.bisect_left(self.starts, resume):last]
        if last < len(self.whole) and self.starts[last] < end:
            # The whole text's match across the region's end: the region alone may match
            # something shorter from where it starts.
            found += self.taxonomy.matches_between(self.lowered, self.starts[last], end)
        return found


def load_taxonomy(path: str | Path) -> Taxonomy:
    """Read a taxonomy TOML file; a missing or malformed file raises an error naming it."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"taxonomy file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        clusters = [
            Cluster(
                id=c["id"],
                name=c["name"],
                aliases=tuple(c.get("aliases", ())),
                terms=tuple(c.get("terms", ())),
                weak_terms=tuple(c.get("weak_terms", ())),
                linked=bool(c.get("linked", True)),
                sub_industries=tuple(c.get("sub_industries", ())),
            )
            for c in data["clusters"]
        ]
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as error:
        raise ValueError(f"malformed taxonomy file {path}: {error}") from error
    return Taxonomy(data.get("name", path.stem), clusters, tuple(data.get("aggregate_terms", ())),
                    data.get("description", ""))
