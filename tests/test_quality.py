"""The quality scorer, on a tiny corpus whose scores we can work out by hand,
and the bar the development corpus must meet."""
import os
from pathlib import Path

import pytest

from healthlint.quality import evaluate, format_table, main

DEV_CORPUS = Path(__file__).parent / "corpus"


def write_corpus(root: Path) -> None:
    (root / "corpus").mkdir()
    (root / "labels").mkdir()
    (root / "corpus" / "001-a.md").write_text(
        "# Sleep\n\nTake 500 mg of valerian every night. It is a miracle herb.\n", encoding="utf-8")
    (root / "labels" / "001-a.yaml").write_text(
        "source: team\nkind: marketing\nadvice: true\nconsult_present: false\nunits:\n"
        "  - text: Sleep\n    labels: []\n"
        "  - text: Take 500 mg of valerian every night.\n    labels: [dose]\n"
        "  - text: It is a miracle herb.\n    labels: [hype, safety]\n",
        encoding="utf-8")


def test_scores_a_small_corpus(tmp_path):
    write_corpus(tmp_path)
    report = evaluate(tmp_path)
    assert (report.scores["dose"].tp, report.scores["dose"].fp, report.scores["dose"].fn) == (1, 0, 0)
    assert (report.scores["hype"].tp, report.scores["hype"].fn) == (1, 0)
    assert report.scores["safety"].fn == 1  # labeled, not found
    assert report.consult.tp == 1 and report.consult_right == 1
    assert any("FN safety" in line for line in report.errors)
    table = format_table(report)
    assert "dose" in table and "consult right on 1/1 documents (100.0%)" in table


def test_a_missing_unit_text_is_reported(tmp_path, capsys):
    write_corpus(tmp_path)
    label = tmp_path / "labels" / "001-a.yaml"
    label.write_text(label.read_text(encoding="utf-8").replace("miracle herb", "wonder herb"), encoding="utf-8")
    assert main([str(tmp_path)]) == 2
    assert "unit 3 not found" in capsys.readouterr().err


@pytest.mark.skipif(not (DEV_CORPUS / "labels").is_dir(), reason="development corpus not present")
def test_development_corpus_meets_the_bar():
    report = evaluate(DEV_CORPUS, pattern=DEV_SET)
    assert report.documents >= 40
    low = {c: (round(s.precision, 3), round(s.recall, 3)) for c, s in report.scores.items()
           if s.precision < PRECISION_BAR.get(c, 0.90) or s.recall < RECALL_BAR.get(c, 0.85)}
    assert not low, format_table(report)
    assert report.consult_right / report.documents >= 0.95


# The bar: precision >= 0.90 and recall >= 0.85 in every category.
# The development set meets it everywhere now; a category that cannot gets a
# floor here at its measured value, so the gap stays visible.
PRECISION_BAR: dict[str, float] = {}
RECALL_BAR: dict[str, float] = {}
# Documents 001-045 are the development set; 046-089 and 110-169 were also
# tuned on; 090-109 is the blind set (scored, never tuned on).
DEV_SET = "0[0-3]*,04[0-5]*"
