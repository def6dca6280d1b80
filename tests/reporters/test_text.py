"""The text reporter: header lines, carets under the match, summary, stats."""
from __future__ import annotations

from healthlint.document.sourcemap import LineIndex
from healthlint.findings import FileReport, Finding, Severity
from healthlint.reporters import REPORTERS, RunContext
from healthlint.reporters.text import report


def finding(source: str, start: int, end: int, code: str = "HL101", severity: Severity = Severity.WARNING,
            path: str = "a.md", **extra: object) -> Finding:
    lines = LineIndex(source)
    (line, col), (end_line, end_col) = lines.position(start), lines.position(end)
    return Finding(path=path, code=code, name="unsupported-dose", category="dose", severity=severity,
                   message=f"Dose '{source[start:end]}'", start=start, end=end, line=line, column=col,
                   end_line=end_line, end_column=end_col, match=source[start:end], **extra)


def render(source: str, *findings: Finding, **ctx: object) -> str:
    return report([FileReport("a.md", findings, source=source)], RunContext(**ctx))


def test_full_format() -> None:
    source = "# Sleep\n\nTake 2 g before bed.\n"
    assert render(source, finding(source, 9, 17)) == (
        "a.md:3:1: HL101 [dose] Dose 'Take 2 g'\n"
        " 3 | Take 2 g before bed.\n"
        "   | ^^^^^^^^\n"
        "\n"
        "Found 1 problem (0 errors, 1 warning, 0 info) in 1 file.\n"
    )


def test_tabs_are_expanded_on_both_lines() -> None:
    source = "\tA\tTake 2 g.\n"
    start = source.index("Take")
    out = render(source, finding(source, start, start + 8)).splitlines()
    assert out[1] == " 1 |     A   Take 2 g."
    assert out[2] == "   |         ^^^^^^^^"


def test_control_characters_from_the_file_never_reach_the_terminal() -> None:
    # An escape sequence (clear screen, window title) or a bidi override in
    # the copy is shown as one U+FFFD each, so the carets stay under the match.
    source = "\x1b[2J\x1b]0;T\x07\u202e Take 2 g.\n"
    start = source.index("Take")
    out = render(source, finding(source, start, start + 8)).splitlines()
    assert out[1] == " 1 | \ufffd[2J\ufffd]0;T\ufffd\ufffd Take 2 g."
    assert out[2] == "   | " + " " * 12 + "^" * 8
    # A newline in a file name cannot forge a second line.
    named = report([FileReport("evil\nok.md", (finding(source, start, start + 8, path="evil\nok.md"),),
                               source=source)], RunContext())
    assert named.splitlines()[0].startswith("evil\ufffdok.md:1:13: HL101")


def test_columns_count_code_points() -> None:
    source = "Über naïve: take 2 g.\n"
    start = source.index("take")
    out = render(source, finding(source, start, start + 8)).splitlines()
    assert out[0].startswith("a.md:1:13: HL101")
    assert out[2] == "   |" + " " * 13 + "^" * 8


def test_wide_characters_take_two_columns() -> None:
    # Carets are placed in terminal columns, where each CJK character is two.
    source = "中文字 take 2 g.\n"
    start = source.index("take")
    out = render(source, finding(source, start, start + 8)).splitlines()
    assert out[0].startswith("a.md:1:5: HL101")  # the column still counts code points
    assert out[2] == "   |" + " " * 8 + "^" * 8


def test_a_long_line_is_shown_as_a_window_around_the_match() -> None:
    # Minified HTML is one line: each finding shows the part around its
    # match, not the whole line again.
    filler = "Filler text about tea and gardens. " * 400
    source = filler + "Take 2 g." + filler + "\n"
    start = source.index("Take")
    out = render(source, finding(source, start, start + 8)).splitlines()
    assert out[1].startswith(" 1 | …") and out[1].endswith("…")
    assert len(out[1]) < 300
    assert out[1][out[2].index("^"):][:8] == "Take 2 g"
    assert out[2].count("^") == 8
    # Near the start of the line the window has no leading ellipsis.
    out = render(source, finding(source, 0, 6)).splitlines()
    assert out[1].startswith(" 1 | Filler") and out[2] == "   | ^^^^^^"


