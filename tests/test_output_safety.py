"""-o never deletes or overwrites what newsie did not create, and is checked before any model
loads (issue 18). These runs fail before loading, so they take no model time."""
from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from pipeline.corpus.output import OutputError, OutputLock, check_output, is_newsie_output

ROW = {"id": "a", "text": "投资5亿元", "entities": [], "warnings": [], "error": None}


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "投资5亿元。"}, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _refused(capsys, argv: list[str], message: str) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_an_existing_folder_is_never_replaced(tmp_path, corpus, capsys):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine", encoding="utf-8")
    _refused(capsys, ["run", str(corpus), "-o", str(folder), "-q", "--overwrite"], "not a newsie dataset output")
    assert (folder / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_the_input_folder_is_never_the_output(tmp_path, capsys):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("投资5亿元。", encoding="utf-8")
    _refused(capsys, ["run", str(folder), "-o", str(folder), "-q"], "is the input")
    _refused(capsys, ["run", str(folder), "-o", str(folder / "out.jsonl"), "-q"], "inside the input folder")
    _refused(capsys, ["run", str(folder / "a.txt"), "-o", str(tmp_path), "-q"], "holds the input")
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]


def test_the_input_file_is_never_the_output(corpus, capsys):
    before = corpus.read_bytes()
    _refused(capsys, ["run", str(corpus), "-o", str(corpus), "-q", "--overwrite"], "is the input")
    assert corpus.read_bytes() == before


def test_a_jsonl_output_that_is_a_folder_is_refused_before_loading(tmp_path, corpus, capsys):
    (tmp_path / "out.jsonl").mkdir()
    _refused(capsys, ["run", str(corpus), "-o", str(tmp_path / "out.jsonl"), "-q"], "is a folder")
    assert not list(tmp_path.glob("*.parts")) and not list(tmp_path.glob("*.tmp"))


def test_a_file_that_newsie_did_not_write_is_not_replaced(tmp_path, corpus, capsys):
    mine = tmp_path / "notes.jsonl"
    mine.write_text('{"my": "notes"}\n', encoding="utf-8")
    _refused(capsys, ["run", str(corpus), "-o", str(mine), "-q", "--overwrite"], "not a newsie jsonl output")
    assert mine.read_text(encoding="utf-8") == '{"my": "notes"}\n'


def test_a_previous_output_is_replaced_only_with_overwrite(tmp_path, corpus):
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps(ROW) + "\n", encoding="utf-8")
    assert is_newsie_output(out, "jsonl")
    with pytest.raises(OutputError, match="--overwrite"):
        check_output(out, "jsonl", [corpus])
    check_output(out, "jsonl", [corpus], overwrite=True)


def test_a_parts_folder_that_is_not_newsie_s_is_not_deleted(tmp_path, corpus, capsys):
    parts = tmp_path / "out.jsonl.parts"
    parts.mkdir()
    (parts / "precious.txt").write_text("mine", encoding="utf-8")
    _refused(capsys, ["run", str(corpus), "-o", str(tmp_path / "out.jsonl"), "-q"], "not the parts folder")
    assert (parts / "precious.txt").exists()


def test_a_second_run_on_the_same_output_stops_at_once(tmp_path, corpus, capsys):
    out = tmp_path / "out.jsonl"
    with OutputLock(out) as lock:
        assert lock.path.exists()
        _refused(capsys, ["run", str(corpus), "-o", str(out), "-q"], "another newsie run is writing")
    assert not lock.path.exists()  # released and removed
    with OutputLock(out):  # free again
        pass


@pytest.mark.parametrize("option", ["--workers", "--batch-size", "--commit-every", "--max-piece-chars"])
@pytest.mark.parametrize("value", ["0", "-1"])
def test_counts_below_one_are_a_usage_error(corpus, tmp_path, capsys, option, value):
    _refused(capsys, ["run", str(corpus), "-o", str(tmp_path / "o.jsonl"), "-q", option, value],
             f"{option} {value}: give 1 or more")


def test_a_config_that_is_a_folder_is_a_usage_error(corpus, tmp_path, capsys):
    _refused(capsys, ["run", str(corpus), "-o", str(tmp_path / "o.jsonl"), "-c", str(tmp_path)], "is not a file")


def test_more_workers_than_cores_are_cut_to_the_cores_for_a_local_run(caplog):
    import os

    from pipeline.corpus.workers import checked_workers

    assert checked_workers(10_000, "local") == os.cpu_count()
    assert "using" in caplog.text
    assert checked_workers(10_000, "ray") == 10_000  # a cluster has its own cores


def test_a_run_that_fails_while_writing_exits_3_and_keeps_its_parts(nlp, tmp_path, corpus, monkeypatch, capsys):
    from pipeline.corpus import workers, writers

    monkeypatch.setattr(workers, "load_worker_pipeline", lambda config, overrides=None: nlp)

    def disk_full(self, provenance=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writers.PartWriter, "finish", disk_full)
    out = tmp_path / "out.jsonl"
    assert main(["run", str(corpus), "-o", str(out), "-q"]) == 3
    err = capsys.readouterr().err
    assert "the run failed" in err and "No space left on device" in err and "--resume" in err
    assert not out.exists() and (tmp_path / "out.jsonl.parts").is_dir()
    assert not (tmp_path / "out.jsonl.lock").exists()  # the lock is released all the same


def test_ctrl_c_is_a_message_and_exit_130_not_a_traceback(corpus, tmp_path, monkeypatch, capsys):
    from pipeline import cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run_command", interrupted)
    assert main(["run", str(corpus), "-o", str(tmp_path / "o.jsonl")]) == 130
    assert capsys.readouterr().err == "newsie: interrupted (run the same command with --resume to finish)\n"


@pytest.mark.parametrize("name, fmt", [("out.jsonl", "jsonl"), ("out.parquet", "parquet"), ("out_ds", "dataset")])
def test_what_newsie_writes_is_recognised_as_newsie_output_and_nothing_else(tmp_path, name, fmt):
    from pipeline.corpus.writers import PartWriter

    out = tmp_path / name
    writer = PartWriter(out, fmt, {"run": 1})
    writer.add(dict(ROW))
    writer.finish()
    assert is_newsie_output(out, fmt)
    other = {"jsonl": "dataset", "parquet": "jsonl", "dataset": "parquet"}[fmt]
    assert not is_newsie_output(out, other)
    (tmp_path / "other.bin").write_bytes(b"PAR1 not a table")
    assert not is_newsie_output(tmp_path / "other.bin", fmt)


def test_a_gold_file_is_not_taken_for_a_previous_output(tmp_path, corpus, capsys):
    from pipeline.settings import PROJECT_ROOT

    gold = tmp_path / "gold.jsonl"
    gold.write_bytes((PROJECT_ROOT / "annotations" / "gold.jsonl").read_bytes())
    before = gold.read_bytes()
    assert not is_newsie_output(gold, "jsonl")  # same row fields as an output, hand-made entities
    _refused(capsys, ["run", str(corpus), "-o", str(gold), "-q", "--overwrite"], "not a newsie jsonl output")
    assert gold.read_bytes() == before
