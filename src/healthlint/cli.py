"""The command line: options in, exit code out; no lint logic here.

    healthlint check [PATHS]...   lint files and folders (or - for stdin)
    healthlint rules              list every rule
    healthlint explain CODE|NAME  a rule's documentation and examples
    healthlint baseline [PATHS]   record today's findings (issue 5)
    healthlint claims check       validate the approved-claims register (issue 5)
    healthlint server             the language server for editors (stdio)

`main(argv=None) -> int` never calls sys.exit; the console script (`run`)
exits with its code. Only click and the light modules are imported at
start-up: packs, markup parsers and reporters load inside the commands, so
`--help` and `--version` are instant and `check` pays only for what it uses.
"""
from __future__ import annotations

import os
import sys
from enum import IntEnum
from typing import Any, Sequence

import click

from .errors import HealthlintError

SEVERITIES = ("error", "warning", "info")
# reporters.FORMATS, spelled out so that --help does not import the reporters.
CHECK_FORMATS = ("text", "json", "json-lines", "sarif", "github", "junit", "gitlab", "auto")


class ExitCode(IntEnum):
    OK = 0           # nothing at or above fail-on
    FINDINGS = 1     # findings at or above fail-on, or a file could not be read
    USAGE = 2        # bad arguments, config or packs; or an internal error


def _report_bug(exc: BaseException) -> None:
    if os.environ.get("HEALTHLINT_DEBUG") == "1":
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__)
    click.echo(f"healthlint: internal error: {type(exc).__name__}: {exc}", err=True)
    click.echo("healthlint: this is a bug in healthlint; please report it with the command you ran "
               "(HEALTHLINT_DEBUG=1 prints a traceback)", err=True)


class _Group(click.Group):
    """Turns user errors into one line and exit 2, and anything unexpected
    into a short bug-report message (pre-commit's error_handler)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
            raise
        except HealthlintError as exc:
            click.echo(f"healthlint: {exc}", err=True)
            ctx.exit(ExitCode.USAGE)
        except Exception as exc:  # noqa: BLE001 - the top-level handler
            _report_bug(exc)
            ctx.exit(ExitCode.USAGE)


def _version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from . import __version__

        click.echo(f"healthlint {__version__}")
        ctx.exit(ExitCode.OK)


def _split(values: Sequence[str]) -> tuple[str, ...]:
    """Repeatable, comma-separated selector options -> one tuple."""
    return tuple(t.strip() for v in values for t in v.split(",") if t.strip())


def use_color(choice: str, stream: Any) -> bool:
    """--color always/never win; then NO_COLOR, then FORCE_COLOR, then a tty."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version and exit.")
def cli() -> None:
    """healthlint: lint health copy for unsupported doses, safety and cure
    claims, vague evidence, hype, self-treatment advice and missing consult
    notices."""


_SELECTOR_HELP = "Codes, names, code prefixes or categories, comma-separated; repeatable."


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(CHECK_FORMATS), default="text", show_default=True,
              help="Output format; auto is github inside GitHub Actions, text elsewhere.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True),
              help="Write the report to this file instead of stdout.")
@click.option("--select", multiple=True, help="Run only these rules (replaces the config's select). " + _SELECTOR_HELP)
@click.option("--extend-select", multiple=True, help="Also run these rules. " + _SELECTOR_HELP)
@click.option("--ignore", multiple=True, help="Do not report these rules. " + _SELECTOR_HELP)
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Use this config file for every path instead of searching for one.")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="Lowest severity that fails the run [config, or info].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Show a count per rule instead of each finding.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text output (auto honours NO_COLOR and FORCE_COLOR).")
@click.option("-q", "--quiet", is_flag=True, help="Print only findings and the summary; nothing when clean.")
@click.option("--report-unused-disables/--no-report-unused-disables", default=None,
              help="Report suppression directives that silenced nothing (HL001).")