def test_multi_line_match_is_underlined_to_the_end_of_its_first_line() -> None:
    source = "Text then take\n2 g daily.\n"
    start = source.index("take")
    out = render(source, finding(source, start, source.index(" daily"))).splitlines()
    assert out[:3] == ["a.md:1:11: HL101 [dose] Dose 'take 2 g'", " 1 | Text then take", "   |           ^^^^"]


def test_crlf_source_line_has_no_carriage_return() -> None:
    source = "Intro.\r\nTake 2 g.\r\n"
    out = render(source, finding(source, 8, 16)).splitlines()
    assert out[1:3] == [" 2 | Take 2 g.", "   | ^^^^^^^^"]


def test_gutter_width_follows_the_line_number() -> None:
    source = "\n" * 11 + "Take 2 g.\n"
    out = render(source, finding(source, 11, 19)).splitlines()
    assert out[1:3] == [" 12 | Take 2 g.", "    | ^^^^^^^^"]


def test_empty_match_gets_one_caret_and_replacement_is_shown() -> None:
    source = "Clinically proven.\n"
    out = render(source, finding(source, 0, 0, replacement="studied in [citation]")).splitlines()
    assert out[2:4] == ["   | ^", "   = suggestion: studied in [citation]"]


def test_document_level_finding_has_no_excerpt() -> None:
    source = "Take 2 g.\n"
    doc = finding(source, 0, 9, code="HL701", document_level=True)
    assert render(source, doc) == (
        "a.md:1:1: HL701 [dose] Dose 'Take 2 g.'\n\nFound 1 problem (0 errors, 1 warning, 0 info) in 1 file.\n")


def test_summary_counts_and_plurals() -> None:
    src = "Take 2 g. Take 3 g.\n"
    reports = [
        FileReport("a.md", (finding(src, 0, 8, severity=Severity.ERROR), finding(src, 10, 18)), source=src),
        FileReport("b.md", (finding(src, 0, 8, path="b.md", severity=Severity.INFO),), source=src),
        FileReport("c.md", (), source=""),
        FileReport("d.md", error="cannot read: Permission denied"),
    ]
    assert report(reports, RunContext()).splitlines()[-1] == (
        "Found 3 problems (1 error, 1 warning, 1 info) in 2 files; 1 file could not be read.")


def test_clean_summaries() -> None:
    assert report([FileReport("a.md", source="x"), FileReport("b.md", source="y")], RunContext()) == (
        "No problems found in 2 files.\n")
    assert report([], RunContext()) == "No files to check.\n"


def test_quiet_prints_headers_and_summary_and_nothing_when_clean() -> None:
    source = "Take 2 g.\n"
    assert render(source, finding(source, 0, 8), quiet=True) == (
        "a.md:1:1: HL101 [dose] Dose 'Take 2 g'\n\nFound 1 problem (0 errors, 1 warning, 0 info) in 1 file.\n")
    assert render(source, quiet=True) == ""


def test_statistics_table() -> None:
    src = "Take 2 g. Take 3 g.\n"
    fs = [finding(src, 0, 8), finding(src, 10, 18),
          Finding("a.md", "HL502", "miracle-language", "hype", Severity.WARNING, "m", 0, 1, 1, 1, 1, 2)]
    assert render(src, *fs, statistics=True) == (
        "2  HL101  [dose] unsupported-dose\n"
        "1  HL502  [hype] miracle-language\n"
        "\n"
        "Found 3 problems (0 errors, 3 warnings, 0 info) in 1 file.\n")


def test_colour_only_when_asked() -> None:
    source = "Take 2 g.\n"
    plain = render(source, finding(source, 0, 8, severity=Severity.ERROR))
    coloured = render(source, finding(source, 0, 8, severity=Severity.ERROR), color=True)
    assert "\x1b[" not in plain
    assert "\x1b[1;31mHL101\x1b[0m" in coloured
    assert "\x1b[1;31m^^^^^^^^\x1b[0m" in coloured


def test_registry_names() -> None:
    assert set(REPORTERS) == {"text", "json", "json-lines", "sarif", "github", "junit", "gitlab"}
    assert REPORTERS["text"] is report
