"""Output formats: each a function of the file reports and a run context,
chosen by name from REPORTERS (the yamllint/flake8 formatter shape)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from ..findings import FileReport
from . import json, text


@dataclass(frozen=True)
class RunContext:
    """What a reporter may know about the run besides the reports."""

    version: str = "0.0.0"
    color: bool = False
    statistics: bool = False
    quiet: bool = False


Reporter = Callable[[Sequence[FileReport], RunContext], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.report,
    "json": json.report,
}
