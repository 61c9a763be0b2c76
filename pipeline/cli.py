"""Command line: ``newsie run``, ``newsie eval``, ``newsie compare``, ``newsie agree``, ``newsie convert``,
``newsie train ner``, ``newsie train linker``, ``newsie package``."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import deque
from contextlib import ExitStack
from dataclasses import replace
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

# Only light modules here: spaCy, torch and the models load where a command needs them, so
# that `newsie run --workers N` starts its workers first (pipeline/settings.py).
from pipeline.settings import (DEFAULT_CONFIG, DEFAULT_MAX_PIECE_CHARS, NER_TRAINING_CONFIG, SEED_CONFIG, find_config,
                               parse_overrides)

if TYPE_CHECKING:
    from pipeline.corpus.readers import InputDocument


class RunFailed(Exception):
    """The run stopped after it had started writing (exit 3): not a usage error."""


def run_command(args: argparse.Namespace) -> int:
    started = time.perf_counter()  # the summary's seconds: loading included, with any workers
    from pipeline.corpus.feedback import run_feedback
    from pipeline.corpus.provenance import utc_now
    from pipeline.corpus.readers import kept_column_names

    args.started_at = utc_now()
    args.keep_columns = kept_column_names(args.keep_columns)
    with run_feedback(args.quiet, args.log):
        return _run(args, started)


def _run(args: argparse.Namespace, started: float) -> int:
    from pipeline.corpus.output import OutputLock, check_output
    from pipeline.corpus.writers import output_format

    if not args.inputs and not args.dataset:
        raise ValueError("give input files, folders, - for standard input, or --dataset")
    # Checked before the output folder is touched, so a typo leaves nothing behind.
    args.config = str(find_config(args.config))  # a path, or a bundled config's name
    for path in [item for item in args.inputs if item != "-"]:
        if not Path(path).exists():
            raise FileNotFoundError(f"not found: {path}")
    if not Path(args.config).is_file():
        raise ValueError(f"-c {args.config} is not a file: give a pipeline config (.cfg)")
    from pipeline.corpus.workers import checked_workers

    args.workers = checked_workers(args.workers, args.engine)
    for option, value in (("--batch-size", args.batch_size), ("--commit-every", args.commit_every),
                          ("--max-piece-chars", args.max_piece_chars)):
        if value < 1:  # --max-piece-chars 0 cut a document into empty pieces forever
            raise ValueError(f"{option} {value}: give 1 or more")
    overrides = parse_overrides(args.set)
    # The output is checked and locked before any model loads: a bad -o costs no time.
    local_inputs = list(args.inputs) + ([args.dataset] if args.dataset and Path(args.dataset).exists() else [])
    check_output(args.output, output_format(args.output, args.format), local_inputs, args.overwrite)
    with ExitStack() as stack:
        stack.enter_context(OutputLock(args.output))
        # The pipeline is loaded (or the workers have loaded it) before the output is touched, so a
        # bad config, override or model path leaves nothing behind.
        if args.engine == "ray":
            from pipeline.corpus.ray_engine import ray_rows
            from pipeline.language import check_overrides

            check_overrides(args.config, overrides)

            def rows_of(documents: Iterable[InputDocument]) -> Iterator[dict]:
                return ray_rows(documents, args.config, args.workers, args.batch_size, args.max_piece_chars,
                                args.ray_address, overrides=overrides)
        elif args.workers > 1:
            from pipeline.corpus.workers import WorkerPool

            # The pipeline is loaded once and the workers forked from it (or, where the system
            # cannot fork, each worker loads it): a bad config is raised before the output is touched.
            pool = stack.enter_context(WorkerPool(args.config, args.workers, overrides))
            pool.wait_until_loaded()

            def rows_of(documents: Iterable[InputDocument]) -> Iterator[dict]:
                return pool.rows(documents, args.batch_size, args.max_piece_chars)
        else:
            from pipeline.corpus.workers import load_worker_pipeline
            from pipeline.corpus.runner import process_documents

            nlp = load_worker_pipeline(args.config, overrides)

            def rows_of(documents: Iterable[InputDocument]) -> Iterator[dict]:
                return process_documents(nlp, documents, args.batch_size, args.max_piece_chars)
        return _write_rows(args, overrides, rows_of, started)


def _write_rows(args: argparse.Namespace, overrides: dict,
                rows_of: Callable[[Iterable[InputDocument]], Iterator[dict]], started: float) -> int:
    from tqdm import tqdm

    from pipeline.corpus.feedback import LOGGER, DocumentCount
    from pipeline.corpus.provenance import run_provenance
    from pipeline.corpus.readers import Columns, read_dataset, read_documents
    from pipeline.corpus.writers import PartWriter, output_format, with_columns

    columns = Columns(id=args.id_column, text=args.text_column, keep=args.keep_columns)
    manifest = {
        "inputs": [item if item == "-" else str(Path(item).resolve()) for item in args.inputs],
        "dataset": args.dataset, "split": args.split, "columns": [columns.id, columns.text],
        "keep_columns": list(columns.keep), "config": str(Path(args.config).resolve()), "overrides": overrides,
        "max_piece_chars": args.max_piece_chars,
    }
    writer = PartWriter(args.output, output_format(args.output, args.format), manifest,
                        resume=args.resume, rows_per_part=args.commit_every)
    documents = read_documents(args.inputs, columns)
    if args.dataset:
        documents = chain(documents, read_dataset(args.dataset, args.split, columns))
    # The kept columns wait here for their rows (which come back in input order, one per
    # document) rather than travel to the workers and back.
    kept_columns: deque[dict] = deque()

    def without_columns(documents: Iterable[InputDocument]) -> Iterator[InputDocument]:
        for document in documents:
            kept_columns.append(columns.complete(document.columns))
            yield replace(document, columns={}) if document.columns else document

    count = DocumentCount(args.inputs, args.dataset, args.split)
    # A resumed run skips the documents that the committed parts already hold.
    rows = rows_of(without_columns(islice(documents, writer.resumed.documents, None)))
    first_row_seconds = None
    try:
        with tqdm(desc="newsie", unit="doc", disable=args.quiet, file=sys.stderr,
                  initial=writer.resumed.documents) as progress:
            for row in rows:
                if first_row_seconds is None:
                    first_row_seconds = time.perf_counter() - started
                row = writer.add(with_columns(row, kept_columns.popleft()))
                if row["error"]:
                    # Errors of unreadable rows already start with their location (their id).
                    located = row["error"] if row["error"].startswith(row["id"]) else f"{row['id']}: {row['error']}"
                    LOGGER.error(f"error: {located}")
                if progress.total is None and count.total is not None:
                    progress.total = count.total
                    progress.refresh()
                progress.update()
        total = writer.finish(run_provenance(args.config, overrides, manifest, args.started_at))
    except Exception as error:
        raise RunFailed(f"{type(error).__name__}: {error}; the committed parts are kept in {writer.parts}, "
                        "run again with --resume to finish") from error
    seconds = time.perf_counter() - started
    processed_chars = total.characters - writer.resumed.characters
    resumed = f" ({writer.resumed.documents} from an earlier run)" if writer.resumed.documents else ""
    first = f" (first row after {first_row_seconds:.1f} s)" if first_row_seconds is not None else ""
    LOGGER.info(f"{total.documents} documents{resumed}, {total.characters} characters, {total.errors} errors, "
                f"{seconds:.1f} s{first}, {processed_chars / seconds if seconds else 0:.0f} characters/s "
                f"-> {args.output}")
    if total.errors:
        LOGGER.error(f"{total.errors} of {total.documents} documents failed; their rows carry the error")
        return EXIT_SOME_FAILED
    return EXIT_OK


TAG_FORMATS = ("bio", "bioes", "tags")


def eval_command(args: argparse.Namespace) -> int:
    if args.linking_ablation and args.format in TAG_FORMATS:
        raise ValueError("--linking-ablation links the gold mentions of a JSONL gold file, not of a tag corpus")
    from pipeline.corpus.provenance import format_provenance, read_provenance

    card, gold_rows, pred_rows = _scorecard(args)
    report = card.as_dict()
    provenance = read_provenance(args.pred) if args.pred and args.format not in TAG_FORMATS else None
    if provenance:
        report["provenance"] = provenance
    ci = None
    if args.ci is not None:
        from pipeline.evaluation.bootstrap import confidence_intervals

        ci = confidence_intervals(card, args.ci, args.ci_unit, args.resamples, args.seed)
        report["confidence_intervals"] = ci
    documents = None
    if args.errors or args.report:
        from pipeline.evaluation.errors import corpus_errors

        documents = corpus_errors(gold_rows, pred_rows, card.labels)
        if args.errors:
            report["errors_by_document"] = [d for d in documents if d["errors"]]
    ablation = None
    if args.linking_ablation:
        from pipeline.evaluation.linking import linking_ablation

        ablation = linking_ablation(gold_rows, args.config)
        report["linking_ablation"] = ablation
    if args.report:
        from pipeline.evaluation.report import write_report

        write_report(args.report, f"newsie eval: {args.pred or args.gold}", gold_rows, pred_rows, report, ci, documents,
                     card.labels)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    from pipeline.evaluation.tables import format_summary

    print(format_summary(report, ci))
    if provenance:
        print("\npredictions made by\n" + format_provenance(provenance))
    if ablation is not None:
        from pipeline.evaluation.linking import format_ablation

        print("\nlinking ablation (gold mentions, then the held-out linking cases)")
        print(format_ablation(ablation))
    if args.errors:
        from pipeline.evaluation.errors import format_errors

        print("\nerrors\n" + format_errors(documents))
    if args.report:
        print(f"\nreport: {args.report}")
    return 0


def _scorecard(args: argparse.Namespace) -> tuple:
    """The scorecard of ``newsie eval``, with the gold and the predicted rows."""
    if args.format in TAG_FORMATS:
        from pipeline.evaluation.bio import score_bio

        labels = _labels(args.labels, ["ORG"])
        scheme = "auto" if args.format == "tags" else args.format
        return score_bio(args.gold, _bio_recognizer(args, labels), labels, scheme)
    from pipeline.evaluation.rows import read_rows
    from pipeline.evaluation.scoring import LABELS, score

    if not args.pred:
        raise ValueError("--pred is required with --format jsonl")
    gold_rows, pred_rows = read_rows(args.gold), read_rows(args.pred)
    if not gold_rows:
        raise ValueError(f"{args.gold}: no gold documents")
    unknown = [row["id"] for row in pred_rows if row["id"] not in {gold["id"] for gold in gold_rows}]
    if unknown:
        shown = ", ".join(map(repr, unknown[:5])) + (" …" if len(unknown) > 5 else "")
        print(f"newsie: warning: {len(unknown)} predicted documents have no gold row and are not scored: {shown}",
              file=sys.stderr)
    return score(gold_rows, pred_rows, _labels(args.labels, list(LABELS))), gold_rows, pred_rows


def _labels(option: str | None, default: list[str] | None) -> list[str] | None:
    return [label.strip() for label in option.split(",") if label.strip()] if option else default


def _bio_recognizer(args: argparse.Namespace, labels: list[str]):
    from pipeline.evaluation.bio import model_recognizer, pipeline_recognizer

    overrides = parse_overrides(args.set)
    if args.recognizer == "pipeline":
        return pipeline_recognizer(args.config, overrides)
    from pipeline.stages.recognize import configured_org_model, configured_org_style, model_source

    # default: the model (or ensemble) the pipeline config uses
    models = args.model or configured_org_model(args.config, overrides)
    if not models:
        raise ValueError(f"{args.config} sets no org_model: give --model")
    style = args.style or configured_org_style(args.config, overrides)
    return model_recognizer(model_source(models), labels, style)


def compare_command(args: argparse.Namespace) -> int:
    from pipeline.evaluation.compare import compare_systems, format_disagreements
    from pipeline.evaluation.rows import read_rows
    from pipeline.evaluation.tables import format_comparison

    result = compare_systems(read_rows(args.gold), read_rows(args.pred[0]), read_rows(args.pred[1]),
                             _labels(args.labels, None), args.unit, args.shuffles, args.seed)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(format_comparison(result["test"], tuple(args.pred)))
    print("\nmentions predicted by one system only\n" + format_disagreements(result["disagreements"], tuple(args.pred)))
    return 0


def agree_command(args: argparse.Namespace) -> int:
    from pipeline.evaluation.agreement import agreement, format_agreement
    from pipeline.evaluation.convert import read_annotations

    labels = tuple(label.strip() for label in args.labels.split(",")) if args.labels else None
    result = agreement(read_annotations(args.first), read_annotations(args.second), labels)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json
          else format_agreement(result, (Path(args.first).name, Path(args.second).name)))
    return 0


def convert_command(args: argparse.Namespace) -> int:
    from pipeline.evaluation.convert import convert

    documents, flattened = convert(args.source, args.target, args.source_format, args.target_format)
    print(f"{documents} documents -> {args.target}", file=sys.stderr)
    if flattened:
        print(f"{flattened} optional mentions written as ordinary ones: the format cannot mark them", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsie", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="extract entities from a corpus into JSONL, Parquet or a dataset")
    run.add_argument("inputs", nargs="*",
                     help=".txt files, folders of them, JSONL, CSV or Parquet files, - for standard input")
    run.add_argument("-o", "--output", required=True,
                     help="output: .jsonl, .parquet, or a folder for a saved datasets dataset")
    run.add_argument("--format", choices=["jsonl", "parquet", "dataset"], help="output format (default: from -o)")
    run.add_argument("--dataset", help="a dataset saved with save_to_disk, or a Hugging Face Hub name (online)")
    run.add_argument("--split", default="train", help="split of --dataset")
    run.add_argument("--text-column", default="text", help="text field of JSONL/CSV/Parquet/dataset rows")
    run.add_argument("--id-column", default="id", help="id field of JSONL/CSV/Parquet/dataset rows")
    run.add_argument("-c", "--config", default=str(DEFAULT_CONFIG),
                     help="pipeline config: a .cfg file, or a bundled config's name (strategic_emerging, "
                          "jinshan_four_clusters; docs/paths.md)")
    run.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                     help="override one config setting, e.g. components.newsie_recognize.org_precision=fp32 "
                          "(repeatable; values are JSON or plain strings)")
    run.add_argument("--batch-size", type=int, default=32)
    run.add_argument("--workers", type=int, default=1, help="processes (local) or actors (ray)")
    run.add_argument("--engine", choices=["local", "ray"], default="local")
    run.add_argument("--ray-address", help="address of a running Ray cluster (default: start a local one)")
    run.add_argument("--resume", action="store_true", help="finish an interrupted run with the same arguments")
    run.add_argument("--overwrite", action="store_true",
                     help="replace an existing -o that a previous newsie run wrote (nothing else is ever replaced)")
    run.add_argument("--commit-every", type=int, default=1000,
                     help="documents per committed part: at most this many are redone after a crash")
    run.add_argument("--max-piece-chars", type=int, default=DEFAULT_MAX_PIECE_CHARS,
                     help="longer documents are run in pieces of at most this many characters")
    run.add_argument("--keep-columns", metavar="NAMES",
                     help="input columns to carry into the output rows, comma-separated, or '*' for all")
    run.add_argument("-q", "--quiet", action="store_true", help="print errors only (no progress bar, no summary)")
    run.add_argument("--log", metavar="FILE", help="append the errors and the run summary to FILE")
    run.set_defaults(handler=run_command)

    evaluate = commands.add_parser("eval", help="score predictions against gold annotations")
    evaluate.add_argument("--gold", required=True, help="gold JSONL, or a BIO/BIOES file with --format bio/bioes/tags")
    evaluate.add_argument("--pred", help="predictions: the JSONL, Parquet file or saved dataset of newsie run")
    evaluate.add_argument("--json", action="store_true", help="machine-readable output")
    evaluate.add_argument("--format", choices=["jsonl", *TAG_FORMATS], default="jsonl",
                          help="bio, bioes, tags (either, detected): score the recognizer alone on a char<TAB>tag "
                               "corpus; a file that contradicts the declared scheme is an error")
    evaluate.add_argument("--labels", help="labels to score, comma-separated (default: ORG for a tag corpus, else "
                                           "ORG,PARK,MONEY,TARGET)")
    evaluate.add_argument("--errors", action="store_true",
                          help="list every missed, spurious, boundary-wrong and label-wrong mention and every wrong "
                               "value, frame field and cluster, per document")
    evaluate.add_argument("--report", metavar="HTML", help="write one self-contained HTML page: scores, gold and "
                                                           "predicted mentions side by side, errors")
    evaluate.add_argument("--ci", type=float, metavar="LEVEL",
                          help="bootstrap confidence intervals of every F1 and accuracy at this level, e.g. 0.95")
    evaluate.add_argument("--ci-unit", choices=["auto", "document", "sentence"], default="auto",
                          help="what --ci resamples (auto: documents, or sentences with fewer than 10 documents)")
    evaluate.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples for --ci")
    evaluate.add_argument("--seed", type=int, default=0, help="seed of the resampling")
    evaluate.add_argument("--recognizer", choices=["model", "pipeline"], default="model",
                          help="with --format bio: the statistical model alone, or the whole recognize stage")
    evaluate.add_argument("--model", nargs="+",
                          help="model save dir(s) for --recognizer model, several for an ensemble "
                               "(default: the config's org_model)")
    evaluate.add_argument("--style",
                          help="msra or cluener: the annotation style a model trained with the style feature follows, for "
                               "--recognizer model (default: the config's org_style)")
    evaluate.add_argument("-c", "--config", default=str(SEED_CONFIG),
                          help="pipeline config for --recognizer pipeline and --linking-ablation (default: the "
                               "seed article's, whose clusters the gold and the linking cases use)")
    evaluate.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                          help="override one setting of that config for --recognizer pipeline (repeatable)")
    evaluate.add_argument("--linking-ablation", action="store_true",
                          help="also link the gold mentions with terms only / with context / with the learned model")
    evaluate.set_defaults(handler=eval_command)

    compare = commands.add_parser("compare", help="two systems on one gold set: p-values and disagreements")
    compare.add_argument("--gold", required=True, help="gold JSONL")
    compare.add_argument("--pred", nargs=2, required=True, metavar=("A", "B"),
                         help="the two systems' predictions (JSONL, Parquet or saved dataset)")
    compare.add_argument("--labels", help="labels to score, comma-separated (default: ORG,PARK,MONEY,TARGET)")
    compare.add_argument("--unit", choices=["auto", "document", "sentence"], default="auto",
                         help="what is shuffled between the systems (auto: documents, or sentences below 10 documents)")
    compare.add_argument("--shuffles", type=int, default=1000, help="approximate-randomization shuffles")
    compare.add_argument("--seed", type=int, default=0)
    compare.add_argument("--json", action="store_true", help="machine-readable output")
    compare.set_defaults(handler=compare_command)

    agree = commands.add_parser("agree", help="inter-annotator agreement of two annotations of the same texts")
    agree.add_argument("first", help="annotator A (JSONL, or any format newsie convert reads)")
    agree.add_argument("second", help="annotator B")
    agree.add_argument("--labels", help="labels to compare, comma-separated (default: all that occur)")
    agree.add_argument("--json", action="store_true", help="machine-readable output")
    agree.set_defaults(handler=agree_command)

    convert = commands.add_parser("convert", help="annotations between newsie JSONL and BIO, BIOES, CoNLL, spaCy "
                                                  "DocBin, doccano and Label Studio")
    convert.add_argument("source", help="input file")
    convert.add_argument("target", help="output file")
    formats = "jsonl, bio, bioes, conll, docbin, doccano, labelstudio"
    convert.add_argument("--from", dest="source_format", metavar="FORMAT",
                         help=f"input format: {formats} (default: from the suffix: .jsonl, .bio, .bioes, .conll, "
                              ".spacy, .json; doccano JSONL is recognized by its keys)")
    convert.add_argument("--to", dest="target_format", metavar="FORMAT",
                         help=f"output format: {formats} (default: from the suffix)")
    convert.set_defaults(handler=convert_command)

    train = commands.add_parser("train", help="train a statistical component")
    train_commands = train.add_subparsers(dest="component", required=True)
    ner = train_commands.add_parser("ner", help="train the HanLP organization recognizer")
    ner.add_argument("--config", default=str(NER_TRAINING_CONFIG), help="training config (INI): a file or a bundled name (ner)")
    ner.add_argument("--msra-train", help="MSRA train.bio (overrides paths.msra_train)")
    ner.add_argument("--cluener-train", help="CLUENER train.json (overrides paths.cluener_train)")
    ner.add_argument("--out", help="output directory (overrides paths.out)")
    ner.add_argument("--epochs", type=int, help="override training.epochs")
    ner.add_argument("--threads", type=int, help="torch threads (default: training.threads)")
    ner.add_argument("--device", choices=["auto", "cpu"], default="cpu", help="cpu (default) or auto (first GPU if any)")
    ner.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                     help="override one config setting, e.g. training.seed=42 (repeatable)")
    ner.set_defaults(handler=train_ner_command)

    linker = train_commands.add_parser("linker", help="train the cluster-linking model of a taxonomy on weak labels")
    linker.add_argument("--taxonomy", required=True, help="a taxonomy .toml file, or a bundled one's name")
    linker.add_argument("--out", required=True, help="where to save the model (.npz)")
    linker.add_argument("--corpus", nargs="+",
                        help="unlabelled text: .bio (MSRA) or .json (CLUENER) files (default: the shared corpora)")
    linker.add_argument("--seed", type=int, default=0)
    linker.set_defaults(handler=train_linker_command)

    package = commands.add_parser("package", help="build the pipeline as an installable spaCy package (zh_newsie)")
    package.add_argument("output", help="folder for the wheels: zh_newsie's (models and taxonomy inside) and newsie's")
    package.add_argument("-c", "--config", default=str(DEFAULT_CONFIG), help="pipeline config: a file or a bundled name")
    package.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                         help="override one config setting (repeatable)")
    package.add_argument("--name", default="newsie", help="package name after the language prefix (zh_NAME)")
    package.set_defaults(handler=package_command)
    return parser


def package_command(args: argparse.Namespace) -> int:
    from pipeline.packaging import build_package

    for wheel in build_package(args.output, args.config, parse_overrides(args.set), name=args.name):
        print(f"{wheel} ({wheel.stat().st_size / 2**20:.1f} MiB)")
    return 0


def train_ner_command(args: argparse.Namespace) -> int:
    from pipeline.training.ner import run_train

    return run_train(args)


def train_linker_command(args: argparse.Namespace) -> int:
    from pipeline.training.linker import run_train

    return run_train(args)


# Exit codes (docs/robustness.md); argparse itself exits 2 on a bad command line.
EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_RUN_FAILED, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def main(argv: list[str] | None = None) -> int:
    """Run one command: 0 all fine, 1 some documents failed (their rows carry the error),
    2 bad usage or configuration (nothing written), 3 the run itself failed, 130 interrupted."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        resume = " (run the same command with --resume to finish)" if args.command == "run" else ""
        print(f"newsie: interrupted{resume}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except RunFailed as error:
        print(f"newsie: error: the run failed: {error}", file=sys.stderr)
        return EXIT_RUN_FAILED
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, ValueError) as error:
        print(f"newsie: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # a bug or the machine: said in one line, the traceback on request
        if os.environ.get("NEWSIE_TRACEBACK"):
            raise
        print(f"newsie: error: {type(error).__name__}: {error} (set NEWSIE_TRACEBACK=1 for the traceback)",
              file=sys.stderr)
        return EXIT_RUN_FAILED


if __name__ == "__main__":
    sys.exit(main())
