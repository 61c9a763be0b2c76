"""A run killed with SIGKILL leaves no corrupt rows, and --resume completes it exactly."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from pipeline.cli import main
from pipeline.corpus.readers import read_jsonl_rows
from pipeline.settings import PROJECT_ROOT
from pipeline.corpus.runner import process_documents
from pipeline.corpus.writers import PartWriter

from test_batch import write_corpus


def part_files(parts):
    return sorted(p for p in parts.glob("part-*") if not p.name.endswith(".tmp")) if parts.exists() else []


def test_killed_run_resumes_to_the_uninterrupted_output(nlp, tmp_path):
    corpus = tmp_path / "in.jsonl"
    documents = write_corpus(corpus, 120)
    out = tmp_path / "out.jsonl"
    parts = tmp_path / "out.jsonl.parts"
    command = [sys.executable, "-m", "pipeline", "run", str(corpus), "-o", str(out), "-q", "--commit-every", "3",
               "--batch-size", "2"]
    run = subprocess.Popen(command, cwd=PROJECT_ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(part_files(parts)) < 3 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert not out.exists(), "the run finished before it could be killed"
    committed = part_files(parts)
    assert committed
    for part in committed:  # every committed row is whole
        for line in part.read_text(encoding="utf-8").splitlines():
            json.loads(line)
    assert main(["run", str(corpus), "-o", str(out), "-q", "--commit-every", "3", "--resume"]) == 0
    assert read_jsonl_rows(out) == list(process_documents(nlp, documents))
    assert not parts.exists()


def rows(count, start=0):
    return [{"id": f"d{i}", "text": "文本", "entities": [], "warnings": [], "error": None} for i in range(start, start + count)]


def test_resume_skips_committed_parts_and_ignores_a_half_written_one(tmp_path):
    out = tmp_path / "out.jsonl"
    writer = PartWriter(out, "jsonl", {"inputs": ["a"]}, rows_per_part=2)
    for row in rows(5):
        writer.add(row)  # two parts committed, one row still buffered when the run dies
    (tmp_path / "out.jsonl.parts" / "part-000000000004-n2-e0-c4.jsonl.tmp").write_text('{"id": "d4", "te')
    resumed = PartWriter(out, "jsonl", {"inputs": ["a"]}, resume=True, rows_per_part=2)
    assert resumed.resumed.documents == 4
    for row in rows(2, start=4):
        resumed.add(row)
    assert resumed.finish().documents == 6
    assert [r["id"] for r in read_jsonl_rows(out)] == [f"d{i}" for i in range(6)]


def test_resume_refuses_a_run_with_other_inputs(tmp_path):
    out = tmp_path / "out.jsonl"
    writer = PartWriter(out, "jsonl", {"inputs": ["a"]}, rows_per_part=1)
    writer.add(rows(1)[0])
    with pytest.raises(ValueError, match="cannot resume"):
        PartWriter(out, "jsonl", {"inputs": ["b"]}, resume=True)


def test_a_fresh_run_discards_an_unfinished_one(tmp_path):
    out = tmp_path / "out.parquet"
    writer = PartWriter(out, "parquet", {"inputs": ["a"]}, rows_per_part=1)
    writer.add(rows(1)[0])
    fresh = PartWriter(out, "parquet", {"inputs": ["a"]})
    assert fresh.resumed.documents == 0 and fresh.finish().documents == 0
    assert out.exists() and not (tmp_path / "out.parquet.parts").exists()