@click.option("--stdin-filename", help="The name (for config, syntax and output) of text read from -.")
@click.option("--force-exclude", is_flag=True, help="Apply 'exclude' to paths named on the command line too.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (the configured notices) to the files.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply suggestions that change wording.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff and write nothing (implies --fix).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="The baseline file [config 'baseline', else .healthlint-baseline.json beside the config].")
@click.option("--prune-baseline", is_flag=True, help="Remove baseline entries that no longer occur.")
@click.option("--show-baselined", is_flag=True, help="Also list the findings the baseline covers.")
@click.option("--show-approved", is_flag=True, help="Also list the findings the approved-claims register covers.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes; 0 uses every core when there are many files or one large one.")
@click.option("--no-cache", is_flag=True,
              help="Lint every file afresh: read no cached result and keep none (compiled packs are still kept).")
@click.option("--cache-dir", type=click.Path(file_okay=False),
              help="The cache folder [$HEALTHLINT_CACHE_DIR, else the user cache folder].")
@click.pass_context
def check(ctx: click.Context, paths: tuple[str, ...], fmt: str, output_file: str | None,
          select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          config_path: str | None, fail_on: str | None, exit_zero: bool, statistics: bool, color: str,
          quiet: bool, report_unused_disables: bool | None, stdin_filename: str | None,
          force_exclude: bool, fix: bool, unsafe_fixes: bool, diff: bool, baseline_file: str | None,
          prune_baseline: bool, show_baselined: bool, show_approved: bool, jobs: int = 0,
          no_cache: bool = False, cache_dir: str | None = None) -> None:
    """Lint files and folders (default: the current folder); - reads stdin."""
    from .findings import Severity
    from .runner import Options, Runner

    if unsafe_fixes and not (fix or diff):
        raise click.UsageError("--unsafe-fixes needs --fix or --diff")
    if fix and not diff and "-" in paths:
        raise click.UsageError("--fix cannot write to standard input; use --diff to see the fixes")

    options = Options(
        config=config_path, select=_split(select) if select else None, extend_select=_split(extend_select),
        ignore=_split(ignore), fail_on=Severity.parse(fail_on) if fail_on else None,
        report_unused_disables=report_unused_disables, force_exclude=force_exclude, stdin_filename=stdin_filename,
        jobs=jobs, cache_dir=_cache_dir(cache_dir), cache_results=not no_cache)
    # With --stdin-filename and no paths the text comes from stdin (ruff).
    paths = paths or (("-",) if stdin_filename else (".",))
    stdin = _read_stdin() if "-" in paths else None
    runner = Runner(options)
    files = runner.files(paths)
    if output_file:
        files = _without_output(files, paths, output_file)
    reviewing = fix or diff or baseline_file or prune_baseline or show_baselined or show_approved
    if not reviewing and not statistics and _streamable(runner, files, pick_format(fmt)):
        failing = _stream(runner, paths, files, stdin, pick_format(fmt), output_file, color, quiet)
        ctx.exit(ExitCode.OK if exit_zero or not failing else ExitCode.FINDINGS)
    result = runner.run(paths, stdin, files=files)
    for r in result.reports:
        if r.error:
            click.echo(f"healthlint: {_shown(r.path)}: {r.error}", err=True)
    if not (fix or diff or baseline_file or prune_baseline or show_baselined or show_approved
            or _has_review(result.reports, runner)):
        _emit(result.reports, fmt, output_file, color, statistics, quiet, result.rules)
        ctx.exit(ExitCode.OK if exit_zero or not result.failing else ExitCode.FINDINGS)
    ctx.exit(_review_run(runner, result, paths, stdin, fmt=fmt, output_file=output_file, color=color,
                         statistics=statistics, quiet=quiet, exit_zero=exit_zero, stdin_filename=stdin_filename,
                         fix=fix, unsafe_fixes=unsafe_fixes, diff=diff, baseline_file=baseline_file,
                         prune_baseline=prune_baseline, show_baselined=show_baselined,
                         show_approved=show_approved))


def _without_output(files: Sequence[str], paths: Sequence[str], output_file: str) -> list[str]:
    """`files` less the report file: opening it for the report would empty
    it before it is read. Named on the command line, it is a usage error."""
    def same(path: str) -> bool:
        try:
            return os.path.samefile(path, output_file)
        except OSError:
            return os.path.realpath(path) == os.path.realpath(output_file)

    if any(p != "-" and same(p) for p in paths):
        raise click.UsageError(f"-o {output_file} is also a file to lint; the report would overwrite it")
    return [f for f in files if not same(f)]


def _review_run(runner: Any, result: Any, paths: Sequence[str], stdin: bytes | None, *, fmt: str,
                output_file: str | None, color: str, statistics: bool, quiet: bool, exit_zero: bool,
                stdin_filename: str | None, fix: bool, unsafe_fixes: bool, diff: bool,
                baseline_file: str | None, prune_baseline: bool, show_baselined: bool,
                show_approved: bool) -> ExitCode:
    """Issue 5: baselines, fixes and approved claims around one run
    (docs/fixes.md, docs/baseline.md, docs/approved-claims.md)."""
    from .review import Review

    review = Review(runner, paths, baseline_file, stdin, stdin_filename)
    reports = review.split(result.reports)
    if fix or diff:
        reports = review.fix(reports, unsafe_fixes, write=not diff)
    for line in review.errors:
        click.echo(f"healthlint: {line}", err=True)
    if prune_baseline and not diff:
        review.prune()
    if diff:
        click.echo("".join(f.diff() for f in review.fixed), nl=False)
        for line in review.notes(reports, diff=True):
            click.echo(line, err=True)
        would = bool(review.fixed or review.errors) or any(r.error for r in reports)
        return ExitCode.OK if exit_zero or not would else ExitCode.FINDINGS
    fmt = pick_format(fmt)
    notes = review.notes(reports, fixing=fix, show_approved=show_approved, show_baselined=show_baselined,
                         text=fmt == "text")
    shown = review.shown(reports, fmt, show_approved, show_baselined)
    _emit(shown, fmt, output_file, color, statistics, quiet, result.rules, notes)
    return ExitCode.OK if exit_zero or not review.failing(reports) else ExitCode.FINDINGS


def _shown(path: str) -> str:
    """A file name for a one-line message: its control characters (a
    newline in a name could forge a second line) made visible."""
    from .reporters.text import printable

    return printable(path)


def _cache_dir(given: str | None = None) -> str:
    from .cache import default_dir

    return os.path.abspath(given) if given else default_dir()


def pick_format(fmt: str) -> str:
    from .reporters import pick

    return pick(fmt)


def _has_review(reports: Sequence[Any], runner: Any) -> bool:
    """Whether a baseline file applies or some claims were approved."""
    from .baseline import Baselines

    if any(r.approved for r in reports):
        return True
    baselines = Baselines()
    return any(baselines.path_for(runner.resolver.for_file(r.path)) for r in reports if not r.error)


def _read_stdin() -> bytes:
    data = getattr(sys.stdin, "buffer", sys.stdin).read()
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _streamable(runner: Any, files: Sequence[str], fmt: str) -> bool:
    """Whether the run can print each file as it is linted: a format that
    streams, paths printed as they are, and no baseline or approved-claims
    register to hold findings back (those need the whole run; issue 5)."""
    from .baseline import Baselines
    from .reporters import STREAMS
    from .runner import printable_path

    if fmt not in STREAMS or any(printable_path(f) != f for f in files):
        return False
    baselines = Baselines()
    configs = {runner.resolver.for_file(runner.report_name(f)) for f in files}
    return not any(c.approved_claims or baselines.path_for(c) for c in configs)


def _stream(runner: Any, paths: Sequence[str], files: Sequence[str], stdin: bytes | None, fmt: str,
            output_file: str | None, color: str, quiet: bool) -> int:
    """Lint `paths` (discovered as `files`), writing each file's findings
    as soon as they are ready and keeping only counts (issue 6); the run's
    failing count."""
    from . import __version__
    from .reporters import STREAMS, RunContext

    colored = fmt == "text" and use_color("never" if output_file and color == "auto" else color, sys.stdout)
    out = STREAMS[fmt](RunContext(__version__, colored, False, quiet, runner.rules_of(files)))
    if output_file:
        fh: _ReportFile | None = _ReportFile(output_file)
        write = fh.write
    else:
        fh = None
        write = lambda text: click.echo(text, nl=False, color=colored)  # noqa: E731

    def sink(report: Any) -> None:
        if report.error:
            click.echo(f"healthlint: {_shown(report.path)}: {report.error}", err=True)
        chunk = out.file(report)
        if chunk:
            write(chunk)

    try:
        failing: int = runner.run(paths, stdin, sink, files).failing
        end = out.end()
        for chunk in (end,) if isinstance(end, str) else end:
            if chunk:
                write(chunk)
    finally:
        if fh is not None:
            fh.close()
    return failing


class _ReportFile:
    """The `-o` file. Failing to create, write or close it (a full disk, a
    file where a folder should be) is one line and exit 2."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            # CI writes reports into folders that may not exist yet (ruff does this too).
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self.fh = open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        except OSError as exc:
            raise self._error(exc) from None

    def write(self, text: str) -> None:
        try:
            self.fh.write(text)
        except OSError as exc:
            raise self._error(exc) from None

    def close(self) -> None:
        try:
            self.fh.close()
        except OSError as exc:
            raise self._error(exc) from None

    def _error(self, exc: OSError) -> HealthlintError:
        return HealthlintError(f"cannot write the report: {exc.strerror or exc}", path=self.path)


def _emit(reports: Sequence[Any], fmt: str, output_file: str | None, color: str, statistics: bool,
          quiet: bool, rules: Sequence[Any] = (), notes: Sequence[str] = ()) -> None:
    from . import __version__
    from .reporters import REPORTERS, RunContext, pick
    from .runner import printable_reports

    reports = printable_reports(reports)  # a name that is not UTF-8 crashed -o (issue 7)
    stream = sys.stdout
    fmt = pick(fmt)
    colored = fmt == "text" and use_color("never" if output_file and color == "auto" else color, stream)
    text = REPORTERS[fmt](reports, RunContext(__version__, colored, statistics, quiet, tuple(rules)))
    notes = () if quiet else notes
    if notes and fmt == "text":  # baselines, fixes, approved claims (issue 5)
        text += "".join(line + "\n" for line in notes)
    elif notes:
        for line in notes:
            click.echo(line, err=True)
    if output_file:
        report = _ReportFile(output_file)
        try:
            report.write(text)
        finally:
            report.close()
    elif text:
        click.echo(text, nl=False, color=colored)


def _plan_here(config_path: str | None) -> Any:
    from .runner import Options, Runner

    runner = Runner(Options(config=config_path))
    return runner.plan_for(runner.resolver.for_dir(os.getcwd()))


def rule_rows(plan: Any) -> list[dict[str, Any]]:
    """Every rule as configured for the current folder, internal ones first."""
    from .selection import INTERNAL_RULES

    rows = [{"code": r.code, "name": r.name, "category": "internal", "severity": str(r.severity),
             "pack": "healthlint",
             "enabled": r.code in plan.selected and (r.code != "HL001" or plan.report_unused)}
            for r in INTERNAL_RULES]
    for rule in plan.ruleset.rules:
        s = rule.spec
        rows.append({"code": s.code, "name": s.name, "category": s.category,
                     "severity": str(plan.severities.get(s.code, s.severity)), "pack": s.pack,
                     "enabled": s.code in plan.selected})
    return sorted(rows, key=lambda row: row["code"])


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file.")
def rules(fmt: str, config_path: str | None) -> None:
    """List every rule as configured for the current folder."""
    rows = rule_rows(_plan_here(config_path))
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    keys = ("code", "name", "category", "severity", "pack")
    widths = {k: max(len(str(r[k])) for r in rows) for k in keys}
    for row in rows:
        cells = [str(row[k]).ljust(widths[k]) for k in keys]
        click.echo("  ".join([*cells, "on" if row["enabled"] else "off"]))


@cli.command()
@click.argument("rule")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file.")
def explain(rule: str, config_path: str | None) -> None:
    """Show a rule's documentation and examples (by code or name)."""
    from .selection import INTERNAL_RULES

    plan = _plan_here(config_path)
    for internal in INTERNAL_RULES:
        if rule.upper() == internal.code or rule == internal.name:
            click.echo(f"{internal.code} {internal.name} [internal, {internal.severity}]\n\n"
                       f"{internal.message}.\n\n{internal.explanation}")
            return
    found = plan.ruleset.find(rule)
    if found is None:
        raise HealthlintError(f"unknown rule {rule!r}", hint=plan.universe.suggest(rule))
    click.echo(explanation(found.spec))


def explanation(spec: Any) -> str:
    """A rule's documentation as plain text."""
    parts = [f"{spec.code} {spec.name} [{spec.category}, {spec.severity}] (pack {spec.pack}"
             f"{'' if spec.enabled else ', off by default'})", "", f"Message: {spec.message}"]
    if spec.explanation:
        parts += ["", spec.explanation]
    if spec.basis:
        parts += ["", "Basis:", *(f"  - {b}" for b in spec.basis)]
    if spec.rewrite:
        parts += ["", "How to fix:", *(f"  {line}" for line in spec.rewrite.splitlines())]
    if spec.url:
        parts += ["", f"More: {spec.url}"]
    parts += ["", "Flagged:", *(f"  - {e}" for e in spec.examples_flag)]
    parts += ["", "Not flagged:", *(f"  - {e}" for e in spec.examples_pass)]
    return "\n".join(parts)


@cli.command()
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the default and only transport).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Use this config file for every document instead of searching for one.")
def server(stdio: bool, config_path: str | None) -> int:
    """Run the language server (LSP over stdio) for editors; needs healthlint[server]."""
    try:
        import pygls  # noqa: F401
    except ImportError:
        raise HealthlintError("the language server needs pygls, which is not installed",
                              hint="pip install 'healthlint[server]'") from None
    from .server import serve

    return serve(config_path)


