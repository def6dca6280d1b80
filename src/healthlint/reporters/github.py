"""`--format github`: GitHub Actions workflow commands, one per finding.

    ::warning file=guide.md,line=3,col=1,endLine=3,endColumn=10,title=HL101 unsupported-dose::Dose 'Take 5 mg'

GitHub turns each into an annotation on the file and the pull request.
error -> `::error`, warning -> `::warning`, info -> `::notice`. Columns are
1-based code points with `endColumn` just after the match, as in the JSON
output; a finding that spans lines has no columns, since the runner drops
them from such an annotation. A file that could not be read is an
`::error` on that file. The last
line is the plain-text summary, which the log shows as it is.

Escaping follows the runner's own rules (actions/toolkit `command.ts`): in
the message `%`, CR and LF become %25, %0D and %0A; in property values `:`
and `,` become %3A and %2C as well, so a path or title cannot end the
property early.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..findings import FileReport, Finding
from ._common import GITHUB_COMMAND, display_path, findings_in_order
from .text import Tally, summary

if TYPE_CHECKING:
    from . import RunContext


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """`::name key=value,...::message` with both parts escaped."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def annotation(f: Finding, cwd: str | None = None) -> str:
    if f.end_line != f.line:
        # The runner drops both columns of an annotation that spans lines
        # (ValidateLinesAndColumns); say so rather than send them.
        return command(GITHUB_COMMAND[f.severity], f.message, file=display_path(f.path, cwd), line=f.line,
                       endLine=f.end_line, title=f"{f.code} {f.name}")
    return command(GITHUB_COMMAND[f.severity], f.message, file=display_path(f.path, cwd), line=f.line,
                   col=f.column, endLine=f.end_line, endColumn=f.end_column, title=f"{f.code} {f.name}")


def report(reports: Sequence[FileReport], ctx: RunContext) -> str:
    lines = [annotation(f, ctx.cwd) for _, f in findings_in_order(reports)]
    lines += [command("error", f"healthlint: cannot lint this file: {r.error}",
                      file=display_path(r.path, ctx.cwd), title="healthlint")
              for r in sorted(reports, key=lambda r: r.path) if r.error]
    lines.append(summary(reports))
    return "\n".join(lines) + "\n"


class Stream:
    """`report` one file at a time: annotations as each file is linted;
    unreadable files and the summary at the end, where `report` puts them."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.tally = Tally()
        self.errors: list[str] = []

    def file(self, r: FileReport) -> str:
        self.tally.add(r)
        if r.error:
            self.errors.append(command("error", f"healthlint: cannot lint this file: {r.error}",
                                       file=display_path(r.path, self.ctx.cwd), title="healthlint"))
        return "".join(annotation(f, self.ctx.cwd) + "\n" for f in r.findings)

    def end(self) -> str:
        return "".join(line + "\n" for line in self.errors) + self.tally.summary() + "\n"
