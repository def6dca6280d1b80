"""Fixes and suggestions (issue 5): what each fix writes, idempotence,
encodings, line endings and permissions kept, atomic writes, overlaps,
--diff, and the fix as JSON and SARIF."""
from __future__ import annotations

import json
import os
import stat
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint import fixes
from healthlint.cli import ExitCode, cli
from healthlint.findings import FileReport, Finding, Fix, Severity

RULES = r"""
rules:
  - code: TS101
    name: test-dose
    category: dose
    severity: warning
    type: existence
    message: "Dose '{match}'"
    patterns: ['\btake \d+ mg\b']
    examples: {flag: ["take 5 mg"], pass: ["rest well"]}
  - code: TS402
    name: test-proof
    category: evidence
    severity: warning
    type: substitution
    message: "'{match}' claims proof; suggested: '{replacement}'"
    swap:
      '\bclinically proven\b': studied in [cite the trial]
    examples: {flag: ["clinically proven"], pass: ["rest well"]}
  - code: TS701
    name: test-consult
    category: consult
    severity: warning
    type: document-requires
    message: "No consult notice"
    when-categories: [dose]
    requires: ['\bask your doctor\b']
    fix: consult-notice
    examples: {flag: ["take 5 mg"], pass: ["take 5 mg. ask your doctor"]}
"""
NOTICE = "Ask your doctor before taking any supplement."
DOC = "# Sleep\n\nTake 5 mg daily. Our clinically proven formula.\n"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8", newline="")
    return path


def config(position: str = "end", notice: str = NOTICE) -> str:
    return f"rules: [rules.yaml]\nselect: [TS]\nconsult-notice:\n  text: {notice!r}\n  position: {position}\n"