@cli.command()
@click.option("--cache-dir", type=click.Path(file_okay=False),
              help="The cache folder [$HEALTHLINT_CACHE_DIR, else the user cache folder].")
def clean(cache_dir: str | None) -> None:
    """Remove healthlint's cache (compiled packs and patterns, results)."""
    from .cache import remove

    folder = _cache_dir(cache_dir)
    freed = remove(folder)
    if freed is None:
        click.echo(f"No healthlint cache at {_shown(folder)}.")
    else:
        click.echo(f"Removed {_shown(folder)} ({freed / 1e6:.1f} MB).")


@cli.command("baseline")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Write this file [config 'baseline', else .healthlint-baseline.json beside the config].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Use this config file for every path instead of searching for one.")
@click.option("--force-exclude", is_flag=True, help="Apply 'exclude' to paths named on the command line too.")
@click.pass_context
def baseline_command(ctx: click.Context, paths: tuple[str, ...], baseline_file: str | None,
                     config_path: str | None, force_exclude: bool) -> None:
    """Record today's findings so that `check` reports only new ones."""
    from .review import record
    from .runner import Options, Runner

    paths = paths or (".",)
    if "-" in paths:
        raise click.UsageError("a baseline records files; standard input cannot be recorded")
    runner = Runner(Options(config=config_path, force_exclude=force_exclude))
    result = runner.run(paths)
    for r in result.reports:
        if r.error:
            click.echo(f"healthlint: {_shown(r.path)}: {r.error}; its baseline entries were kept", err=True)
    for name, findings, files in record(runner, result.reports, paths, baseline_file):
        click.echo(f"Wrote {name}: {findings} finding{'' if findings == 1 else 's'} in "
                   f"{files} file{'' if files == 1 else 's'}.")
    ctx.exit(ExitCode.FINDINGS if any(r.error for r in result.reports) else ExitCode.OK)


