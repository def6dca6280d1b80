"""Every format through the command line: --output-file, auto, exit codes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint.cli import CHECK_FORMATS, cli
from healthlint.reporters import FORMATS, REPORTERS, pick

from .conftest import write

DOC = "# Sleep\n\nA miracle. Take 5 mg daily.\n"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_the_cli_offers_every_reporter() -> None:
    assert CHECK_FORMATS == FORMATS


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_output_file_content(project: Path, fmt: str) -> None:
    write(project / "a.md", DOC)
    result = run("check", "--format", fmt, "-o", "report.out", "a.md")
    assert (result.exit_code, result.stdout) == (1, "")
    written = (project / "report.out").read_text(encoding="utf-8")
    assert written == run("check", "--format", fmt, "a.md").stdout
    assert "TS501" in written and "\x1b" not in written


def test_output_file_folder_is_created(project: Path) -> None:
    write(project / "a.md", DOC)
    assert run("check", "--format", "sarif", "-o", "reports/healthlint.sarif", "a.md").exit_code == 1
    assert json.loads((project / "reports" / "healthlint.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_auto_is_github_inside_actions(project: Path) -> None:
    write(project / "a.md", DOC)
    inside = run("check", "--format", "auto", "a.md", env={"GITHUB_ACTIONS": "true"})
    assert inside.stdout.startswith("::error file=a.md,line=3,col=3,")
    outside = run("check", "--format", "auto", "a.md", env={"GITHUB_ACTIONS": ""})
    assert outside.stdout.startswith("a.md:3:3: TS501 [hype]")
    assert (pick("auto", {"GITHUB_ACTIONS": "true"}), pick("auto", {}), pick("json", {"GITHUB_ACTIONS": "true"})) == (
        "github", "text", "json")


def test_sarif_from_the_cli_lists_the_project_rules(project: Path) -> None:
    write(project / "a.md", DOC)
    log = json.loads(run("check", "--format", "sarif", "a.md").stdout)
    driver = log["runs"][0]["tool"]["driver"]
    assert {"TS101", "TS301", "TS501"} <= {r["id"] for r in driver["rules"]}
    assert driver["version"] != "0.0.0"


def test_exit_status_does_not_depend_on_the_format(project: Path) -> None:
    write(project / "clean.md", "Rest well.\n")
    for fmt in REPORTERS:
        assert run("check", "--format", fmt, "clean.md").exit_code == 0
        assert run("check", "--format", fmt, "--exit-zero", "clean.md").exit_code == 0
