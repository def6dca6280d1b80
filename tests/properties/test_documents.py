"""Generated Markdown, HTML and text through the parser and the built-in
rules: no exception, every finding inside the file and slicing out its
match, and a disable-next-line directive always silences the line after it.
"""
from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from healthlint.document.sourcemap import LineIndex

from .strategies import DOCUMENTS, SYNTAXES, nasty
from .support import budget, check_document, check_findings, lint, silenceable


@pytest.mark.parametrize("syntax", SYNTAXES)
@budget(60)
@given(data=st.data())
def test_findings_lie_inside_the_file_and_slice_out_their_match(syntax: str, data: st.DataObject) -> None:
    source = data.draw(DOCUMENTS[syntax], label="source")
    doc, findings = lint(source, syntax)
    check_document(doc)
    check_findings(source, findings)


@pytest.mark.parametrize("syntax", SYNTAXES)
@budget(60)
@given(source=st.lists(st.one_of(nasty, st.characters(), st.sampled_from("<>[]()*_`#|-!&;\n\r\t >"),
                               st.sampled_from(("miracle", "Take 5 mg", "safe", "<!--", "-->", "```"))),
                       max_size=120).map("".join))
@example(source="\ud800 a miracle \udfff")  # lone surrogates: only the Python API can pass them
@example(source="\r\r\n\n\x00\ufeff")
def test_any_text_at_all_never_raises(syntax: str, source: str) -> None:
    doc, findings = lint(source, syntax)
    check_document(doc)
    # the document's source is the text with lone surrogates as U+FFFD (same offsets)
    assert len(doc.source) == len(source)
    check_findings(doc.source, findings)


def _insert_before_line(source: str, line: int, directive: str) -> str:
    start = LineIndex(source).starts[line - 1]
    return source[:start] + directive + "\n" + source[start:]


def _front_matter_lines(source: str) -> set[int]:
    from healthlint.document.markdown import _parser

    for tok in _parser().parse(source):
        if tok.type == "front_matter" and tok.map:
            return set(range(tok.map[0] + 1, tok.map[1] + 1))
    return set()


DIRECTIVE = {"markdown": "<!-- healthlint-disable-next-line -->", "html": "<!-- healthlint-disable-next-line -->",
             "text": "# healthlint-disable-next-line"}


@pytest.mark.parametrize("syntax", SYNTAXES)
@budget(50)
@given(data=st.data())
def test_disable_next_line_silences_the_line_after_it(syntax: str, data: st.DataObject) -> None:
    source = data.draw(DOCUMENTS[syntax], label="source")
    _, findings = lint(source, syntax)
    # YAML front matter has no comments that are directives.
    lines = sorted({f.line for f in silenceable(findings)} - (_front_matter_lines(source) if syntax == "markdown"
                                                              else set()))
    assume(lines)
    line = data.draw(st.sampled_from(lines), label="line")
    changed = _insert_before_line(source, line, DIRECTIVE[syntax])
    doc, after = lint(changed, syntax)
    # Markup before it can swallow the directive as a browser would ("</" opens
    # a bogus comment up to the next ">"): then it is no directive at all.
    assume(any(c.text == "healthlint-disable-next-line" and doc.lines.position(c.start)[0] == line
               for c in doc.comments))
    assert [f for f in silenceable(after) if f.line == line + 1] == []
