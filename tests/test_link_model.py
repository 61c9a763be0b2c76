from pathlib import Path

import numpy as np
import pytest

from pipeline.settings import PROJECT_ROOT
from pipeline.models.linker import NONE_LABEL, PLACEHOLDER, LinkModel, load_link_model
from pipeline.training.linker import TermMasker, build_model, weak_examples
from pipeline.evaluation.linking import ABLATION, format_ablation, linking_ablation, read_linking_cases, link_case, \
    linker_for
from pipeline.grammar.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def nlp(seed_nlp):
    """This module's tests are about the seed article: its pipeline, its four clusters."""
    return seed_nlp

TAXONOMY = PROJECT_ROOT / "configs" / "taxonomies" / "jinshan_four_clusters.toml"
SHIPPED = PROJECT_ROOT / "models" / "linker_jinshan_four_clusters.npz"
CONFIG = PROJECT_ROOT / "configs" / "jinshan_four_clusters.cfg"
GOLD = PROJECT_ROOT / "annotations" / "gold.jsonl"

# A few unlabelled sentences: the taxonomy's terms label them.
SENTENCES = [
    "这家企业生产集成电路,产品供应手机厂商。", "新建的芯片工厂明年投产,产品供应手机厂商。",
    "医院引进新的诊断设备,方便患者就医。", "新药进入临床试验阶段,患者有望受益。",
    "工业机器人生产基地落成,订单排到明年。", "数控机床企业扩产,订单排到明年。",
    "球队昨晚在主场以二比一获胜。", "这部电影讲述了一个家庭的故事。",
]


def test_masker_hides_terms_and_keeps_the_rest():
    masker = TermMasker(("芯片", "集成电路")).fit(SENTENCES)
    assert masker.transform(["新建的芯片工厂"]) == [f"新建的{PLACEHOLDER}工厂"]
    assert masker.transform(["OLED面板"]) == ["OLED面板"]


def test_weak_examples_label_by_terms_and_sample_none():
    taxonomy = load_taxonomy(TAXONOMY)
    texts, labels = weak_examples(SENTENCES, taxonomy, seed=0)
    assert dict(zip(texts, labels))["新药进入临床试验阶段,患者有望受益。"] == "life_health"
    assert labels.count(NONE_LABEL) == 2
    assert weak_examples(SENTENCES, taxonomy, seed=0) == (texts, labels)


def test_tiny_model_learns_from_context_not_terms():
    taxonomy = load_taxonomy(TAXONOMY)
    texts, labels = weak_examples(SENTENCES, taxonomy, seed=0)
    model = build_model(taxonomy, seed=0)
    model.set_params(features__min_df=1)
    model.fit(texts, labels)
    assert set(model.classes_) == set(labels)
    # No term in it: only the context words learnt from the masked training sentences.
    assert model.predict(["产品供应手机厂商"])[0] == "information"
    assert model.predict_proba(["订单排到明年"]).shape == (1, len(model.classes_))


def test_shipped_model_loads_for_its_taxonomy_only():
    taxonomy = load_taxonomy(TAXONOMY)
    model = load_link_model(SHIPPED, taxonomy)
    assert set(model.classes_) >= {*taxonomy.linked_ids, NONE_LABEL}
    other = load_taxonomy(PROJECT_ROOT / "configs" / "taxonomies" / "strategic_emerging_industries.toml")
    with pytest.raises(ValueError, match="jinshan_four_clusters"):
        load_link_model(SHIPPED, other)
    with pytest.raises(FileNotFoundError):
        load_link_model(Path("models/none.npz"), taxonomy)


# Texts that exercise what LinkModel must compute as scikit-learn does: masked terms, runs of
# whitespace, upper case, n-grams the vocabulary lacks, no n-gram at all, one character.
PARITY_TEXTS = SENTENCES + ["", "  ", "x", "OLED面板  和\t\tAMOLED芯片", "集成电路集成电路集成电路", "☃☃☃",
                            "生物医药产业园区建设 新药 临床试验"]


@pytest.mark.parametrize("classes", [2, 3])
def test_link_model_computes_what_the_sklearn_pipeline_does(tmp_path, classes):
    taxonomy = load_taxonomy(TAXONOMY)
    texts, labels = weak_examples(SENTENCES * 3, taxonomy, seed=0)
    kept = sorted(set(labels))[:classes]  # two classes: the logistic, not the softmax
    texts, labels = zip(*[(t, l) for t, l in zip(texts, labels) if l in kept])
    pipeline = build_model(taxonomy, seed=0).set_params(features__min_df=1).fit(list(texts), list(labels))
    LinkModel.from_pipeline(pipeline, {"taxonomy": taxonomy.name}).save(tmp_path / "m.npz")
    model = LinkModel.load(tmp_path / "m.npz")
    assert list(model.classes_) == list(pipeline.classes_)
    np.testing.assert_allclose(model.predict_proba(PARITY_TEXTS), pipeline.predict_proba(PARITY_TEXTS),
                               rtol=0, atol=1e-12)


def test_a_file_that_is_no_link_model_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ValueError, match="bad.npz"):
        load_link_model(bad, load_taxonomy(TAXONOMY))


CASES = read_linking_cases()
# Cases the linker gets wrong today (docs/linking.md says why); strict, so a fix shows up.
KNOWN_MISSES = {
    "园区内的企业主要生产注射用重组蛋白和单抗,总投资7亿元。",
    "宁波杭州湾新区引进芳纶和聚酰亚胺薄膜项目,总投资26亿元。",
    "淄博的特种陶瓷和气凝胶企业加快扩产,新增产能投资9亿元。",
    "年产5万吨超高分子量聚乙烯纤维项目投资11亿元。",
    "和瑞制药机械有限公司为疫苗企业提供无菌灌装生产线。",
    "东方化工机械股份有限公司生产反应釜和压力容器。",
}


@pytest.fixture(scope="module")
def default_linker():
    return linker_for(CONFIG, {})


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(strict=True)) if c.sentence in KNOWN_MISSES else c for c in CASES
], ids=[c.mention for c in CASES])
def test_held_out_case(nlp, default_linker, case):
    assert sorted(link_case(nlp, default_linker, case)["clusters"]) == sorted(case.clusters)


def test_held_out_set_is_large_enough():
    assert len(CASES) >= 30


def test_ablation_reports_every_setting_and_label():
    from pipeline.corpus.readers import read_jsonl_rows

    results = linking_ablation(read_jsonl_rows(GOLD), CONFIG, cases=CASES[:3])
    assert list(results) == list(ABLATION)
    configured = results["context+model"]
    assert configured["gold"]["overall"]["accuracy"] >= 0.95
    assert set(configured["gold"]["by_label"]) == {"ORG", "PARK", "MONEY", "TARGET"}
    assert configured["cases"]["overall"]["total"] == 3
    assert "context+model" in format_ablation(results)
