"""spaCy's own multiprocessing, nlp.pipe(n_process=2), gives the one-process result.

Run in a child process with a time limit: it used to hang forever in torch (pipeline/models/org/tagger.py)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from pipeline.settings import PROJECT_ROOT

from conftest import SEED_PATH

SCRIPT = """
import json, sys
from pipeline.language import load_pipeline

texts = json.loads(sys.stdin.read())
nlp = load_pipeline()

def result(docs):
    return [[[s.start_char, s.end_char, s.label_, s._.attrs] for s in doc.spans["newsie"]] + [doc._.warnings]
            for doc in docs]

one = result(nlp.pipe(texts))
two = result(nlp.pipe(texts, n_process=2, batch_size=4))
print(json.dumps({"one": one, "two": two}, ensure_ascii=False))
"""


def test_pipe_with_two_processes_equals_one_process():
    paragraphs = [line for line in SEED_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [paragraphs[i % len(paragraphs)] for i in range(50)]
    # its own process group: on a time-out the spaCy workers are ended with it, not orphaned
    child = subprocess.Popen([sys.executable, "-c", SCRIPT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT, start_new_session=True,
                             env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    try:
        out, err = child.communicate(json.dumps(texts, ensure_ascii=False), timeout=600)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise AssertionError("nlp.pipe(n_process=2) did not finish in 10 minutes")
    assert child.returncode == 0, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert len(result["two"]) == 50 and any(doc[:-1] for doc in result["one"])
    assert result["two"] == result["one"]
