"""``newsie eval --errors --report``: the error lists, and the HTML page rendered in a real
headless Chromium (a screenshot in tests/artifacts/)."""
from __future__ import annotations

import copy
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.corpus.readers import read_jsonl_rows
from pipeline.evaluation.errors import document_errors

from conftest import GOLD_PATH

ARTIFACTS = Path(__file__).parent / "artifacts"


def ent(start, end, label, **attrs):
    return {"start": start, "end": end, "label": label, **attrs}


TEXT = "上海石化在金山区开工,总投资5亿元,目标增长20%。"
# (gold entities, predicted entities, expected error kinds)
CASES = [
    ([ent(0, 4, "ORG")], [ent(0, 4, "ORG")], []),
    ([ent(0, 4, "ORG")], [], ["missed"]),
    ([], [ent(5, 8, "PARK")], ["spurious"]),
    ([ent(0, 4, "ORG")], [ent(0, 2, "ORG")], ["boundary"]),
    ([ent(0, 4, "ORG")], [ent(0, 4, "PARK")], ["label"]),
    ([ent(14, 17, "MONEY", value=5e8)], [ent(14, 17, "MONEY", value=5e7)], ["value"]),
    ([ent(18, 24, "TARGET", value=20.0, unit="%", metric="增长")],
     [ent(18, 24, "TARGET", value=20.0, unit="%", metric="目标增长")], ["frame"]),
    ([ent(0, 4, "ORG", clusters=["a"])], [ent(0, 4, "ORG", clusters=["b"])], ["cluster"]),
    ([ent(0, 4, "ORG", optional=True)], [ent(0, 4, "ORG")], []),
]


@pytest.mark.parametrize("gold, pred, kinds", CASES)
def test_document_errors(gold, pred, kinds):
    errors = document_errors({"id": "d", "text": TEXT, "entities": gold}, {"id": "d", "entities": pred})
    assert [e["kind"] for e in errors] == kinds
    for error in errors:
        assert "【" in error["context"]


@pytest.fixture(scope="module")
def flawed_predictions(tmp_path_factory):
    """The seed gold with one mention missed, one cut short, one relabelled and a value wrong."""
    [row] = read_jsonl_rows(GOLD_PATH)
    row = copy.deepcopy(row)
    entities = [e for e in row["entities"] if not e.get("optional")]
    orgs = [e for e in entities if e["label"] == "ORG"]
    money = next(e for e in entities if e["label"] == "MONEY")
    entities.remove(orgs[0])
    orgs[1]["end"] -= 1
    orgs[2]["label"] = "PARK"
    money["value"] = 1.0
    row["entities"] = entities
    path = tmp_path_factory.mktemp("pred") / "pred.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_eval_lists_the_errors(flawed_predictions, capsys):
    assert main(["eval", "--gold", str(GOLD_PATH), "--pred", str(flawed_predictions), "--errors", "--json"]) == 0
    [document] = json.loads(capsys.readouterr().out)["errors_by_document"]
    kinds = [e["kind"] for e in document["errors"]]
    assert {"missed", "boundary", "label", "value"} <= set(kinds), kinds


def _png_size_and_colours(path: Path) -> tuple[int, int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = b"", 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks += data[offset + 8:offset + 8 + length]
        offset += 12 + length
    return width, height, len(set(zlib.decompress(chunks)))


def test_report_renders_in_headless_chromium(flawed_predictions, tmp_path, capsys):
    report = tmp_path / "report.html"
    assert main(["eval", "--gold", str(GOLD_PATH), "--pred", str(flawed_predictions), "--ci", "0.95",
                 "--report", str(report)]) == 0
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|\bsrc=|\bhref=|@import|url\(", html)  # self-contained: nothing fetched
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium; `make test` installs it)")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1800"]
    dom = subprocess.run(flags + ["--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120).stdout
    # the browser built the page: the score table, both sides of the document, the errors
    for text in ("ent_type F1", "predicted", "boundary", "missed", 'class="spans"'):
        assert text in dom, text
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    subprocess.run(flags + [f"--screenshot={screenshot}", report.as_uri()], capture_output=True, timeout=120)
    width, height, colours = _png_size_and_colours(screenshot)
    assert (width, height) == (1400, 1800)
    assert colours > 50  # not a blank page
