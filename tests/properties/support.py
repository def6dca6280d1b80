"""What the property tests share: the example budget, the built-in rules,
and the invariants every lint result must satisfy.

The default budget keeps the whole suite quick. Longer runs:

    HEALTHLINT_FUZZ_EXAMPLES=2000 pytest tests/properties     # every property, 2000 examples each
    python fuzz/fuzz_documents.py --seconds 600               # the parser and engine, for a fixed time
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterable, Sequence

from hypothesis import HealthCheck, settings

from healthlint.document.model import Document
from healthlint.document.sourcemap import LineIndex
from healthlint.findings import Finding
from healthlint.runner import Options, Plan, build_plan, lint_document, parse

from .strategies import EXTENSIONS

FUZZ_EXAMPLES = int(os.environ.get("HEALTHLINT_FUZZ_EXAMPLES") or 0)


def budget(examples: int) -> settings:
    """`examples` per test by default, $HEALTHLINT_FUZZ_EXAMPLES when set."""
    return settings(max_examples=FUZZ_EXAMPLES or examples, deadline=None, derandomize=not FUZZ_EXAMPLES,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])


@lru_cache(maxsize=1)
def default_plan() -> Plan:
    """The built-in packs as a project with no config file runs them."""
    from healthlint.config import default_config

    return build_plan(default_config(), Options())


def lint(source: str, syntax: str, plan: Plan | None = None) -> tuple[Document, list[Finding]]:
    doc = parse(source, "doc" + EXTENSIONS[syntax])
    return doc, lint_document(doc, plan or default_plan())


def check_document(doc: Document) -> None:
    """The document model's mapping: verbatim chunks copy their source, every
    unit lies inside the source, in order."""
    n = len(doc.source)
    for region in doc.regions:
        for c in region.chunks:
            assert 0 <= c.src_start and c.src_start + c.src_len <= n, (region, c)
            if c.linear:
                assert region.text[c.text_start:c.text_start + c.text_len] == \
                    doc.source[c.src_start:c.src_start + c.src_len], (region, c)
    for unit in doc.units:
        start, end = doc.unit_source_span(unit)
        assert 0 <= start <= end <= n, unit
    for comment in doc.comments:
        assert 0 <= comment.start <= comment.end <= n, comment


def check_findings(source: str, findings: Iterable[Finding]) -> None:
    """Every finding lies inside the file, its line/column/end agree with its
    offsets, and the source sliced at its offsets is the text it reports."""
    index = LineIndex(source)
    for f in findings:
        assert 0 <= f.start <= f.end <= len(source), f
        assert source[f.start:f.end] == f.match, f
        assert index.position(f.start) == (f.line, f.column), f
        assert index.position(f.end) == (f.end_line, f.end_column), f
        assert 1 <= f.line <= f.end_line <= index.line_count, f
        line_start, line_end = index.line_span(f.line, source)
        assert 1 <= f.column <= line_end - line_start + 1, f
        if f.document_level:
            assert (f.start, f.end) == (0, index.line_span(1, source)[1]) if source else (0, 0), f


def silenceable(findings: Sequence[Finding]) -> list[Finding]:
    """Findings a passage directive is about: not document-level (consult),
    not about the directives themselves (HL001-HL003)."""
    return [f for f in findings if not f.document_level and f.category != "internal"]
