"""The command line through click's CliRunner: exit codes and exact output."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint.cli import ExitCode, cli, main
from rule_fixtures import DOSE_HYPE_CONSULT_RULES

RULES = DOSE_HYPE_CONSULT_RULES
DOC = "# Sleep\n\nTake 5 mg daily. It is a miracle.\n"
TEXT_OUT = """\
a.md:1:1: TS701 [consult] No consult notice

a.md:3:1: TS101 [dose] Dose 'Take 5 mg'
 3 | Take 5 mg daily. It is a miracle.
   | ^^^^^^^^^

a.md:3:26: TS501 [hype] 'miracle' is hype
 3 | Take 5 mg daily. It is a miracle.
   |                          ^^^^^^^

Found 3 problems (1 error, 2 warnings, 0 info) in 1 file.
"""
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in ("NO_COLOR", "FORCE_COLOR", "HEALTHLINT_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    write(tmp_path / "rules.yaml", RULES)
    write(tmp_path / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\n")
    write(tmp_path / "a.md", DOC)
    write(tmp_path / "clean.md", "# Sleep\n\nRest well.\n")
    return tmp_path


def run(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)


# -- output and exit codes -----------------------------------------------------------

def test_text_output_and_exit_1(project: Path) -> None:
    result = run("check", "a.md")
    assert (result.exit_code, result.stdout, result.stderr) == (ExitCode.FINDINGS, TEXT_OUT, "")


def test_json_output(project: Path) -> None:
    result = run("check", "--format", "json", "a.md")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [(d["path"], d["line"], d["column"], d["code"], d["severity"], d["document_level"]) for d in data] == [
        ("a.md", 1, 1, "TS701", "warning", True),
        ("a.md", 3, 1, "TS101", "warning", False),
        ("a.md", 3, 26, "TS501", "error", False),
    ]
    assert data[1] == {"path": "a.md", "line": 3, "column": 1, "end_line": 3, "end_column": 10, "code": "TS101",
                       "name": "test-dose", "category": "dose", "severity": "warning", "message": "Dose 'Take 5 mg'",
                       "match": "Take 5 mg", "replacement": None, "url": None, "document_level": False,
                       "fix": None, "baseline": False, "approved": None}
    assert result.stdout == json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def test_clean_exit_0(project: Path) -> None:
    result = run("check", "clean.md")
    assert (result.exit_code, result.stdout) == (ExitCode.OK, "No problems found in 1 file.\n")
    assert run("check", "--format", "json", "clean.md").stdout == "[]\n"


def test_default_path_is_the_current_folder(project: Path) -> None:
    result = run("check")
    assert result.stdout.endswith("Found 3 problems (1 error, 2 warnings, 0 info) in 1 file.\n")


@pytest.mark.parametrize("args, codes", [
    (["--select", "TS501"], ["TS501"]),
    (["--select", "TS101,TS501"], ["TS101", "TS501"]),
    (["--select", "TS101", "--select", "test-miracle"], ["TS101", "TS501"]),
    (["--ignore", "hype"], ["TS701", "TS101"]),
    (["--ignore", "TS7", "--ignore", "dose"], ["TS501"]),
    (["--select", "TS1", "--extend-select", "test-consult"], ["TS701", "TS101"]),
])
def test_select_and_ignore(project: Path, args: list[str], codes: list[str]) -> None:
    data = json.loads(run("check", "--format", "json", *args, "a.md").stdout)
    assert [d["code"] for d in data] == codes


def test_exit_zero(project: Path) -> None:
    result = run("check", "--exit-zero", "a.md")
    assert (result.exit_code, result.stdout) == (0, TEXT_OUT)


@pytest.mark.parametrize("args, code", [
    (["--fail-on", "error"], 1),
    (["--fail-on", "error", "--ignore", "TS501"], 0),
    (["--fail-on", "warning", "--ignore", "TS501"], 1),
    (["--fail-on", "warning", "--select", "TS101", "--ignore", "TS101"], 0),
])
def test_fail_on(project: Path, args: list[str], code: int) -> None:
    assert run("check", *args, "a.md").exit_code == code


def test_fail_on_from_config_and_cli_override(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\nignore: [TS501]\nfail-on: error\n")
    assert run("check", "a.md").exit_code == 0
    assert run("check", "--fail-on", "warning", "a.md").exit_code == 1


def test_html_metadata_in_the_config_lints_social_card_metas(project: Path) -> None:
    write(project / "p.html", '<head>\n<meta property="og:description" content="A miracle.">\n</head><p>Rest.</p>\n')
    assert "TS501" not in run("check", "--no-cache", "p.html").stdout
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\nhtml-metadata: true\n")
    assert "p.html:2:44: TS501 [hype] 'miracle' is hype" in run("check", "--no-cache", "p.html").stdout


def test_statistics(project: Path) -> None:
    write(project / "b.md", "Take 5 mg. Take 6 mg.\n")
    result = run("check", "--statistics", "a.md", "b.md")
    assert result.stdout == (
        "3  TS101  [dose] test-dose\n"
        "2  TS701  [consult] test-consult\n"
        "1  TS501  [hype] test-miracle\n"
        "\n"
        "Found 6 problems (1 error, 5 warnings, 0 info) in 2 files.\n")
    data = json.loads(run("check", "--statistics", "--format", "json", "a.md").stdout)
    assert [(d["code"], d["count"]) for d in data] == [("TS101", 1), ("TS501", 1), ("TS701", 1)]


def test_quiet(project: Path) -> None:
    assert run("check", "-q", "clean.md").stdout == ""
    assert run("check", "-q", "a.md").stdout == (
        "a.md:1:1: TS701 [consult] No consult notice\n"
        "a.md:3:1: TS101 [dose] Dose 'Take 5 mg'\n"
        "a.md:3:26: TS501 [hype] 'miracle' is hype\n"
        "\n"
        "Found 3 problems (1 error, 2 warnings, 0 info) in 1 file.\n")


def test_the_report_file_is_never_a_file_to_lint(project: Path) -> None:
    # Named on the command line: refused before anything is opened.
    result = run("check", "-o", "a.md", "a.md")
    assert result.exit_code == ExitCode.USAGE
    assert "-o a.md is also a file to lint" in result.output
    assert (project / "a.md").read_text(encoding="utf-8") == DOC
    # Found in a folder (last run's report): left out of the run.
    write(project / "report.txt", "Take 5 mg daily.\n")
    for fmt in ("text", "json"):  # streamed, and written at the end
        result = run("check", "--format", fmt, "-o", "report.txt", ".")
        assert result.exit_code == ExitCode.FINDINGS
        assert "report.txt" not in (project / "report.txt").read_text(encoding="utf-8")
        assert "a.md" in (project / "report.txt").read_text(encoding="utf-8")


def test_output_file(project: Path) -> None:
    result = run("check", "-o", "report.txt", "--color", "auto", "a.md")
    assert (result.exit_code, result.stdout) == (1, "")
    assert (project / "report.txt").read_text(encoding="utf-8") == TEXT_OUT
    assert (project / "a.md").read_text(encoding="utf-8") == DOC  # never writes to a linted file


@pytest.mark.parametrize("args, env, coloured", [
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ([], {}, False),  # CliRunner's stdout is not a terminal
])
def test_colour(project: Path, args: list[str], env: dict[str, str], coloured: bool) -> None:
    out = run("check", *args, "a.md", env=env).stdout
    assert ("\x1b[" in out) is coloured


# -- stdin ---------------------------------------------------------------------------

def test_stdin_with_filename_uses_its_config_and_syntax(project: Path) -> None:
    write(project / "docs" / ".healthlint.yaml", "rules: [../rules.yaml]\nselect: [TS]\nignore: [consult]\n")
    text = "<!-- healthlint-disable-next-line TS101 -->\nTake 5 mg daily.\n\nA miracle.\n"
    result = run("check", "-q", "--stdin-filename", os.path.join("docs", "page.md"), "-", input=text)
    assert result.stdout == (
        f"{os.path.join('docs', 'page.md')}:4:3: TS501 [hype] 'miracle' is hype\n\n"
        "Found 1 problem (1 error, 0 warnings, 0 info) in 1 file.\n")


def test_stdin_without_filename(project: Path) -> None:
    result = run("check", "-q", "--select", "TS501", "-", input="A miracle.\n")
    assert result.stdout.startswith("<stdin>:1:3: TS501 [hype] 'miracle' is hype\n")


# -- paths, unreadable files, exclusion --------------------------------------------------

def test_missing_path_is_a_usage_error(project: Path) -> None:
    result = run("check", "a.md", "nope.md")
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr == "healthlint: nope.md: no such file or folder; check the path\n"


@pytest.mark.parametrize("data, error, checked, tail", [
    # Not UTF-8: read as Windows-1252 and linted, and the run still fails (issue 7).
    (b"Fine \xff text.\n", "not UTF-8 (byte 0xff at line 1, column 6, offset 5); read as Windows-1252; "
                           "save the file as UTF-8", 2, "1 file read with a warning"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "binary file (a NUL byte at offset 7); skipped",
     1, "1 file could not be read"),
])
def test_undecodable_file_next_to_a_good_one(project: Path, data: bytes, error: str, checked: int, tail: str) -> None:
    write(project / "bad.md", data)
    result = run("check", "-q", "bad.md", "a.md")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stderr == f"healthlint: bad.md: {error}\n"
    assert result.stdout.splitlines()[-1] == f"Found 3 problems (1 error, 2 warnings, 0 info) in 1 file; {tail}."
    clean = run("check", "bad.md", "clean.md")
    files = "1 file" if checked == 1 else f"{checked} files"
    assert (clean.exit_code, clean.stdout) == (1, f"No problems found in {files}; {tail}.\n")


def test_utf8_bom_and_utf16_files_are_read(project: Path) -> None:
    write(project / "bom.md", "\ufeffA miracle.\n".encode("utf-8"))
    write(project / "u16.md", "A miracle.\n".encode("utf-16"))
    result = run("check", "-q", "--select", "TS501", "bom.md", "u16.md")
    assert result.stdout.splitlines()[:2] == ["bom.md:1:3: TS501 [hype] 'miracle' is hype",
                                              "u16.md:1:3: TS501 [hype] 'miracle' is hype"]


def test_folders_recurse_over_prose_files_and_honour_exclude(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS501]\nexclude: [drafts/]\n")
    for name in ("docs/x.md", "docs/y.html", "docs/z.txt", "docs/w.mdx", "docs/skip.py", "drafts/d.md",
                 "node_modules/pkg/readme.md"):
        write(project / name, "A miracle.\n")
    paths = {d["path"].replace(os.sep, "/") for d in json.loads(run("check", "--format", "json", ".").stdout)}
    assert paths == {"a.md", "docs/x.md", "docs/y.html", "docs/z.txt", "docs/w.mdx"}


def test_force_exclude_applies_to_named_files(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\nexclude: [drafts/]\n")
    write(project / "drafts" / "d.md", "A miracle.\n")
    assert run("check", "drafts/d.md").exit_code == 1
    result = run("check", "--force-exclude", "drafts/d.md")
    assert (result.exit_code, result.stdout) == (0, "No files to check.\n")


def test_results_do_not_depend_on_the_batch(project: Path) -> None:
    write(project / "sub" / ".healthlint.yaml", "rules: [../rules.yaml]\nselect: [TS501]\n")
    write(project / "sub" / "b.md", DOC)
    alone = json.loads(run("check", "--format", "json", "a.md").stdout)
    together = json.loads(run("check", "--format", "json", "sub/b.md", "a.md").stdout)
    assert [d for d in together if d["path"] == "a.md"] == alone
    assert [d["code"] for d in together if d["path"] != "a.md"] == ["TS501"]


# -- suppressions from the command line -------------------------------------------------

def test_report_unused_disables_flag_and_config(project: Path) -> None:
    write(project / "c.md", "<!-- healthlint-disable-next-line TS101 -->\nA miracle.\n")
    args = ("check", "-q", "--select", "TS501", "c.md")
    assert "HL001" not in run(*args).stdout
    assert ("c.md:1:1: HL001 [internal] Suppression 'healthlint-disable-next-line TS101' silenced nothing"
            in run(*args, "--report-unused-disables").stdout)
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nreport-unused-disables: true\n")
    assert "HL001" in run(*args).stdout
    assert "HL001" not in run(*args, "--no-report-unused-disables").stdout


# -- usage and config errors ----------------------------------------------------------------

def test_config_error_is_one_line_and_exit_2(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS1, test-dos]\n")
    result = run("check", "a.md")
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr == (
        "healthlint: .healthlint.yaml:2:15: unknown rule code, name, prefix or category 'test-dos' in 'select'; "
        "did you mean 'test-dose'?\n")


def test_unknown_cli_selector(project: Path) -> None:
    result = run("check", "--ignore", "test-mirakle", "a.md")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == ("healthlint: unknown rule code, name, prefix or category 'test-mirakle' in --ignore; "
                             "did you mean 'test-miracle'?\n")


@pytest.mark.parametrize("select", ["", ",", " , "])
def test_an_empty_select_is_a_usage_error(project: Path, select: str) -> None:
    """An empty --select ran no rule and exited 0: a CI variable that expanded
    empty turned the check off without a word (ruff: exit 2 as well)."""
    for paths in (["a.md"], ["empty-folder"]):
        (project / "empty-folder").mkdir(exist_ok=True)
        result = run("check", "--select", select, *paths)
        assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
        assert result.stderr == ("healthlint: --select names no rules, so none would run; give codes, names, "
                                 "prefixes or categories (ALL for every rule)\n")
    # Starting from nothing and adding rules says what it means.
    added = run("check", "--format", "json", "--select", select, "--extend-select", "TS501", "a.md")
    assert [d["code"] for d in json.loads(added.stdout)] == ["TS501"]


def test_explicit_config(project: Path) -> None:
    write(project / "strict.yaml", "rules: [rules.yaml]\nselect: [TS501]\n")
    assert [d["code"] for d in json.loads(run("check", "--format", "json", "--config", "strict.yaml", "a.md")
                                          .stdout)] == ["TS501"]
    missing = run("check", "--config", "nope.yaml", "a.md")
    assert (missing.exit_code, missing.stderr) == (2, "healthlint: nope.yaml: config file not found; "
                                                      "check the --config path\n")


@pytest.mark.parametrize("args", [["check", "--bogus"], ["check", "--format", "xml"], ["nope"]])
def test_bad_usage_exits_2(project: Path, args: list[str]) -> None:
    assert run(*args).exit_code == ExitCode.USAGE


@pytest.mark.parametrize(("args", "message"), [
    (["check", "--format", "xml"], "healthlint check: error: Invalid value for '--format'"),
    (["check", "--bogus"], "healthlint check: error: No such option '--bogus'"),
    (["nope"], "healthlint: error: No such command 'nope'."),
])
def test_usage_errors_are_one_line(project: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                   message: str) -> None:
    assert main(args) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1 and "--help" in err


def test_stdin_filename_alone_reads_stdin(project: Path) -> None:
    # As in ruff: naming the text is enough, it is not the folder's files.
    result = run("check", "-q", "--select", "TS501", "--stdin-filename", "page.md", input="A miracle.\n")
    assert result.stdout.startswith("page.md:1:3: TS501 [hype] 'miracle' is hype\n")
    assert "a.md" not in result.stdout


def test_unexpected_error_is_short_unless_debugging(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("healthlint.runner.Runner.run", boom)
    result = run("check", "a.md")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "healthlint: internal error: RuntimeError: boom\n"
        "healthlint: this is a bug in healthlint; please report it with the command you ran "
        "(HEALTHLINT_DEBUG=1 prints a traceback)\n")
    debug = run("check", "a.md", env={"HEALTHLINT_DEBUG": "1"})
    assert "Traceback (most recent call last)" in debug.stderr


def test_main_returns_the_exit_code(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-q", "a.md"]) == 1
    assert main(["check", "clean.md"]) == 0
    assert main(["check", "nope.md"]) == 2
    assert main(["check", "--bogus"]) == 2
    assert main(["--version"]) == 0
    err = capsys.readouterr().err
    assert "healthlint: nope.md: no such file or folder" in err
    assert "No such option '--bogus'" in err


# -- rules, explain, version ------------------------------------------------------------------

def test_rules_json_lists_every_rule_as_configured(project: Path) -> None:
    write(project / ".healthlint.yaml",
          "rules: [rules.yaml]\nselect: [TS]\nignore: [TS701]\nseverity: {TS101: error}\n")
    rows = {r["code"]: r for r in json.loads(run("rules", "--format", "json").stdout)}
    assert rows["TS101"] == {"code": "TS101", "name": "test-dose", "category": "dose", "severity": "error",
                             "pack": "local", "enabled": True}
    assert rows["TS701"]["enabled"] is False
    assert rows["HL101"]["enabled"] is False and rows["HL101"]["pack"] == "core"
    assert rows["HL001"]["category"] == "internal"


def test_rules_text(project: Path) -> None:
    lines = run("rules").stdout.splitlines()
    assert any(line.split() == ["TS501", "test-miracle", "hype", "error", "local", "on"] for line in lines)


@pytest.mark.parametrize("name", ["TS501", "ts501", "test-miracle"])
def test_explain(project: Path, name: str) -> None:
    result = run("explain", name)
    assert result.exit_code == 0
    assert result.stdout == ("TS501 test-miracle [hype, error] (pack local)\n\nMessage: '{match}' is hype\n\n"
                             "Flagged:\n  - a miracle\n\nNot flagged:\n  - rest well\n")


def test_explain_core_rule_and_internal_code(project: Path) -> None:
    out = run("explain", "HL701").stdout
    assert out.startswith("HL701 missing-consult-notice [consult, ")
    assert "Flagged:" in out and "Not flagged:" in out
    assert run("explain", "unused-suppression").stdout.startswith("HL001 unused-suppression [internal, warning]")


def test_explain_unknown(project: Path) -> None:
    result = run("explain", "test-mirakle")
    assert (result.exit_code, result.stderr) == (2, "healthlint: unknown rule 'test-mirakle'; "
                                                    "did you mean 'test-miracle'?\n")


def test_version(project: Path) -> None:
    from healthlint import __version__

    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"healthlint {__version__}\n")


# -- the shipped examples -------------------------------------------------------------------

def test_readme_examples(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    data = json.loads(run("check", "--format", "json", str(EXAMPLES)).stdout)
    by_file: dict[str, set[str]] = {}
    for d in data:
        by_file.setdefault(Path(d["path"]).name, set()).add(d["category"])
    assert "fact-sheet.md" not in by_file
    assert {"dose", "safety", "evidence", "hype", "self-treatment", "consult"} <= by_file["kratom-sleep.md"]


# -- real processes ---------------------------------------------------------------------------

def _script() -> str | None:
    scripts = os.path.dirname(sys.executable)
    return shutil.which("healthlint", path=os.pathsep.join([scripts, os.environ.get("PATH", "")]))


@pytest.mark.skipif(_script() is None, reason="the healthlint console script is not installed")
def test_console_script(project: Path) -> None:
    proc = subprocess.run([_script(), "check", "a.md"], capture_output=True, text=True, encoding="utf-8",
                          check=False, env={**os.environ, "NO_COLOR": "1"})
    assert (proc.returncode, proc.stdout, proc.stderr) == (1, TEXT_OUT, "")


def test_python_dash_m(project: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "healthlint", "check", "clean.md", "missing.md"],
                          capture_output=True, text=True, encoding="utf-8", check=False)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == "healthlint: missing.md: no such file or folder; check the path\n"


def test_startup_does_not_import_the_heavy_parts() -> None:
    code = ("import sys, healthlint.cli; "
            "print(sorted(m for m in ('ruamel', 'regex', 'markdown_it', 'healthlint.packs', 'healthlint.runner')"
            " if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True)
    assert proc.stdout.strip() == "[]"


def test_python_dash_m_flushes_a_large_report_before_exiting(project: Path) -> None:
    # The console script leaves with os._exit, skipping the interpreter's
    # own flush: a report larger than any pipe or stdio buffer must still
    # arrive whole, with the findings' exit code.
    for n in range(60):
        write(project / "many" / f"doc{n:02}.md", DOC * 40)
    proc = subprocess.run([sys.executable, "-m", "healthlint", "check", "--no-cache", "-j", "1", "--format", "json",
                           "many"], capture_output=True, text=True, encoding="utf-8", check=False)
    assert proc.returncode == 1, proc.stderr
    assert len(proc.stdout) > 1 << 20
    data = json.loads(proc.stdout)
    assert len({d["path"] for d in data}) == 60
    assert len(data) == 60 * (1 + 2 * 40)


def test_check_loads_only_the_reporter_it_prints_with(project: Path) -> None:
    code = ("import sys; from healthlint.cli import main; main(['check', 'a.md']); "
            "print(sorted(m for m in sys.modules if m.startswith(('healthlint.reporters.', 'xml.etree'))"
            " and m != 'healthlint.reporters._common'))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True)
    assert proc.stdout.splitlines()[-1] == "['healthlint.reporters.text']"


def test_a_plain_check_loads_neither_hashlib_nor_json(project: Path) -> None:
    # Each costs milliseconds of every editor and pre-commit call; only a
    # baseline, JSON-LD or a JSON report needs them.
    code = ("import sys; from healthlint.cli import main; main(['check', 'a.md']); "
            "print(sorted(m for m in ('hashlib', '_hashlib', 'json') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True)
    assert proc.stdout.splitlines()[-1] == "[]"


def test_every_check_option_is_in_the_command_line_docs() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    options = [opt for param in cli.commands["check"].params for opt in param.opts + param.secondary_opts
               if opt.startswith("--")]
    assert "--jobs" in options
    assert [opt for opt in options if f"`{opt}" not in docs] == []
