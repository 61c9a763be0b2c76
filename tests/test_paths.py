"""Bundled configs by name, and a config's paths relative to its own folder, from any working
directory (docs/paths.md)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.settings import CONFIGS_DIR, PROJECT_ROOT, find_config, find_taxonomy, resolve_config_paths


@pytest.mark.parametrize("value", ["strategic_emerging", "strategic_emerging.cfg"])
def test_a_bundled_config_by_name(value, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_config(value) == CONFIGS_DIR / "strategic_emerging.cfg"
    assert find_taxonomy("jinshan_four_clusters") == CONFIGS_DIR / "taxonomies" / "jinshan_four_clusters.toml"


def test_a_file_comes_before_a_bundled_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "default.cfg").write_text("[nlp]\n", encoding="utf-8")
    assert find_config("default.cfg") == tmp_path / "default.cfg"
    assert find_config("default") == CONFIGS_DIR / "default.cfg"


def test_an_unknown_config_names_the_bundled_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=r"config not found: nosuch .*jinshan_four_clusters.*strategic_emerging"):
        find_config("nosuch")
    with pytest.raises(FileNotFoundError, match="config not found: sub/default"):
        find_config("sub/default")  # a path that is not there is not looked up by name


def test_config_paths_are_relative_to_the_config_and_overrides_to_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m").mkdir()
    config = {"components": {
        "link": {"factory": "newsie_link", "taxonomy": "taxonomies/x.toml", "model": None},
        "recognize": {"factory": "newsie_recognize", "org_model": ["../models/org_ner", "MSRA_NER_ELECTRA_SMALL_ZH", "m"],
                      "org_gazetteers": ["/abs/names.txt"]},
        "clean": {"factory": "newsie_clean", "taxonomy": "not/a/path/setting"},
    }}
    overrides = {"components.recognize.org_model": None}
    resolved = resolve_config_paths(config, CONFIGS_DIR, overrides)["components"]
    assert resolved["link"]["taxonomy"] == str(CONFIGS_DIR / "taxonomies" / "x.toml")
    assert resolved["link"]["model"] is None
    # the override's paths are the working directory's; a HanLP identifier stays one
    assert resolved["recognize"]["org_model"] == ["../models/org_ner", "MSRA_NER_ELECTRA_SMALL_ZH", str(tmp_path / "m")]
    assert resolved["recognize"]["org_gazetteers"] == ["/abs/names.txt"]
    assert resolved["clean"]["taxonomy"] == "not/a/path/setting"


def _newsie(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})


def test_run_and_train_from_another_folder_with_bundled_names(tmp_path):
    text = "西安比亚迪汽车有限公司新能源汽车基地二期投产,总投资80亿元,年产能增加40万辆。"
    (tmp_path / "x.jsonl").write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    run = _newsie("run", "x.jsonl", "-o", "y.jsonl", "-c", "strategic_emerging", "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    entities = json.loads((tmp_path / "y.jsonl").read_text(encoding="utf-8"))["entities"]
    assert {"80亿元": ["new_energy_vehicle"]}.items() <= {e["text"]: e["clusters"] for e in entities}.items()

    # the bundled training config finds its corpora (../../shared/corpora from configs/); --out is
    # the working directory's. A tiny model, one epoch on 40 sentences: paths, not accuracy.
    if not (PROJECT_ROOT.parent / "shared" / "corpora" / "msra" / "train.bio").is_file():
        pytest.skip("the shared corpora are not on this machine")
    train = _newsie("train", "ner", "--config", "ner", "--epochs", "1", "--set", "training.max_train_sentences=40",
                    "--set", "model.rnn_hidden=8", "--set", "model.embed=8", "--out", "tiny", cwd=tmp_path)
    assert train.returncode == 0, train.stderr[-3000:]
    assert (tmp_path / "tiny" / "model.pt").is_file()
