"""The motivating article (../shared/seed/): what a reviewer would flag in it.
Read from the shared folder, never copied into the project."""
from pathlib import Path

import pytest

from healthlint.document import read_document
from healthlint.engine import lint
from healthlint.packs import load_ruleset

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_cac51f2854f5ba8b.txt"

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="seed article not present")


@pytest.fixture(scope="module")
def findings():
    doc = read_document(str(SEED))
    rules = tuple(r for r in load_ruleset(("core",)).rules if r.spec.enabled)
    return doc, lint(doc, rules)


def covering(doc, findings, phrase, category):
    """Findings of `category` that overlap the first occurrence of `phrase`."""
    start = doc.source.index(phrase)
    end = start + len(phrase)
    return [f for f in findings if f.category == category and f.start < end and f.end > start]


@pytest.mark.parametrize(
    ("phrase", "category"),
    [
        ("lower doses (1-3 grams)", "dose"),
        ("typically ranging from 1 to 3 grams", "dose"),
        ("offers a natural alternative", "safety"),
        ("Its safe use during withdrawal", "safety"),
        ("Research suggests", "evidence"),
        ("without causing sedation or impairing cognitive functions", "safety"),
        ("the herbal solution to a peaceful night’s rest", "efficacy"),
        ("alternative or adjunctive therapy for those seeking to recover from opioid addiction", "efficacy"),
        ("kratom may help alleviate withdrawal symptoms", "efficacy"),
        ("adjust the kratom dose for sleep based on personal tolerance", "self-treatment"),
    ],
)
def test_seed_flags(findings, phrase, category):
    doc, found = findings
    assert covering(doc, found, phrase, category), f"{category} not reported on {phrase!r}"


def test_seed_has_a_consult_notice(findings):
    _, found = findings
    assert not [f for f in found if f.category == "consult"]


def test_seed_positions_point_at_the_text(findings):
    doc, found = findings
    for f in found:
        if not f.document_level:
            line_start = doc.lines.starts[f.line - 1]
            assert doc.source[line_start + f.column - 1:].startswith(f.match)
