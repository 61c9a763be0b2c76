"""The scorecard as plain-text tables (``newsie eval``, ``newsie compare``, ``newsie agree``)."""
from __future__ import annotations

from typing import Any

from pipeline.evaluation.scoring import ACCURACIES, JSON_NAMES
from pipeline.text.spans import ALL_LABELS, CATEGORIES

SCHEME_NOTES = [
    "strict: same boundaries and label   ent_type: overlapping, same label (newsie's former \"partial\")",
    "exact: same boundaries, any label   partial: overlapping, any label, a boundary mismatch counts half",
    "(nervaluate / SemEval-2013 9.1 schemes; optional gold mentions set aside)",
]


def _ci(intervals: dict[str, list[float]] | None, path: str) -> str:
    if not intervals or path not in intervals:
        return ""
    low, high = intervals[path]
    return f" [{low:.4f}, {high:.4f}]"


def _row(name: str, figures: dict[str, Any], intervals: dict | None, path: str) -> str:
    return (f"{name:<8}{figures['precision']:>8.4f}{figures['recall']:>8.4f}{figures['f1']:>8.4f}"
            f"{_ci(intervals, path + '.f1'):<18}")


def format_summary(summary: dict[str, Any], ci: dict[str, Any] | None = None) -> str:
    """Per-label and averaged span figures, nervaluate's counts, and the accuracies; a 95%
    interval (or ``ci['level']``) after each F1 and accuracy when ``ci`` is given."""
    intervals = ci["intervals"] if ci else None
    schemes = summary["schemes"]
    lines = [f"documents: {summary['documents']}"
             + (f"  missing predictions: {len(summary['missing_predictions'])}" if summary["missing_predictions"] else "")
             + (f"  errors: {len(summary['errors'])}" if summary["errors"] else "")]
    if ci:
        lines.append(f"confidence intervals: {ci['level']:.0%}, percentile bootstrap over {ci['units']} "
                     f"{ci['unit']}s, {ci['resamples']} resamples, seed {ci['seed']}")
    lines += ["", *SCHEME_NOTES, ""]
    width = 42 if ci else 24  # P, R, F1 of 8 characters, and the interval
    lines.append(f"{'':<8}{'strict':<{width}}{'ent_type':<{width}}")
    lines.append(f"{'label':<8}" + f"{'P':>8}{'R':>8}{'F1':>8}{'':<{width - 24}}" * 2 + f"{'gold':>6}{'pred':>6}")
    labels = [key for key in schemes["strict"] if key not in ("micro", "macro")]
    for name in labels + ["micro", "macro"]:
        row = ""
        for scheme in ("strict", "ent_type"):
            cell = _row("", schemes[scheme][name], intervals, f"schemes.{scheme}.{name}")[8:]
            row += cell if ci else cell.rstrip()
        counts = schemes["strict"][name]
        tail = f"{counts['possible']:>6}{counts['actual']:>6}" if name != "macro" else ""
        lines.append(f"{name:<8}{row}{tail}")
    for scheme in ("exact", "partial"):
        figures = schemes[scheme][ALL_LABELS]
        lines.append(f"{scheme + ' (all labels)':<22}P {figures['precision']:.4f}  R {figures['recall']:.4f}  "
                     f"F1 {figures['f1']:.4f}{_ci(intervals, f'schemes.{scheme}.{ALL_LABELS}.f1')}")
    lines += ["", "nervaluate counts " + " ".join(f"{c[:3].upper():>5}" for c in CATEGORIES)]
    for scheme in ("strict", "ent_type", "exact", "partial"):
        for name, figures in schemes[scheme].items():
            if name != "macro":
                lines.append(f"  {scheme:<9}{name:<7}" + " ".join(f"{figures[c]:>5}" for c in CATEGORIES))
    lines.append("")
    for key, title in ACCURACIES.items():
        name = JSON_NAMES[key]
        accuracy = summary[name]
        if not accuracy["total"]:
            continue
        lines.append(f"{title:<38}{accuracy['accuracy']:>7.4f}  ({accuracy['correct']}/{accuracy['total']})"
                     f"{_ci(intervals, name + '.accuracy')}")
        if key == "linking":
            for label, by_label in summary["linking_accuracy_by_label"].items():
                lines.append(f"{'  linking ' + label:<38}{by_label['accuracy']:>7.4f}  "
                             f"({by_label['correct']}/{by_label['total']})"
                             f"{_ci(intervals, f'linking_accuracy_by_label.{label}.accuracy')}")
    value_f1 = summary["target_value_f1"]
    if value_f1["possible"] + value_f1["actual"]:
        lines.append(f"{'TARGET overlap+value F1':<38}{value_f1['f1']:>7.4f}  (P {value_f1['precision']:.4f} "
                     f"R {value_f1['recall']:.4f}){_ci(intervals, 'target_value_f1.f1')}")
    if summary["conflicts_predicted"] or summary["conflicts_found"]["total"]:
        lines.append(f"conflicts predicted: {summary['conflicts_predicted']}")
    return "\n".join(lines)


def format_comparison(test: dict[str, Any], names: tuple[str, str]) -> str:
    """Each figure of two systems, their difference and its p-value."""
    lines = [f"A: {names[0]}", f"B: {names[1]}",
             f"approximate randomization over {test['units']} {test['unit']}s, {test['shuffles']} shuffles, "
             f"seed {test['seed']}", "", f"{'figure':<44}{'A':>9}{'B':>9}{'A-B':>9}{'p':>8}"]
    for path, row in test["figures"].items():
        lines.append(f"{path:<44}{row['a']:>9.4f}{row['b']:>9.4f}{row['difference']:>+9.4f}{row['p']:>8.4f}")
    return "\n".join(lines)
