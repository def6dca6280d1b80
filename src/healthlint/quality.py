"""Score healthlint against a labeled corpus (format: CATEGORIES.md).

    healthlint-quality CORPUS [--packs core,...] [--errors] [--json]

CORPUS holds the documents in `corpus/` (or `docs/`) and one label file per
document in `labels/` with the same stem. Scoring is per prose unit and
category: a unit is predicted to carry a category when a finding of that
category starts inside it. A finding outside every labeled unit counts as a
false positive. `consult` is scored per document.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

UNIT_CATEGORIES = ("dose", "safety", "efficacy", "evidence", "hype", "self-treatment")
DOC_SUFFIXES = (".md", ".markdown", ".mdx", ".html", ".htm", ".txt")


@dataclass
class LabeledUnit:
    text: str
    labels: frozenset[str]
    start: int
    end: int


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=lambda: {c: Score() for c in UNIT_CATEGORIES})
    consult: Score = field(default_factory=Score)
    consult_right: int = 0
    documents: int = 0
    errors: list[str] = field(default_factory=list)


def _load_labels(path: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise ValueError(f"{path}: not a label file (no 'units' list)")
    return data


def locate_units(source: str, units: Sequence[dict[str, Any]], path: Path) -> list[LabeledUnit]:
    """Find each unit's text in order (plain string search, as the format says)."""
    out, pos = [], 0
    for i, unit in enumerate(units):
        text = str(unit.get("text", ""))
        at = source.find(text, pos)
        if at < 0:
            raise ValueError(f"{path}: unit {i + 1} not found after offset {pos}: {text[:60]!r}")
        out.append(LabeledUnit(text, frozenset(unit.get("labels") or ()), at, at + len(text)))
        pos = at + len(text)
    return out


def assign(units: Sequence[LabeledUnit], offset: int, source: str) -> int | None:
    """The unit a finding starting at `offset` belongs to: the unit containing
    it, or the one just before it on the same line (labels may quote a
    shortened sentence)."""
    candidate = None
    for i, unit in enumerate(units):
        if unit.start > offset:
            break
        candidate = i
    if candidate is None:
        return None
    unit = units[candidate]
    if offset < unit.end or "\n" not in source[unit.end:offset]:
        return candidate
    return None


def _predicted(findings: Iterable[Any], units: Sequence[LabeledUnit], source: str,
               report: Report, name: str) -> tuple[list[set[str]], bool]:
    predicted: list[set[str]] = [set() for _ in units]
    consult = False
    for f in findings:
        if f.category == "consult":
            consult = True
            continue
        if f.category not in UNIT_CATEGORIES:
            continue
        index = assign(units, f.start, source)
        if index is None:
            report.scores[f.category].fp += 1
            report.errors.append(f"{name}:{f.line}:{f.column}: FP {f.category} outside any unit: {f.match[:60]!r} ({f.code})")
        else:
            predicted[index].add(f.category)
    return predicted, consult


def score_document(doc_path: Path, label_path: Path, rules: Any, report: Report) -> None:
    from .document import read_document
    from .engine import lint

    labels = _load_labels(label_path)
    doc = read_document(str(doc_path))
    units = locate_units(doc.source, labels["units"], label_path)
    predicted, consult = _predicted(lint(doc, rules), units, doc.source, report, doc_path.name)
    for unit, got in zip(units, predicted):
        line = doc.lines.position(unit.start)[0]
        for cat in UNIT_CATEGORIES:
            want, have = cat in unit.labels, cat in got
            if want and have:
                report.scores[cat].tp += 1
            elif have:
                report.scores[cat].fp += 1
                report.errors.append(f"{doc_path.name}:{line}: FP {cat}: {unit.text[:100]!r}")
            elif want:
                report.scores[cat].fn += 1
                report.errors.append(f"{doc_path.name}:{line}: FN {cat}: {unit.text[:100]!r}")
    expected = bool(labels.get("advice")) and not bool(labels.get("consult_present"))
    report.documents += 1
    report.consult_right += expected == consult
    if expected and consult:
        report.consult.tp += 1
    elif consult:
        report.consult.fp += 1
        report.errors.append(f"{doc_path.name}: FP consult (document has a notice or gives no advice)")
    elif expected:
        report.consult.fn += 1
        report.errors.append(f"{doc_path.name}: FN consult (advice without a notice)")


def corpus_pairs(root: Path, pattern: str = "*") -> list[tuple[Path, Path]]:
    docs_dir = next((root / d for d in ("corpus", "docs") if (root / d).is_dir()), root)
    labels_dir = root / "labels"
    pairs = []
    docs = sorted({d for glob in pattern.split(",") for d in docs_dir.glob(glob.strip())})
    for doc in docs:
        if doc.suffix.lower() in DOC_SUFFIXES:
            label = labels_dir / (doc.stem + ".yaml")
            if label.is_file():
                pairs.append((doc, label))
    return pairs


def evaluate(root: Path, packs: Sequence[str] = ("core",), pattern: str = "*") -> Report:
    from .packs import load_ruleset

    ruleset = load_ruleset(tuple(packs))
    rules = tuple(r for r in ruleset.rules if r.spec.enabled)
    report = Report()
    for doc, label in corpus_pairs(root, pattern):
        score_document(doc, label, rules, report)
    return report


def format_table(report: Report) -> str:
    lines = [f"{'category':<15} {'TP':>4} {'FP':>4} {'FN':>4} {'prec':>6} {'recall':>6} {'F1':>6}"]
    for cat, s in report.scores.items():
        lines.append(f"{cat:<15} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}")
    c = report.consult
    lines.append(f"{'consult (doc)':<15} {c.tp:>4} {c.fp:>4} {c.fn:>4} {c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>6.3f}")
    accuracy = report.consult_right / report.documents if report.documents else 1.0
    lines.append(f"consult right on {report.consult_right}/{report.documents} documents ({accuracy:.1%})")
    return "\n".join(lines)


def as_json(report: Report) -> dict[str, Any]:
    cats = {c: {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": s.precision, "recall": s.recall, "f1": s.f1}
            for c, s in report.scores.items()}
    return {"categories": cats, "consult": {"right": report.consult_right, "documents": report.documents,
                                            "tp": report.consult.tp, "fp": report.consult.fp,
                                            "fn": report.consult.fn},
            "errors": report.errors}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="healthlint-quality", description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="folder with corpus/ (or docs/) and labels/")
    parser.add_argument("--packs", default="core", help="comma-separated packs (default: core)")
    parser.add_argument("--errors", action="store_true", help="list every unit scored wrong")
    parser.add_argument("--category", help="with --errors: only this category")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--files", default="*", help="only documents whose name matches one of these comma-separated globs")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"healthlint-quality: {args.corpus}: not a folder", file=sys.stderr)
        return 2
    try:
        report = evaluate(args.corpus, [p for p in args.packs.split(",") if p], args.files)
    except (ValueError, OSError) as exc:
        print(f"healthlint-quality: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(as_json(report), indent=2))
        return 0
    if args.errors:
        for line in report.errors:
            if not args.category or f" {args.category}" in line:
                print(line)
        print()
    print(format_table(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