@cli.group()
def claims() -> None:
    """The approved-claims register (approved-claims in the config)."""


@claims.command("check")
@click.argument("register", required=False, type=click.Path(dir_okay=False))
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this config file.")
@click.pass_context
def claims_check(ctx: click.Context, register: str | None, config_path: str | None) -> None:
    """Validate the register: syntax, duplicates, expired entries, and
    entries no rule flags any more (exit 2 invalid, 1 problems, 0 clean)."""
    from .claims import check_register, load_register

    plan = _plan_here(config_path)
    if register is not None:
        reg = load_register(register, register, plan.universe, plan.ruleset.fragments)
    elif plan.register is not None:
        reg = plan.register
    else:
        raise HealthlintError("no approved-claims register to check",
                              hint="name the file, or set approved-claims in the config")
    result = check_register(reg, plan)
    for p in result.problems:
        click.echo(f"{reg.path}:{p.line}:{p.col}: {p.message}")
    n = len(reg.claims)
    tail = f"{result.failing} to review" if result.failing else "all valid"
    click.echo(f"{reg.path}: {n} claim{'' if n == 1 else 's'}, {tail}.")
    ctx.exit(ExitCode.FINDINGS if result.failing else ExitCode.OK)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (never sys.exit)."""
    try:
        code = cli.main(args=list(argv) if argv is not None else None, prog_name="healthlint",
                        standalone_mode=False)
    except click.UsageError as exc:
        # One line, like the tool's own errors, naming where help is.
        where = exc.ctx.command_path if exc.ctx is not None else "healthlint"
        hint = f" (see '{where} --help')" if exc.ctx is not None else ""
        click.echo(f"{where}: error: {' '.join(exc.format_message().split())}{hint}", err=True)
        return ExitCode.USAGE
    except click.ClickException as exc:
        exc.show()
        return ExitCode.USAGE
    except click.Abort:
        click.echo("healthlint: aborted", err=True)
        return ExitCode.USAGE
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); silence the flush at exit.
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
        return ExitCode.FINDINGS
    return int(code or 0)


# gc thresholds of a command-line process and its workers: a young
# generation a hundred times the default, old ones collected rarely.
GC_THRESHOLDS = (70_000, 20, 20)


def run() -> None:
    """The console script and `python -m healthlint`: main(), then exit at
    once. Letting the interpreter free the compiled packs object by object
    took about 40 ms of a 200 ms single-file check (issue 6); by now every
    output file is closed and worker pools are joined, so only the standard
    streams need flushing."""
    import gc

    # A lint allocates millions of short-lived objects beside a compiled
    # rule set that lives as long as the process; the default thresholds
    # spent about 5 % of a one-worker run re-scanning it (issue 6).
    gc.set_threshold(*GC_THRESHOLDS)
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed or broken pipe: nothing more can be said there
    os._exit(code)