@pytest.fixture
def project(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # A results cache of our own: never another run's, never in the project.
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for var in ("NO_COLOR", "FORCE_COLOR", "HEALTHLINT_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    write(tmp_path / "rules.yaml", RULES)
    write(tmp_path / ".healthlint.yaml", config())
    write(tmp_path / "a.md", DOC)
    return tmp_path


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


# -- the safe fix: the configured notice --------------------------------------------

def test_fix_inserts_the_notice_at_the_end(project: Path) -> None:
    result = run("check", "--fix", "a.md")
    assert (project / "a.md").read_text(encoding="utf-8") == DOC + "\n" + NOTICE + "\n"
    # The suggestion is unsafe: --fix leaves the wording alone and says so.
    assert "clinically proven" in (project / "a.md").read_text(encoding="utf-8")
    assert result.exit_code == ExitCode.FINDINGS  # TS101 and TS402 remain
    assert "TS701" not in result.stdout
    assert result.stdout.endswith("Fixed 1 problem in 1 file.\n"
                                  "1 more suggestion can be applied with --unsafe-fixes "
                                  "(they change the wording; review them).\n")


def test_fix_inserts_after_the_first_heading(project: Path) -> None:
    write(project / ".healthlint.yaml", config("after-first-heading"))
    write(project / "a.md", "---\ntitle: Sleep\n---\n\n# Sleep\nTake 5 mg daily.\n\n## More\n")
    run("check", "--fix", "a.md")
    assert (project / "a.md").read_text(encoding="utf-8") == (
        f"---\ntitle: Sleep\n---\n\n# Sleep\n\n{NOTICE}\n\nTake 5 mg daily.\n\n## More\n")


def test_after_a_setext_heading_and_without_a_heading(project: Path) -> None:
    write(project / ".healthlint.yaml", config("after-first-heading"))
    write(project / "a.md", "Sleep\n=====\n\nTake 5 mg daily.")
    write(project / "b.md", "Take 5 mg daily.")
    run("check", "--fix", "a.md", "b.md")
    assert (project / "a.md").read_text(encoding="utf-8") == f"Sleep\n=====\n\n{NOTICE}\n\nTake 5 mg daily."
    # No heading: the end, with the missing final newline supplied.
    assert (project / "b.md").read_text(encoding="utf-8") == f"Take 5 mg daily.\n\n{NOTICE}\n"


def test_html_notice_goes_before_body_close(project: Path) -> None:
    write(project / "p.html", "<html><body>\n  <h1>Sleep &amp; rest</h1>\n  <p>Take 5 mg daily.</p>\n"
                              "  </body>\n</html>\n")
    run("check", "--fix", "p.html")
    assert (project / "p.html").read_text(encoding="utf-8") == (
        "<html><body>\n  <h1>Sleep &amp; rest</h1>\n  <p>Take 5 mg daily.</p>\n"
        f"<p>{NOTICE}</p>\n  </body>\n</html>\n")


def test_second_fix_changes_nothing(project: Path) -> None:
    run("check", "--fix", "--unsafe-fixes", "a.md")
    once = (project / "a.md").read_bytes()
    result = run("check", "--fix", "--unsafe-fixes", "a.md")
    assert (project / "a.md").read_bytes() == once
    assert "No fixes to apply." in result.stdout
    assert run("check", "--diff", "--unsafe-fixes", "a.md").stdout == ""


def test_a_notice_that_does_not_satisfy_the_rule_is_not_inserted(project: Path) -> None:
    write(project / ".healthlint.yaml", config(notice="Consult someone."))
    result = run("check", "--fix", "a.md")
    assert (project / "a.md").read_text(encoding="utf-8") == DOC
    assert "a.md: the configured 'consult-notice' would not satisfy TS701" in result.stdout


def test_no_notice_configured_means_no_fix_and_a_hint(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\n")
    result = run("check", "--fix", "a.md")
    assert (project / "a.md").read_text(encoding="utf-8") == DOC
    assert "a.md: TS701 can be fixed once the config sets 'consult-notice'" in result.stdout


def test_end_of_file_inside_a_code_fence_gives_no_fix(project: Path) -> None:
    write(project / "a.md", "Take 5 mg daily.\n\n```\nunclosed\n")
    run("check", "--fix", "a.md")
    assert (project / "a.md").read_text(encoding="utf-8") == "Take 5 mg daily.\n\n```\nunclosed\n"


# -- suggestions ---------------------------------------------------------------------

def test_unsafe_fixes_apply_the_suggestion_matching_case(project: Path) -> None:
    write(project / "a.md", "Clinically proven. Take 5 mg daily. ask your doctor.\n")
    run("check", "--fix", "a.md")
    assert (project / "a.md").read_text(encoding="utf-8").startswith("Clinically proven.")
    run("check", "--fix", "--unsafe-fixes", "a.md")
    assert (project / "a.md").read_text(encoding="utf-8") == (
        "Studied in [cite the trial]. Take 5 mg daily. ask your doctor.\n")


def test_a_suggestion_for_shouted_words_is_shouted(project: Path) -> None:
    write(project / "a.md", "# CLINICALLY PROVEN SLEEP\n\nTake 5 mg daily. Ask your doctor.\n")
    run("check", "--fix", "--unsafe-fixes", "a.md")
    # The placeholder to fill in keeps its case.
    assert (project / "a.md").read_text(encoding="utf-8").startswith("# STUDIED IN [cite the trial] SLEEP\n")


def test_no_suggestion_fix_across_markup(project: Path) -> None:
    write(project / "a.md", "Our **clinically proven** pill and our clinically *proven* tea.\n")
    result = run("check", "--format", "json", "a.md")
    fixes_ = {d["match"]: d["fix"] for d in json.loads(result.stdout)}
    assert fixes_["clinically proven"]["replacement"] == "studied in [cite the trial]"
    assert fixes_["clinically *proven"] is None  # replacing it would break the emphasis
    run("check", "--fix", "--unsafe-fixes", "a.md")
    assert (project / "a.md").read_text(encoding="utf-8") == (
        "Our **studied in [cite the trial]** pill and our clinically *proven* tea.\n")


def test_text_output_shows_the_suggestion(project: Path) -> None:
    assert " = suggestion: studied in [cite the trial]" in run("check", "a.md").stdout


# -- encodings, line endings, permissions ------------------------------------------

@pytest.mark.parametrize("bom, codec", [
    (b"", "utf-8"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
])
@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
def test_encoding_bom_and_newlines_are_kept(project: Path, bom: bytes, codec: str, nl: str) -> None:
    text = nl.join(["# Café", "", "Take 5 mg daily. Our clinically proven formula — “really”.", ""])
    write(project / "a.md", bom + text.encode(codec))
    run("check", "--fix", "--unsafe-fixes", "a.md")
    data = (project / "a.md").read_bytes()
    assert data.startswith(bom)
    after = data[len(bom):].decode(codec)
    assert after == nl.join(["# Café", "", "Take 5 mg daily. Our studied in [cite the trial] formula — “really”.",
                             "", NOTICE, ""])
    others = {"\n": ("\r",), "\r\n": (), "\r": ("\n",)}[nl]
    assert not any(o in after for o in others)


@pytest.mark.parametrize("data", [
    # UTF-8 with one stray byte (read with U+FFFD), and Windows-1252
    "# Sleep — naïve\n\nTake 5 mg daily. Café.\n".encode().replace(b"Caf\xc3\xa9", b"Caf\xe9"),
    "# Sleep\n\nTake 5 mg daily. Café “au lait”.\n".encode("cp1252"),
])
def test_a_file_not_read_as_clean_utf8_is_never_rewritten(project: Path, data: bytes) -> None:
    """Writing such a file back would lose the bytes read as U+FFFD (or change
    its encoding): it is left byte for byte, and --fix says so instead of
    skipping it without a word."""
    write(project / "a.md", data)
    result = run("check", "--fix", "a.md")
    assert (project / "a.md").read_bytes() == data
    assert result.stdout.endswith("No fixes to apply.\na.md: not fixed: its bytes are not clean UTF-8 and would "
                                  "not be written back as they were; save it as UTF-8 and fix again\n")
    diff = run("check", "--diff", "a.md")
    assert (diff.stdout, (project / "a.md").read_bytes()) == ("", data)
    assert "\na.md: not fixed: its bytes are not clean UTF-8" in diff.stderr


def test_mixed_newlines_use_the_dominant_one() -> None:
    assert fixes.dominant_newline("a\r\nb\r\nc\nd") == "\r\n"
    assert fixes.dominant_newline("a\nb\r\n") == "\n"  # a tie: \n
    assert fixes.dominant_newline("no break") == "\n"


def test_permissions_are_kept(project: Path) -> None:
    os.chmod(project / "a.md", 0o640)
    run("check", "--fix", "a.md")
    assert stat.S_IMODE(os.stat(project / "a.md").st_mode) == 0o640


def test_a_symlink_stays_a_symlink(project: Path) -> None:
    os.rename(project / "a.md", project / "real.md")
    os.symlink("real.md", project / "a.md")
    run("check", "--fix", "a.md")
    assert os.path.islink(project / "a.md")
    assert (project / "real.md").read_text(encoding="utf-8").endswith(NOTICE + "\n")


# -- never writing, or writing atomically -------------------------------------------

def test_check_without_fix_never_writes(project: Path) -> None:
    before = (project / "a.md").stat()
    for args in (("check", "a.md"), ("check", "--format", "json", "a.md"), ("check", "--diff", "a.md")):
        run(*args)
    after = (project / "a.md").stat()
    assert (after.st_mtime_ns, after.st_ino, (project / "a.md").read_text(encoding="utf-8")) == \
        (before.st_mtime_ns, before.st_ino, DOC)


def test_diff_prints_a_unified_diff_and_exits_1(project: Path) -> None:
    result = run("check", "--diff", "a.md")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == ("--- a/a.md\n+++ b/a.md\n@@ -1,3 +1,5 @@\n # Sleep\n \n"
                             " Take 5 mg daily. Our clinically proven formula.\n+\n+" + NOTICE + "\n")
    assert result.stderr == ("Would fix 1 problem in 1 file.\n1 more suggestion can be applied with "
                             "--unsafe-fixes (they change the wording; review them).\n")


def test_diff_reads_stdin_and_fix_refuses_it(project: Path) -> None:
    result = run("check", "--diff", "--stdin-filename", "a.md", "-", input=DOC)
    assert result.stdout.endswith("+" + NOTICE + "\n")
    refused = run("check", "--fix", "-", input=DOC)
    assert refused.exit_code == ExitCode.USAGE
    assert "--fix cannot write to standard input" in refused.stderr
    assert run("check", "--unsafe-fixes", "a.md").exit_code == ExitCode.USAGE


def test_failed_rename_leaves_the_file_untouched(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "b.md", DOC)

    calls = []
    real_replace = os.replace

    def flaky(src: str, dst: str) -> None:
        calls.append(dst)
        if dst.endswith("b.md"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky)
    result = run("check", "--fix", "a.md", "b.md")
    assert result.exit_code == ExitCode.FINDINGS
    assert (project / "a.md").read_text(encoding="utf-8").endswith(NOTICE + "\n")  # fully fixed
    assert (project / "b.md").read_text(encoding="utf-8") == DOC                    # untouched
    assert sorted(p.name for p in project.iterdir()) == [".healthlint.yaml", "a.md", "b.md", "rules.yaml"]
    assert "healthlint: b.md: cannot write the fixes, the file is unchanged: [Errno 28]" in result.stderr


def test_a_failure_while_writing_the_temp_file_cleans_up(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError):
        fixes.write_bytes_atomic(str(project / "a.md"), b"new")
    assert (project / "a.md").read_text(encoding="utf-8") == DOC
    assert sorted(p.name for p in project.iterdir()) == [".healthlint.yaml", "a.md", "rules.yaml"]


def test_a_file_the_user_may_not_write_is_left_alone(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Replacing a file needs only a writable folder; --fix must ask about the
    # file itself (root may write anything, so the answer is simulated).
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: (False if str(p).endswith("a.md") and mode == os.W_OK
                                                             else real_access(p, mode, **kw)))
    before = (project / "a.md").stat()
    result = run("check", "--fix", "a.md")
    assert "healthlint: a.md: cannot write the fixes, the file is unchanged: no permission" in result.stderr
    after = (project / "a.md").stat()
    assert (after.st_ino, (project / "a.md").read_text(encoding="utf-8")) == (before.st_ino, DOC)


def test_another_users_file_keeps_its_owner(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = project / "a.md"
    try:
        os.chown(path, 12345, 12345)
    except (OSError, AttributeError):
        pytest.skip("needs to hand a file to another user (root)")
    inode = path.stat().st_ino

    def refused(*args: object) -> None:  # as for a user who is not root
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refused)
    run("check", "--fix", "a.md")
    after = path.stat()
    assert (after.st_uid, after.st_gid, after.st_ino) == (12345, 12345, inode)  # rewritten where it is
    assert path.read_text(encoding="utf-8").endswith(NOTICE + "\n")
    assert sorted(p.name for p in project.iterdir()) == [".healthlint.yaml", "a.md", "rules.yaml"]


def test_a_file_changed_meanwhile_is_not_overwritten(project: Path) -> None:
    path = str(project / "a.md")
    with pytest.raises(fixes.FixError):
        fixes.write_bytes_atomic(path, b"new", expected=b"something else")
    assert (project / "a.md").read_text(encoding="utf-8") == DOC


# -- overlaps and passes -------------------------------------------------------------

def finding(code: str, start: int, end: int, content: str, safe: bool = False) -> Finding:
    fix = Fix(content, start, end, 1, start + 1, 1, end + 1, safe)
    return Finding(path="t.md", code=code, name="n", category="hype", severity=Severity.WARNING, message="m",
                   start=start, end=end, line=1, column=start + 1, end_line=1, end_column=end + 1, fix=fix)


def test_overlapping_fixes_first_by_position_later_ones_wait() -> None:
    fs = [finding("B", 4, 9, "X"), finding("A", 0, 6, "Y"), finding("C", 9, 12, "Z"), finding("D", 12, 12, "!"),
          finding("E", 12, 12, "?"), finding("F", 9, 12, "Z"), finding("G", 12, 14, "W")]
    chosen = fixes.select_edits(fs, unsafe=True)
    # A first (earliest); B overlaps A; C touches nothing; F equals C; D
    # inserts at C's end; E is a second insertion at 12 (next pass); G
    # replaces from 12, after D's insertion point.
    assert [f.code for f in chosen] == ["A", "C", "D", "G"]
    assert fixes.apply_edits("0123456789abcdef", chosen) == "Y678Z!Wef"
    assert fixes.select_edits(fs, unsafe=False) == []


def test_passes_stop_when_nothing_changes_and_cycles_are_cut() -> None:
    def lint_with(rewrites: dict[str, str]):
        def lint(text: str) -> FileReport:
            found = [finding("X", 0, len(text), rewrites[text])] if text in rewrites else []
            return FileReport("t.md", tuple(found), source=text)
        return lint

    settled = fixes.apply_fixes("a", lint_with({"a": "b", "b": "c"}), unsafe=True)
    assert (settled.text, settled.applied, settled.converged) == ("c", 2, True)
    cycle = fixes.apply_fixes("a", lint_with({"a": "b", "b": "a"}), unsafe=True)
    assert (cycle.text, cycle.converged) == ("b", False)
    endless = {str(i): str(i + 1) for i in range(100)}
    capped = fixes.apply_fixes("0", lint_with(endless), unsafe=True, max_passes=fixes.MAX_PASSES)
    assert (capped.text, capped.applied, capped.converged) == (str(fixes.MAX_PASSES), fixes.MAX_PASSES, False)


# -- the fix in JSON and SARIF, and the shipped rules --------------------------------

def test_json_fix_object(project: Path) -> None:
    data = json.loads(run("check", "--format", "json", "a.md").stdout)
    by_code = {d["code"]: d for d in data}
    assert by_code["TS701"]["fix"] == {"replacement": "\n" + NOTICE + "\n", "line": 4, "column": 1, "end_line": 4,
                                       "end_column": 1, "start": len(DOC), "end": len(DOC), "safe": True}
    proof = by_code["TS402"]["fix"]
    assert (proof["replacement"], proof["safe"], proof["line"], proof["column"], proof["end_column"]) == \
        ("studied in [cite the trial]", False, 3, 22, 39)
    assert DOC[proof["start"]:proof["end"]] == "clinically proven"
    assert by_code["TS101"]["fix"] is None


SCHEMA = Path("/work/shared/schemas/sarif-schema-2.1.0.json")


def test_sarif_fixes_validate(project: Path) -> None:
    log = json.loads(run("check", "--format", "sarif", "a.md").stdout)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    change = results["TS701"]["fixes"][0]["artifactChanges"][0]
    assert change["replacements"] == [{"deletedRegion": {"startLine": 4, "startColumn": 1, "endLine": 4,
                                                         "endColumn": 1},
                                       "insertedContent": {"text": "\n" + NOTICE + "\n"}}]
    assert results["TS701"]["fixes"][0]["properties"] == {"safe": True}
    assert results["TS402"]["fixes"][0]["properties"] == {"safe": False}
    assert "fixes" not in results["TS101"]
    assert "baselineState" not in results["TS101"]  # no baseline in use
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip("SARIF schema not available")
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_core_consult_and_dshea_notices(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped rules name their notices: HL701 the project's consult
    notice, USF106 the disclaimer (21 CFR 101.93(c) text by default)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    write(tmp_path / ".healthlint.yaml", """\
        packs: [us-fda-dshea]
        context: {market: [US], product-class: [dietary-supplement], content-type: [product-page]}
        consult-notice: Talk to your doctor or pharmacist before taking this supplement.
        """)
    write(tmp_path / "p.md", "# Magnesium\n\nOur magnesium glycinate supports restful sleep. "
                             "Take 500 mg of ashwagandha every night.\n")
    before = {d["code"] for d in json.loads(run("check", "--format", "json", "p.md").stdout)}
    assert {"HL701", "USF106"} <= before
    run("check", "--fix", "p.md")
    text = (tmp_path / "p.md").read_text(encoding="utf-8")
    assert text.endswith("\n\nTalk to your doctor or pharmacist before taking this supplement.\n\n"
                         + fixes.DSHEA_TEXT + "\n")
    after = {d["code"] for d in json.loads(run("check", "--format", "json", "p.md").stdout)}
    assert not after & {"HL701", "USF106"}
    assert run("check", "--diff", "p.md").stdout == ""


def test_encoding_round_trip_guard() -> None:
    enc = fixes.Encoding.sniff(b"\xff\xfeh\x00i\x00")
    assert enc == fixes.Encoding("utf-16-le", b"\xff\xfe")
    assert enc.encode("hi") == b"\xff\xfeh\x00i\x00"


def test_findings_keep_fix_through_replace() -> None:
    f = finding("A", 0, 1, "x")
    assert replace(f, severity=Severity.ERROR).fix == f.fix
