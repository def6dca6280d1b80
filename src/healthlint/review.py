"""The review workflow around one `check` run (issue 5): split findings by
the baseline, fix files, and say what happened.

The CLI keeps its "options in, exit code out" shape: it builds a Review
from the runner and calls `split`, `fix`, `prune` and `notes`. Everything
here is per file (a file's result never depends on the others), and the
baseline split runs on FileReports after linting, so it does not matter
which process linted a file.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Sequence

from . import fixes
from .baseline import Baseline, Baselines, Stale
from .findings import FileReport, Finding

if TYPE_CHECKING:
    from .runner import Runner

# Formats that can carry approved and baselined findings next to new ones
# (each finding says which it is); the others only ever show problems.
MERGING_FORMATS = ("json", "json-lines", "sarif")
STDIN_NAME = "<stdin>"


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"


def _line(f: Finding) -> str:
    message = " ".join(f.message.split())
    return f"{f.path}:{f.line}:{f.column}: {f.code} [{f.category}] {message}"


class Review:
    def __init__(self, runner: Runner, paths: Sequence[str], baseline_file: str | None = None,
                 stdin: bytes | None = None, stdin_filename: str | None = None) -> None:
        self.runner = runner
        self.paths = tuple(paths)
        self.baselines = Baselines(baseline_file, resolver=runner.resolver)
        self.stdin = stdin
        self.stdin_name = (stdin_filename or STDIN_NAME) if stdin is not None else None
        self.stale: dict[str, list[Stale]] = {}
        self.missing: list[Stale] = []
        self.fixed: list[fixes.FileFix] = []
        self.errors: list[str] = []
        self.unfixable: list[str] = []
        self.unsafe = False
        self.pruned: list[tuple[Baseline, int]] = []

    # -- baseline --------------------------------------------------------------

    def _baseline(self, path: str) -> Baseline | None:
        return self.baselines.for_config(self.runner.resolver.for_file(path))

    def _split(self, report: FileReport) -> tuple[FileReport, list[Stale]]:
        baseline = self._baseline(report.path) if report.path != self.stdin_name else None
        return (report, []) if baseline is None else baseline.split(report)

    def split(self, reports: Iterable[FileReport]) -> list[FileReport]:
        out = []
        for r in reports:
            report, self.stale[r.path] = self._split(r)
            out.append(report)
        linted = [r.path for r in out]
        for baseline in self.baselines.loaded.values():
            self.missing.extend(baseline.forget_missing(self.paths, linted))
        return out

    def prune(self) -> None:
        """Drop what no longer occurs from each baseline and save it."""
        by: dict[str, list[Stale]] = {}
        for s in [*self.missing, *(s for items in self.stale.values() for s in items)]:
            by.setdefault(s.baseline, []).append(s)
        for path, stale in by.items():
            baseline = self.baselines.loaded[path]
            self.pruned.append((baseline, baseline.prune(stale)))
            baseline.save()
        self.stale, self.missing = {}, []

    # -- fixes -----------------------------------------------------------------

    def fix(self, reports: Iterable[FileReport], unsafe: bool, write: bool) -> list[FileReport]:
        """Fix every file in memory, then write each changed one (unless
        `write` is false); the reports of the fixed text replace the old."""
        self.unsafe = unsafe
        planned: list[tuple[FileReport, fixes.FileFix | None]] = []
        for r in reports:
            try:
                planned.append((r, self._fix_one(r, unsafe)))
            except (OSError, ValueError, fixes.FixError) as exc:
                self.errors.append(f"{r.path}: cannot fix: {exc}")
                planned.append((r, None))
        out = []
        for r, ff in planned:
            if ff is None:
                out.append(r)
                continue
            if ff.changed and write:
                try:
                    fixes.write(ff)
                except (OSError, fixes.FixError) as exc:
                    self.errors.append(f"{r.path}: cannot write the fixes, the file is unchanged: {exc}")
                    out.append(r)
                    continue
            if ff.changed:
                self.fixed.append(ff)
            out.append(replace(ff.report, error=r.error))
        self._explain_unfixed(out)
        return out

    def _fix_one(self, r: FileReport, unsafe: bool) -> fixes.FileFix | None:
        if not fixes.eligible(r.findings, unsafe):
            return None
        if r.error is not None:
            # Read with U+FFFD or as Windows-1252 (the error is that note): the
            # file would not be written back byte for byte, so it is left
            # alone, and said so (skipping it silently looked like a fix
            # that did nothing).
            self.unfixable.append(f"{r.path}: not fixed: its bytes are not clean UTF-8 and would not be written "
                                  "back as they were; save it as UTF-8 and fix again")
            return None
        from .runner import read_bytes

        data = self.stdin if r.path == self.stdin_name and self.stdin is not None else read_bytes(r.path)
        last: list[Stale] = []

        def lint(text: str, bom: bool) -> FileReport:
            report, stale = self._split(self.runner.lint_source(r.path, text, bom))
            last[:] = stale
            return report

        ff = fixes.fix_report(r, data, lint, unsafe)
        self.stale[r.path] = list(last)
        return ff

    def _explain_unfixed(self, reports: Iterable[FileReport]) -> None:
        for r in reports:
            plan = self.runner.plan_for(self.runner.resolver.for_file(r.path))
            for f in r.findings:
                why = fixes.unfixed_notice(plan, f)
                if why:
                    self.unfixable.append(f"{r.path}: {why}")

    # -- exit status and output --------------------------------------------------

    def failing(self, reports: Iterable[FileReport]) -> int:
        n = len(self.errors)
        for r in reports:
            if r.error:
                n += 1
                continue
            plan = self.runner.plan_for(self.runner.resolver.for_file(r.path))
            n += sum(f.severity >= plan.fail_on for f in r.findings)
        return n

    def shown(self, reports: Sequence[FileReport], fmt: str, approved: bool, baselined: bool) -> list[FileReport]:
        """What the reporter gets: machine formats list approved and
        baselined findings (flagged as such) when asked; text lists them in
        the notes instead, so its counts stay the problems'."""
        if fmt not in MERGING_FORMATS or not (approved or baselined):
            return list(reports)
        out = []
        for r in reports:
            extra = (*(r.approved if approved else ()), *(r.baselined if baselined else ()))
            findings = sorted((*r.findings, *extra), key=lambda f: (f.line, f.column, f.code, f.end))
            out.append(replace(r, findings=tuple(findings)))
        return out

    def notes(self, reports: Sequence[FileReport], *, diff: bool = False, fixing: bool = False,
              show_approved: bool = False, show_baselined: bool = False, text: bool = True) -> list[str]:
        """Lines after the report (text) or on stderr (other formats)."""
        out: list[str] = []
        if fixing or diff:
            out.extend(self._fix_notes(reports, diff))
        # A machine format asked to show them carries them itself.
        if text or not show_approved:
            out.extend(self._approved_notes(reports, show_approved))
        out.extend(self._baseline_notes(reports, show_baselined, counted=text or not show_baselined))
        return out

    def _fix_notes(self, reports: Sequence[FileReport], diff: bool) -> list[str]:
        n = sum(f.applied for f in self.fixed)
        files = _plural(len(self.fixed), "file")
        out = [f"{'Would fix' if diff else 'Fixed'} {_plural(n, 'problem')} in {files}." if n
               else "No fixes to apply."]
        out += [f"{f.path}: the fixes did not settle after {fixes.MAX_PASSES} passes; check the result"
                for f in self.fixed if not f.converged]
        if not self.unsafe:
            _, more = fixes.counts(reports)
            if more:
                out.append(f"{_plural(more, 'more suggestion')} can be applied with --unsafe-fixes "
                           "(they change the wording; review them).")
        return out + self.unfixable

    def _approved_notes(self, reports: Sequence[FileReport], listing: bool) -> list[str]:
        approved = [f for r in reports for f in r.approved]
        if not approved:
            return []
        if not listing:
            return [f"{_plural(len(approved), 'approved claim')} not reported (--show-approved lists them)."]
        out = [f"Approved claims ({len(approved)}), not reported:"]
        for f in approved:
            a = f.approval
            assert a is not None
            out.append(f"  {_line(f)} -- approved as {a.reference} by {a.approver} "
                       f"({', '.join(a.jurisdictions)}; until {a.expires})")
        return out

    def _baseline_notes(self, reports: Sequence[FileReport], listing: bool, counted: bool = True) -> list[str]:
        out: list[str] = []
        old = [f for r in reports for f in r.baselined]
        names = sorted({self.baselines.display(b) for b in self.baselines.loaded.values()})
        if old and counted:
            where = ", ".join(names)
            out.append(f"{_plural(len(old), 'finding')} in the baseline ({where}) not reported"
                       f"{':' if listing else ' (--show-baselined lists them).'}")
            out += [f"  {_line(f)}" for f in old] if listing else []
        stale = [*self.missing, *(s for items in self.stale.values() for s in items)]
        if stale:
            count = sum(s.entry.count for s in stale)
            out.append(f"{_plural(count, 'baseline entry', 'baseline entries')} no longer "
                       f"{'occurs' if count == 1 else 'occur'}; --prune-baseline removes "
                       f"{'it' if count == 1 else 'them'}:")
            for s in sorted(stale, key=lambda s: (s.path, s.entry.code, s.entry.text)):
                times = f" x{s.entry.count}" if s.entry.count > 1 else ""
                what = f" {s.entry.text!r}" if s.entry.text else " (the whole document)"
                out.append(f"  {s.path}: {s.entry.code}{times}{what}")
        for baseline, removed in self.pruned:
            out.append(f"Removed {_plural(removed, 'stale baseline entry', 'stale baseline entries')} from "
                       f"{self.baselines.display(baseline)}.")
        return out


def record(runner: Runner, reports: Iterable[FileReport], paths: Sequence[str],
           baseline_file: str | None = None) -> list[tuple[str, int, int]]:
    """`healthlint baseline`: replace each linted file's entries with its
    findings, drop files gone from under PATHS, save; (file, findings, files)."""
    baselines = Baselines(baseline_file, resolver=runner.resolver)
    linted = []
    for r in reports:
        if r.error is not None:  # keep what was recorded for a file that cannot be read now
            continue
        baseline = baselines.for_config(runner.resolver.for_file(r.path), must_exist=False)
        assert baseline is not None
        baseline.record(r)
        linted.append(r.path)
    out = []
    for baseline in baselines.loaded.values():
        baseline.prune(baseline.forget_missing(paths, linted))
        baseline.save()
        out.append((baselines.display(baseline), baseline.total, len(baseline.files)))
    return out

