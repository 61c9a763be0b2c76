"""Print the linking ablation: accuracy per label on the gold mentions and the held-out cases.

    python benchmarks/linking_ablation.py [--gold annotations/gold.jsonl] [--config jinshan_four_clusters] [--json]
"""
from __future__ import annotations

import argparse
import json

from pipeline.corpus.readers import read_jsonl_rows
from pipeline.settings import PROJECT_ROOT, SEED_CONFIG
from pipeline.evaluation.linking import format_ablation, linking_ablation


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", default=str(PROJECT_ROOT / "annotations" / "gold.jsonl"))
    parser.add_argument("--config", default=str(SEED_CONFIG), help="the seed's: its gold and cases use its clusters")
    parser.add_argument("--json", action="store_true", help="print the full results, misses included")
    args = parser.parse_args()
    results = linking_ablation(list(read_jsonl_rows(args.gold)), args.config)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return 0
    print(format_ablation(results))
    for miss in results["context+model"]["cases"]["misses"]:
        print(f"  miss: {miss['mention']} expected {miss['expected']} got {miss['predicted']}  ({miss['sentence']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
