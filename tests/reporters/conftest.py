"""A small project (inline test rules, a config) linted by the real runner,
so the machine formats are exercised on real findings and rule specs."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

from healthlint.findings import FileReport
from healthlint.reporters import REPORTERS, RunContext
from healthlint.runner import Runner, RunResult

RULES = r"""
rules:
  - code: TS101
    name: test-dose
    category: dose
    severity: warning
    type: existence
    message: "Dose '{match}'"
    patterns: ['\btake \d+ mg\b']
    url: https://example.org/rules/TS101
    explanation: |
      A dose with no source. It reads as a direction
      for use.
    basis: [21 CFR 201.128]
    rewrite: Cite the source of the dose.
    examples: {flag: ["take 5 mg"], pass: ["rest well"]}
  - code: TS301
    name: test-proof
    category: evidence
    severity: info
    type: substitution
    message: "'{match}': say '{replacement}'"
    swap:
      '\bclinically proven\b': studied in [cite the trial]
    examples: {flag: ["clinically proven"], pass: ["studied in a trial"]}
  - code: TS501
    name: test-miracle
    category: hype
    severity: error
    type: existence
    message: "'{match}' is hype"
    patterns: ['\bmiracle\b']
    explanation: Hype words promise more than any evidence supports.
    examples: {flag: ["a miracle"], pass: ["rest well"]}
"""
CONFIG = "rules: [rules.yaml]\nselect: [TS]\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "rules.yaml").write_text(textwrap.dedent(RULES), encoding="utf-8")
    (tmp_path / ".healthlint.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.fixture
def lint(project: Path) -> Callable[..., RunResult]:
    """Write {relative path: text} into the project and lint those files."""
    def run(files: dict[str, str]) -> RunResult:
        for name, text in files.items():
            write(project / name, text)
        return Runner().run(list(files))
    return run


def render(fmt: str, result: RunResult | list[FileReport], **ctx: object) -> str:
    reports = result if isinstance(result, list) else list(result.reports)
    rules = () if isinstance(result, list) else result.rules
    return REPORTERS[fmt](reports, RunContext("1.2.3", rules=tuple(rules), **ctx))  # type: ignore[arg-type]
