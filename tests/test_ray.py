"""newsie run --engine ray on a local Ray instance with two actors: the local run's output."""
from pipeline.cli import main
from pipeline.corpus.readers import read_jsonl_rows
from pipeline.corpus.runner import process_documents

from test_batch import write_corpus


def test_ray_engine_writes_the_same_rows_as_a_local_run(nlp, tmp_path):
    corpus = tmp_path / "in.jsonl"
    documents = write_corpus(corpus, 8)
    out = tmp_path / "out.jsonl"
    assert main(["run", str(corpus), "-o", str(out), "-q", "--engine", "ray", "--workers", "2",
                 "--batch-size", "2"]) == 0
    assert read_jsonl_rows(out) == list(process_documents(nlp, documents))
