"""GitHub Actions workflow commands: exact lines and the escaping rules."""
from __future__ import annotations

from healthlint.findings import FileReport, Finding, Severity
from healthlint.reporters import RunContext
from healthlint.reporters.github import command, escape_data, escape_property, report


def finding(severity: Severity = Severity.WARNING, path: str = "docs/a.md", message: str = "Dose 'Take 5 mg'",
            name: str = "test-dose") -> Finding:
    return Finding(path=path, code="TS101", name=name, category="dose", severity=severity, message=message,
                   start=0, end=9, line=3, column=1, end_line=3, end_column=10, match="Take 5 mg")


def test_one_annotation_per_finding_then_the_summary() -> None:
    out = report([FileReport("docs/a.md", (finding(),))], RunContext())
    assert out == (
        "::warning file=docs/a.md,line=3,col=1,endLine=3,endColumn=10,title=TS101 test-dose::Dose 'Take 5 mg'\n"
        "Found 1 problem (0 errors, 1 warning, 0 info) in 1 file.\n")


def test_a_finding_over_two_lines_has_no_columns() -> None:
    # The runner drops col and endColumn when line and endLine differ.
    wrapped = Finding(path="a.md", code="TS101", name="test-dose", category="dose", severity=Severity.WARNING,
                      message="Dose 'Take 5\nmg'", start=60, end=72, line=19, column=68, end_line=20,
                      end_column=3, match="Take 5\nmg")
    assert report([FileReport("a.md", (wrapped,))], RunContext()).splitlines()[0] == (
        "::warning file=a.md,line=19,endLine=20,title=TS101 test-dose::Dose 'Take 5%0Amg'")


def test_severity_picks_the_command() -> None:
    lines = report([FileReport("a.md", (finding(Severity.ERROR, "a.md"), finding(Severity.INFO, "a.md")))],
                   RunContext()).splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:2]] == ["::error", "::notice"]


def test_escaping_exactly() -> None:
    assert escape_data("100% sure\r\nnext: a, b") == "100%25 sure%0D%0Anext: a, b"
    assert escape_property("C:\\x,y%\n") == "C%3A\\x%2Cy%25%0A"
    # `%` first, so an escape already in the text is not decoded by the runner.
    assert escape_data("%0A") == "%250A"
    assert command("error", "a\nb", file="a:b,c.md", title="T, x: y") == "::error file=a%3Ab%2Cc.md,title=T%2C x%3A y::a%0Ab"
    out = report([FileReport("we,ird:name.md", (finding(path="we,ird:name.md", message="50% off\nnow, today: yes"),))],
                 RunContext())
    assert out.splitlines()[0] == ("::warning file=we%2Cird%3Aname.md,line=3,col=1,endLine=3,endColumn=10,"
                                   "title=TS101 test-dose::50%25 off%0Anow, today: yes")


def test_unreadable_file_is_an_error_annotation() -> None:
    out = report([FileReport("bad.md", error="cannot decode as UTF-8 (byte 0x92 at offset 3)")], RunContext())
    assert out == ("::error file=bad.md,title=healthlint::healthlint: cannot lint this file: "
                   "cannot decode as UTF-8 (byte 0x92 at offset 3)\n"
                   "No problems found in 0 files; 1 file could not be read.\n")


def test_clean_run_is_just_the_summary() -> None:
    assert report([FileReport("a.md")], RunContext()) == "No problems found in 1 file.\n"
