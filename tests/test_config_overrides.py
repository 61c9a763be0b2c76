"""``--set section.key=value``: config overrides for newsie run / eval."""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from pipeline.language import check_overrides
from pipeline.settings import DEFAULT_CONFIG, parse_overrides


@pytest.mark.parametrize("item, expected", [
    ("components.newsie_recognize.org_precision=fp32", {"components.newsie_recognize.org_precision": "fp32"}),
    ("components.newsie_recognize.org_model=null", {"components.newsie_recognize.org_model": None}),
    ("components.newsie_recognize.use_org_rules=false", {"components.newsie_recognize.use_org_rules": False}),
    ("components.newsie_link.weights.model=0", {"components.newsie_link.weights.model": 0}),
    ("nlp.batch_size=64", {"nlp.batch_size": 64}),
    # paths need no quotes; a quoted value is a string too
    ("components.newsie_link.taxonomy=configs/x.toml", {"components.newsie_link.taxonomy": "configs/x.toml"}),
    ('components.newsie_link.taxonomy="a=b.toml"', {"components.newsie_link.taxonomy": "a=b.toml"}),
])
def test_parse_overrides(item, expected):
    assert parse_overrides([item]) == expected


@pytest.mark.parametrize("item", ["org_precision=fp32", "components.newsie_recognize.org_precision",
                                  "=1", "components..x y=1"])
def test_parse_overrides_rejects_malformed_items(item):
    with pytest.raises(ValueError, match="section.key=value"):
        parse_overrides([item])


@pytest.mark.parametrize("overrides, message", [
    ({"components.newsie_recognize.no_such_setting": 1}, "has no setting 'no_such_setting'"),
    ({"components.no_such_component.x": 1}, "not a section value"),
])
def test_check_overrides_names_the_bad_key(overrides, message):
    with pytest.raises(ValueError, match=message):
        check_overrides(DEFAULT_CONFIG, overrides)


def test_check_overrides_accepts_known_settings():
    check_overrides(DEFAULT_CONFIG, {"components.newsie_recognize.org_precision": "fp32", "nlp.batch_size": 8})


def test_run_with_overrides_links_to_another_taxonomy(tmp_path):
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "华虹半导体有限公司在上海投资建设集成电路生产线。"},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = main(["run", str(corpus), "-o", str(out), "-q",
                 "--set", "components.newsie_recognize.org_model=null",
                 "--set", "components.newsie_link.taxonomy=configs/taxonomies/strategic_emerging_industries.toml",
                 "--set", "components.newsie_link.model=null"])
    assert code == 0
    row = json.loads(out.read_text(encoding="utf-8"))
    org = next(e for e in row["entities"] if e["label"] == "ORG")
    assert org["clusters"] == ["next_generation_it"]  # an id of the strategic taxonomy only


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("setting, message", [
    ("components.newsie_link.no_such_setting=1", "has no setting 'no_such_setting'"),
    ("components.newsie_recognize.org_model=models/no_such_model", "ORG model not found"),
    ('components.newsie_recognize.use_org_rules="maybe"', "'maybe' is not"),
])
def test_run_with_a_bad_override_touches_no_output(tmp_path, capsys, workers, setting, message):
    """With workers the check is theirs (the main process never loads the models); the error
    reaches the user all the same, before the output is touched."""
    corpus = tmp_path / "in.jsonl"
    corpus.write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    code = main(["run", str(corpus), "-o", str(tmp_path / "out.jsonl"), "-q", "--workers", str(workers),
                 "--set", setting])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not any(p.name.startswith("out.jsonl") for p in tmp_path.iterdir())
