import random
from pathlib import Path

import pytest

from pipeline.settings import PROJECT_ROOT
from pipeline.stages.recognize import entity_spans
from pipeline.text.sentences import CLAUSE_END, ClauseIndex
from pipeline.grammar.taxonomy import TermIndex, load_taxonomy


@pytest.fixture(scope="module")
def nlp(seed_nlp):
    """This module's tests are about the seed article: its pipeline, its four clusters."""
    return seed_nlp

TAXONOMY = PROJECT_ROOT / "configs" / "taxonomies" / "jinshan_four_clusters.toml"


def clusters_of(nlp, text, surface):
    doc = nlp(text)
    spans = [s for s in entity_spans(doc) if s.text == surface]
    assert spans, [s.text for s in entity_spans(doc)]
    return spans[0]._.attrs["clusters"]


def test_taxonomy_loads_with_four_linked_clusters():
    taxonomy = load_taxonomy(TAXONOMY)
    assert taxonomy.linked_ids == ["new_material", "life_health", "information", "equipment"]
    assert "green_chemical" not in taxonomy.linked_ids


def test_longest_term_wins():
    taxonomy = load_taxonomy(TAXONOMY)
    assert [c for c, _, _ in taxonomy.evidence("制药设备")] == ["equipment"]


def test_missing_taxonomy_names_the_file(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="nope.toml"):
        load_taxonomy(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("clusters = [{name = 'x'}]", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.toml"):
        load_taxonomy(bad)


# Sentences in the vocabulary of other articles: no word of the seed article decides them.
CONTEXT_CASES = [
    ("苏州工业园区新增集成电路项目,总投资12亿元。", "12亿元", ["information"]),
    ("该企业主营抗体药物和血液制品,去年获得融资3亿元。", "3亿元", ["life_health"]),
    ("石墨烯和玻璃纤维项目总投资8亿元。", "8亿元", ["new_material"]),
    ("工业机器人和数控机床生产基地总投资20亿元。", "20亿元", ["equipment"]),
    ("全区四大产业集群产值力争达到2000亿元。", "2000亿元", ["new_material", "life_health", "information", "equipment"]),
]


@pytest.mark.parametrize("text,surface,expected", CONTEXT_CASES)
def test_link_by_context(nlp, text, surface, expected):
    assert clusters_of(nlp, text, surface) == expected


def test_paragraph_opening_carries_its_cluster(nlp):
    text = "新一代信息技术产业发展迅速。该区引进一批龙头企业,其中一家企业追加投资5亿元。"
    assert clusters_of(nlp, text, "5亿元") == ["information"]


def test_short_and_full_names_share_canonical_and_clusters(nlp):
    text = ("上海莱士血液制品股份有限公司是血液制品龙头。\n"
            "莱士还在金山建设新工厂,总投资10亿元。")
    doc = nlp(text)
    orgs = [s for s in entity_spans(doc) if s.label_ == "ORG"]
    assert {s.text for s in orgs} >= {"上海莱士血液制品股份有限公司"}
    canonical = {s._.attrs["canonical"] for s in orgs}
    assert canonical == {"上海莱士血液制品股份有限公司"}
    assert all(s._.attrs["clusters"] == ["life_health"] for s in orgs)


def test_every_link_carries_confidence_evidence_and_sentence(nlp):
    text = "区财政收入完成85亿元。\n石墨烯导热膜项目在园区开工,总投资18亿元。"
    doc = nlp(text)
    money = {s.text: s._.attrs for s in entity_spans(doc) if s.label_ == "MONEY"}
    linked = money["18亿元"]
    assert linked["clusters"] == ["new_material"]
    assert 0 < linked["link_confidence"] <= 1
    assert "石墨烯" in linked["link_evidence"]
    start, end = linked["link_sentence"]
    assert "石墨烯" in text[start:end]
    assert money["85亿元"]["clusters"] == []


def test_misleading_name_follows_the_article(nlp):
    # A 材料 company in a chip paragraph is filed under information technology.
    text = "集成电路产业加快集聚。\n蓝晶材料科技有限公司为晶圆厂提供芯片封装基板,总投资9亿元。"
    assert clusters_of(nlp, text, "蓝晶材料科技有限公司") == ["information"]


def test_unlinked_cluster_gives_no_clusters(nlp):
    assert clusters_of(nlp, "精细化工和石油化工项目总投资8亿元。", "8亿元") == []


STRATEGIC_CONFIG = PROJECT_ROOT / "configs" / "strategic_emerging.cfg"


def test_taxonomy_is_selectable_per_run():
    from pipeline.language import load_pipeline

    strategic = load_pipeline(STRATEGIC_CONFIG)
    taxonomy = strategic.get_pipe("newsie_link").taxonomy
    assert len(taxonomy.linked_ids) == 9
    assert clusters_of(strategic, "动力电池和驱动电机项目总投资30亿元。", "30亿元") == ["new_energy_vehicle"]
    assert clusters_of(strategic, "污水处理和固废资源化项目总投资6亿元。", "6亿元") == ["energy_conservation_environmental"]


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "configs" / "taxonomies").glob("*.toml")))
def test_taxonomies_hold_no_names_from_the_seed_article(path):
    taxonomy = load_taxonomy(path)
    seed_names = {"上海石化", "奥来德", "和辉", "青赛", "百特", "东富龙", "普睿玛", "汉钟", "碳谷绿湾", "金山"}
    assert not [t for t in taxonomy.terms if any(name.lower() in t for name in seed_names)]


def _random_texts(alphabet: str, count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(count)]


def test_term_index_equals_matching_each_region_alone():
    taxonomy = load_taxonomy(TAXONOMY)
    # Characters of overlapping terms (生物/生物医药/医药, 新材料/材料), so regions cut through terms.
    alphabet = "生物医药新材料智能装备制造芯片集成电路，。的和İ"
    for text in _random_texts(alphabet, 300):
        index = TermIndex(taxonomy, text)
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 1, 3):
                alone = [m._replace(start=m.start + start, end=m.end + start)
                         for m in taxonomy.matches(text[start:end])]
                assert index.matches_in(start, end) == alone, (text, start, end)


def _clause_bounds_by_scanning(text: str, start: int, end: int) -> tuple[int, int]:
    left = [m.end() for m in CLAUSE_END.finditer(text, max(0, start - 200), start)]
    right = CLAUSE_END.search(text, end)
    return (left[-1] if left else max(0, start - 200)), min(right.start() if right else len(text), end + 200)


def test_clause_index_equals_scanning_the_text():
    texts = _random_texts("甲乙，。;：\n", 200) + ["甲" * 450 + "，" + "乙" * 30, "乙" * 30 + "，" + "甲" * 450]
    for text in texts:
        clauses = ClauseIndex(text)
        for start in range(len(text) + 1):
            for end in (start, min(len(text), start + 2)):
                assert clauses.bounds(start, end) == _clause_bounds_by_scanning(text, start, end)
