"""Output formats: each a function of the file reports and a run context,
chosen by name from REPORTERS (the yamllint/flake8 formatter shape).

`auto` is not a reporter: `pick` turns it into `github` inside GitHub
Actions (GITHUB_ACTIONS=true) and `text` everywhere else.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from ..findings import FileReport
from . import github, gitlab, json, json_lines, junit, sarif, text


@dataclass(frozen=True)
class RunContext:
    """What a reporter may know about the run besides the reports."""

    version: str = "0.0.0"
    color: bool = False
    statistics: bool = False
    quiet: bool = False
    # RuleSpecs of every rule set the run used (SARIF lists them as rules).
    rules: tuple[Any, ...] = ()
    # The folder paths are made relative to (SARIF %SRCROOT%); None: os.getcwd().
    cwd: str | None = None


Reporter = Callable[[Sequence[FileReport], RunContext], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json.report,
    "json-lines": json_lines.report,
    "sarif": sarif.report,
    "github": github.report,
    "junit": junit.report,
    "gitlab": gitlab.report,
}
# Formats that can print each file's findings as soon as it is linted:
# format -> a class with file(report) -> str and end() -> str or an iterator
# of str (issue 6).
STREAMS: dict[str, Any] = {
    "text": text.Stream,
    "json": json.Stream,
    "json-lines": json_lines.Stream,
    "github": github.Stream,
    "sarif": sarif.Stream,
    "junit": junit.Stream,
    "gitlab": gitlab.Stream,
}
AUTO = "auto"
FORMATS = (*REPORTERS, AUTO)


def pick(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The reporter for `name`; `auto` is github inside GitHub Actions, else text."""
    if name != AUTO:
        return name
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"
