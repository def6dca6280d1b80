"""The public API: `lint_text`, `lint_paths` and `__version__`."""
from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import pytest

import healthlint
from healthlint import lint_paths, lint_text
from healthlint.config import load_config
from healthlint.errors import ConfigError, InputError
from healthlint.findings import FileReport, Finding

RULES = r"""
rules:
  - code: TS501
    name: test-miracle
    category: hype
    severity: error
    type: existence
    message: "'{match}' is hype"
    patterns: ['\bmiracle\b']
    examples: {flag: ["a miracle"], pass: ["rest well"]}
"""


@pytest.fixture
def rules_file(tmp_path: Path) -> str:
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    return str(path)


def test_version_comes_from_package_metadata() -> None:
    assert healthlint.__version__ == version("healthlint")
    with pytest.raises(AttributeError):
        healthlint.no_such_thing  # noqa: B018


def test_lint_text_with_the_default_packs() -> None:
    findings = lint_text("Take 2-4 grams of kratom before bed. It is a miracle.", "page.md")
    assert all(isinstance(f, Finding) and f.path == "page.md" for f in findings)
    assert {"dose", "hype"} <= {f.category for f in findings}
    assert [f.sort_key for f in findings] == sorted(f.sort_key for f in findings)


def test_lint_text_with_a_config_mapping(rules_file: str) -> None:
    [f] = lint_text("Rest. A miracle.\n", config={"rules": [rules_file], "select": ["TS"]})
    assert (f.path, f.line, f.column, f.end_column, f.code, f.match) == ("<text>", 1, 9, 16, "TS501", "miracle")


def test_lint_text_with_a_config_file_or_object(tmp_path: Path, rules_file: str) -> None:
    config = tmp_path / "cfg.yaml"
    config.write_text(f"rules: ['{rules_file}']\nselect: [TS]\nseverity: {{TS501: info}}\n", encoding="utf-8")
    by_path = lint_text("A miracle.", config=str(config))
    by_object = lint_text("A miracle.", config=load_config(config))
    assert [str(f.severity) for f in by_path] == [str(f.severity) for f in by_object] == ["info"]


def test_lint_text_syntax(rules_file: str) -> None:
    config = {"rules": [rules_file], "select": ["TS"]}
    text = "Code: `a miracle`"
    assert [f.column for f in lint_text(text, config=config, syntax="text")] == [10]
    assert [f.column for f in lint_text(text, "page.txt", config=config)] == [10]
    assert lint_text(text, config=config, syntax="markdown") == []
    assert lint_text(text, "page.md", config=config) == []
    with pytest.raises(InputError, match="unknown syntax 'rst'; use markdown, html, text"):
        lint_text(text, syntax="rst")


def test_lint_text_does_not_search_for_config_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".healthlint.yaml").write_text("ignore: [ALL]\n", encoding="utf-8")
    assert lint_text("It is a miracle.")


def test_lint_text_bad_config_mapping() -> None:
    with pytest.raises(ConfigError) as info:
        lint_text("x", config={"selct": ["HL1"]})
    assert str(info.value) == "<config>: unknown key 'selct'; did you mean 'select'?"


def test_lint_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rules_file: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".healthlint.yaml").write_text("rules: [rules.yaml]\nselect: [TS]\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("A miracle.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Rest well.\n", encoding="utf-8")
    (tmp_path / "c.html").write_bytes(b"\xfe\xfe miracle")
    reports = lint_paths([tmp_path], select=["test-miracle"])
    assert all(isinstance(r, FileReport) for r in reports)
    got = [(Path(r.path).name, [f.code for f in r.findings], r.error) for r in reports]
    assert got == [
        ("a.txt", [], None),
        ("b.md", ["TS501"], None),
        # Not UTF-8: linted as Windows-1252, and the report says so (issue 7).
        ("c.html", ["TS501"], "not UTF-8 (byte 0xfe at line 1, column 1, offset 0); read as Windows-1252; "
                              "save the file as UTF-8"),
    ]
    assert [f.code for r in lint_paths(["b.md"], ignore=["hype"]) for f in r.findings] == []
