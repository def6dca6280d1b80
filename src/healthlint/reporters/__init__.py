"""Output formats: each a function of the file reports and a run context,
chosen by name from REPORTERS (the yamllint/flake8 formatter shape).

`auto` is not a reporter: `pick` turns it into `github` inside GitHub
Actions (GITHUB_ACTIONS=true) and `text` everywhere else.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..findings import FileReport


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

# format -> the module that writes it.
_MODULES = {"text": "text", "json": "json", "json-lines": "json_lines", "sarif": "sarif", "github": "github",
            "junit": "junit", "gitlab": "gitlab"}


class _ByFormat(Mapping[str, Any]):
    """format -> one attribute of that format's module, imported when first
    asked for: a run loads only the reporter it prints with (XML and SARIF
    support cost a single-file check several milliseconds, issue 6)."""

    def __init__(self, attribute: str) -> None:
        self._attribute = attribute

    def __getitem__(self, fmt: str) -> Any:
        module = _MODULES[fmt]
        return getattr(import_module(f"{__name__}.{module}"), self._attribute)

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


REPORTERS: Mapping[str, Reporter] = _ByFormat("report")
# Formats that can print each file's findings as soon as it is linted:
# format -> a class with file(report) -> str and end() -> str or an iterator
# of str (issue 6).
STREAMS: Mapping[str, Any] = _ByFormat("Stream")
AUTO = "auto"
FORMATS = (*REPORTERS, AUTO)


def pick(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The reporter for `name`; `auto` is github inside GitHub Actions, else text."""
    if name != AUTO:
        return name
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"
