from pathlib import Path

import pytest

from pipeline.language import PROJECT_ROOT
from pipeline.recognize import entity_spans
from pipeline.taxonomy import load_taxonomy

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
