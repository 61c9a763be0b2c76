"""Inputs that a hostile but fair user tried (issue 18): none may crash a document or a run."""
from __future__ import annotations

import json

import pytest

from pipeline.corpus.readers import InputDocument
from pipeline.corpus.runner import process_documents


def _row(nlp, text: str) -> dict:
    return next(process_documents(nlp, [InputDocument("doc", text)]))


@pytest.mark.parametrize("text, amount", [
    ("注册资本1亿元有限公司", "1亿元"),
    ("投资5亿元集团有限公司", "5亿元"),
    ("公司市值4657.84亿元）控股子公司", "4657.84亿元"),
    ("5元限公司", "5元"),
])
def test_an_amount_overlapping_a_name_wins_and_the_document_is_kept(nlp, text, amount):
    # spaCy refused overlapping ORG and MONEY entities (E1010): the whole document was an error row.
    row = _row(nlp, text)
    assert row["error"] is None
    money = [e["text"] for e in row["entities"] if e["label"] == "MONEY"]
    assert money == [amount]
    names = [e for e in row["entities"] if e["label"] in ("ORG", "PARK")]
    start = text.index(amount)
    assert all(e["end"] <= start or e["start"] >= start + len(amount) for e in names)


def test_a_lone_surrogate_is_an_error_row_of_its_own_and_the_run_goes_on(tmp_path, capsys):
    from pipeline.cli import main
    from pipeline.corpus.readers import read_jsonl_rows

    path = tmp_path / "in.jsonl"
    path.write_text('{"id": "a", "text": "\\ud800 投资5亿元"}\n{"id": "b\\udc00", "text": "投资3亿元。"}\n'
                    '{"id": "c", "text": "投资4亿元。"}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(path), "-o", str(out), "--quiet"]) == 1
    rows = read_jsonl_rows(out)
    assert [r["id"] for r in rows] == ["a", "b\\udc00", "c"]
    assert rows[0]["text"] is None and "lone surrogate (U+D800) at character 0" in rows[0]["error"]
    assert [r["error"] for r in rows[1:]] == [None, None]
    assert rows[2]["entities"][0]["value"] == 4e8


def test_a_row_that_cannot_be_written_becomes_an_error_row():
    from pipeline.corpus.writers import writable

    row = {"id": "x\ud800", "text": "5亿元", "entities": [{"value": float("inf")}], "warnings": [], "error": None}
    written, line = writable(row)
    assert written["id"] == "x\\ud800" and written["text"] == "5亿元" and written["entities"] == []
    assert "cannot be written" in written["error"]
    assert json.loads(line) == written


def test_a_number_beyond_a_float_is_a_null_value_not_infinity(nlp):
    row = _row(nlp, "投资" + "9" * 320 + "亿元。")
    money = [e for e in row["entities"] if e["label"] == "MONEY"]
    assert money and money[0]["value"] is None
    json.dumps(row, allow_nan=False)  # strict JSON


def test_a_byte_order_mark_before_the_first_jsonl_row_is_no_part_of_it(tmp_path):
    import io

    from pipeline.corpus.readers import read_documents, read_jsonl_rows

    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + '{"id": "a", "text": "投资5亿元"}\n'.encode("utf-8"))
    assert [(d.id, d.error) for d in read_documents([path])] == [("a", None)]
    assert read_jsonl_rows(path) == [{"id": "a", "text": "投资5亿元"}]
    stdin = io.BytesIO(path.read_bytes())
    assert [(d.id, d.error) for d in read_documents(["-"], stdin=stdin)] == [("a", None)]


def test_a_runaway_document_becomes_an_error_row_at_the_time_budget(nlp, monkeypatch):
    from pipeline.corpus import runner

    assert runner.time_budget(nlp) == 30  # configs/default.cfg [newsie] piece_seconds
    recognizer = nlp.get_pipe("newsie_recognize")
    original = recognizer.find_mentions

    def stall_on_poison(text, *args, **kwargs):
        while "POISON" in text:  # a stall that only the budget can end
            pass
        return original(text, *args, **kwargs)

    monkeypatch.setattr(recognizer, "find_mentions", stall_on_poison)
    monkeypatch.setattr(runner, "time_budget", lambda nlp: 1.0)  # ample for the others, even on a busy machine
    docs = [InputDocument("a", "总投资5亿元。"), InputDocument("b", "POISON 5亿元"), InputDocument("c", "投资3亿元。")]
    rows = list(process_documents(nlp, docs, batch_size=8))
    assert [r["error"] is None for r in rows] == [True, False, True]
    assert "time budget" in rows[1]["error"]
    assert rows[2]["entities"][0]["text"] == "3亿元"


@pytest.mark.parametrize("start_method, config", [
    ("spawn", "'missing.cfg'"),  # the workers start, fail to load and wait for tasks, as loaded ones do
    ("fork", "str(DEFAULT_CONFIG)"),  # the pipeline loaded here, the workers forked from it
])
def test_workers_end_when_the_main_process_is_killed(tmp_path, start_method, config):
    import os
    import signal
    import subprocess
    import sys
    import time

    # A main process with a pool of two workers, killed with SIGKILL, which no cleanup can catch.
    script = ("import sys, time\n"
              "from pipeline.corpus.workers import WorkerPool\n"
              "from pipeline.settings import DEFAULT_CONFIG\n"
              f"pool = WorkerPool({config}, 2, start_method={start_method!r})\n"
              "for load in pool._loads:\n"
              "    load.exception()\n"
              "print(' '.join(map(str, pool._executor._processes)), flush=True)\n"
              "time.sleep(600)\n")
    main = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    workers = [int(pid) for pid in main.stdout.readline().split()]
    assert len(workers) == 2
    main.send_signal(signal.SIGKILL)
    main.wait()

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        # a zombie (ended, not yet reaped by init) counts as ended
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"

    try:
        for _ in range(300):  # the workers look for their parent once a second
            if not any(alive(pid) for pid in workers):
                break
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers)
    finally:  # never leave them behind, even when the test fails
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_word_cutting_keeps_lone_surrogates_in_place():
    from pipeline.text.wordcut import JiebaCut

    text = "\ud800投资5亿元\udfff有限公司"  # jieba-rs refused the whole text
    words = JiebaCut().cut(text)
    assert "".join(words) == text and "\ud800" in words and "投资" in words
