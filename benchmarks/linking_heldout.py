"""Linking accuracy on held-out cases per expected industry, for each setting of the linking
ablation (terms / context / context+model), with the misses.

    python benchmarks/linking_heldout.py [--config strategic_emerging] [--cases tests/cases/linking_national_heldout.tsv]

Figures: docs/linking.md, "How linking generalizes".
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.evaluation.linking import ABLATION, link_case, linker_for, read_linking_cases  # noqa: E402
from pipeline.language import load_pipeline  # noqa: E402
from pipeline.settings import PROJECT_ROOT  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-c", "--config", default="strategic_emerging", help="a config file or a bundled name")
    parser.add_argument("--cases", default=str(PROJECT_ROOT / "tests" / "cases" / "linking_national_heldout.tsv"))
    args = parser.parse_args()
    cases = read_linking_cases(args.cases)
    nlp = load_pipeline(args.config)
    clusters = list(dict.fromkeys(c for case in cases for c in case.clusters or ("-",)))
    print(f"{'industry':<36}" + "".join(f"{setting:>15}" for setting in ABLATION))
    right: dict[str, dict[str, int]] = {setting: defaultdict(int) for setting in ABLATION}
    misses = []
    for setting, overrides in ABLATION.items():
        linker = linker_for(args.config, overrides)
        for case in cases:
            predicted = link_case(nlp, linker, case)["clusters"]
            key = ",".join(case.clusters) or "-"
            if sorted(predicted) == sorted(case.clusters):
                right[setting][key] += 1
            elif setting == "context+model":
                misses.append(f"  miss: {case.mention} ({case.label}) expected {key} got {predicted or '[]'}")
    totals = defaultdict(int)
    for case in cases:
        totals[",".join(case.clusters) or "-"] += 1
    for key in clusters:
        print(f"{key:<36}" + "".join(f"{right[s][key]:>12}/{totals[key]:<2}" for s in ABLATION))
    print(f"{'all':<36}" + "".join(f"{sum(right[s].values()):>12}/{len(cases):<2}" for s in ABLATION))
    print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
