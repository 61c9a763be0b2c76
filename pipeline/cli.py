"""Command line: ``newsie run``, ``newsie eval``, ``newsie train ner``."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from pipeline.language import DEFAULT_CONFIG


def run_command(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from pipeline.corpus_io import read_documents, write_jsonl_row
    from pipeline.language import load_pipeline
    from pipeline.runner import process_documents

    nlp = load_pipeline(args.config)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    documents = failed = characters = 0
    started = time.perf_counter()
    with output.open("w", encoding="utf-8") as handle:
        rows = process_documents(nlp, read_documents(args.inputs), batch_size=args.batch_size)
        for row in tqdm(rows, desc="newsie", unit="doc", disable=args.quiet, file=sys.stderr):
            write_jsonl_row(handle, row)
            documents += 1
            characters += len(row["text"] or "")
            if row["error"]:
                failed += 1
                print(f"error: {row['id']}: {row['error']}", file=sys.stderr)
    seconds = time.perf_counter() - started
    print(f"{documents} documents, {characters} characters, {failed} failed, {seconds:.1f} s "
          f"({characters / seconds if seconds else 0:.0f} chars/s) -> {output}", file=sys.stderr)
    if failed:
        print(f"{failed} of {documents} documents failed; their rows carry the error", file=sys.stderr)
        return 1
    return 0


def eval_command(args: argparse.Namespace) -> int:
    if args.format == "bio":
        return eval_bio_command(args)
    from pipeline.corpus_io import read_jsonl_rows
    from pipeline.scoring import format_scorecard, score

    if not args.pred:
        raise ValueError("--pred is required with --format jsonl")
    card = score(read_jsonl_rows(args.gold), read_jsonl_rows(args.pred))
    if args.json:
        print(json.dumps(card.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_scorecard(card))
    return 0


def eval_bio_command(args: argparse.Namespace) -> int:
    from pipeline.bio_eval import model_recognizer, pipeline_recognizer, score_bio
    from pipeline.language import resolve_path

    labels = [label.strip() for label in args.labels.split(",")]
    if args.recognizer == "model":
        recognize = model_recognizer(resolve_path(args.model), labels)
    else:
        recognize = pipeline_recognizer(args.config)
    counts = score_bio(args.gold, recognize, labels)
    if args.json:
        print(json.dumps({label: c.as_dict() for label, c in counts.items()}, indent=2))
    else:
        for label, c in counts.items():
            print(f"{label}: P {c.precision:.4f}  R {c.recall:.4f}  F1 {c.f1:.4f}  "
                  f"(gold {c.tp + c.fn}, predicted {c.tp + c.fp})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsie", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="extract entities from documents into JSONL")
    run.add_argument("inputs", nargs="+", help=".txt files, folders of them, or JSONL files with id/text")
    run.add_argument("-o", "--output", required=True, help="output JSONL path")
    run.add_argument("-c", "--config", default=str(DEFAULT_CONFIG), help="pipeline config (.cfg)")
    run.add_argument("--batch-size", type=int, default=32)
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    run.set_defaults(handler=run_command)

    evaluate = commands.add_parser("eval", help="score predictions against gold annotations")
    evaluate.add_argument("--gold", required=True, help="gold JSONL, or a BIO file with --format bio")
    evaluate.add_argument("--pred", help="predicted JSONL (output of newsie run)")
    evaluate.add_argument("--json", action="store_true", help="machine-readable output")
    evaluate.add_argument("--format", choices=["jsonl", "bio"], default="jsonl",
                          help="bio: score the recognizer alone on a char<TAB>tag corpus")
    evaluate.add_argument("--labels", default="ORG", help="labels to score with --format bio, comma-separated")
    evaluate.add_argument("--recognizer", choices=["model", "pipeline"], default="model",
                          help="with --format bio: the statistical model alone, or the whole recognize stage")
    evaluate.add_argument("--model", default="models/org_ner", help="model for --recognizer model")
    evaluate.add_argument("-c", "--config", default=str(DEFAULT_CONFIG), help="pipeline config for --recognizer pipeline")
    evaluate.set_defaults(handler=eval_command)

    train = commands.add_parser("train", help="train a statistical component")
    train_commands = train.add_subparsers(dest="component", required=True)
    ner = train_commands.add_parser("ner", help="train the HanLP organization recognizer")
    try:
        from pipeline.org_model import add_train_arguments, run_train
    except ImportError:  # the model module is optional until its issue lands
        ner.set_defaults(handler=lambda _: print("pipeline.org_model is not available", file=sys.stderr) or 2)
    else:
        add_train_arguments(ner)
        ner.set_defaults(handler=run_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (FileNotFoundError, ValueError) as error:
        print(f"newsie: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
