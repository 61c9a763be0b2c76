"""`newsie package` builds zh_newsie (models and taxonomy inside) and newsie's wheel; installed
outside the checkout, `spacy.load("zh_newsie")` and `python -m spacy evaluate` work in a fresh
process that cannot import the checkout.

One test, the wheels built once (about a minute). The fresh environment: the two wheels
installed with `pip install --target` into a temporary folder that comes first on the path,
the project venv's third-party packages after it, `python -S` so that no .pth file runs (the
editable install of a checkout is such a file), and a temporary working directory.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from pipeline.evaluation.convert import convert
from pipeline.language import load_pipeline
from pipeline.settings import PROJECT_ROOT
from pipeline.stages.resources import load_resources, save_resources

GOLD = PROJECT_ROOT / "annotations" / "gold.jsonl"

TEXT = "新年伊始,总投资5亿元的上海石化8k大丝束碳纤维项目在金山区开工,助力中国制造。"
LOAD_SCRIPT = """
import json, spacy, pipeline
TEXT = %r
nlp = spacy.load("zh_newsie")
doc = nlp(TEXT)
print(json.dumps({"pipeline": pipeline.__file__, "components": nlp.pipe_names,
                  "spans": [[s.text, s.label_, s._.attrs.get("clusters")] for s in doc.spans["newsie"]]},
                 ensure_ascii=False))
""" % TEXT


def test_packaged_pipeline_loads_and_evaluates_without_the_checkout(tmp_path):
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    # Built from the working directory `work`: the command finds its bundled config by itself.
    subprocess.run([sys.executable, "-m", "pipeline", "package", str(wheels)], cwd=work, check=True, timeout=900,
                   env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    built = sorted(p.name for p in wheels.glob("*.whl"))
    assert [name.split("-")[0] for name in built] == ["newsie", "zh_newsie"]
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site),
                    *map(str, wheels.glob("*.whl"))], check=True, timeout=600)

    third_party = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
           "PYTHONPATH": os.pathsep.join([str(site), *sorted(third_party)])}

    def fresh(*args: str) -> str:
        result = subprocess.run([sys.executable, "-S", *args], cwd=work, env=env, capture_output=True, text=True,
                                timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    loaded = json.loads(fresh("-c", LOAD_SCRIPT).strip().splitlines()[-1])
    assert Path(loaded["pipeline"]).is_relative_to(site)  # the installed code, not the checkout
    assert loaded["components"][0] == "newsie_clean" and loaded["components"][-1] == "newsie_check"
    # the same mentions and clusters as the pipeline of the checkout's default config
    doc = load_pipeline()(TEXT)
    assert loaded["spans"] == [[s.text, s.label_, s._.attrs.get("clusters")] for s in doc.spans["newsie"]]
    assert ["上海石化", "ORG", ["new_material"]] in loaded["spans"]

    convert(GOLD, work / "gold.spacy")  # newsie convert: one token per character, optional mentions apart
    table = fresh("-m", "spacy", "evaluate", "zh_newsie", "gold.spacy", "--spans-key", "newsie")
    for row in ("NER P", "NER R", "NER F", "SPAN P", "SPAN R", "SPAN F"):
        line = next(line for line in table.splitlines() if line.strip().startswith(row))
        assert 50 < float(line.split()[-1]) <= 100, line  # the seed article: scores in percent


def test_a_stage_saves_its_files_and_reads_its_copies(tmp_path):
    source = tmp_path / "source"
    (source / "model").mkdir(parents=True)
    (source / "model" / "weights.bin").write_bytes(b"w")
    (source / "names.txt").write_text("上海石化\n", encoding="utf-8")
    saved = tmp_path / "saved"
    save_resources(saved, {"models": [str(source / "model"), "MSRA_NER_ELECTRA_SMALL_ZH"],
                           "names": str(source / "names.txt"), "user_dict": None})
    (source / "names.txt").unlink()  # the copies are read, not the originals
    loaded = load_resources(saved)
    assert loaded["models"] == [str(saved / "models" / "0_model"), "MSRA_NER_ELECTRA_SMALL_ZH"]
    assert (Path(loaded["models"][0]) / "weights.bin").read_bytes() == b"w"
    assert Path(loaded["names"]).read_text(encoding="utf-8") == "上海石化\n"
    assert loaded["user_dict"] is None
    with pytest.raises(FileNotFoundError, match="not a saved newsie stage"):
        load_resources(tmp_path / "source")
