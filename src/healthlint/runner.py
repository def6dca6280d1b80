"""The glue between the command line and the engine.

Find the files, resolve each file's config (memoised per folder), load each
distinct rule set once, read and parse the document, lint it, then apply
selection, per-file ignores, severity overrides and inline suppressions.
Every file is handled on its own: nothing one file does changes another's
result, so pre-commit's batching cannot change the outcome (pre-commit#3104).
The runner never writes to a linted file.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping, Sequence

from .config import Config, ConfigResolver, PathPattern, matches_any, relative_to_root
from .errors import InputError
from .findings import FileReport, Finding, Severity
from .selection import Layer, RuleInfo, Selector, Universe, selected_codes, severity_overrides

if TYPE_CHECKING:
    from .document.encoding import Decoded
    from .document.model import Document
    from .packs import RuleSet

STDIN = "-"
STDIN_NAME = "<stdin>"
INCLUDE = (".md", ".markdown", ".mdx", ".html", ".htm", ".txt")
# Folders never entered while discovering files (explicit paths still work).
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox"})


@dataclass(frozen=True)
class Options:
    """What the command line (or an API caller) adds on top of config files."""

    config: str | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    report_unused_disables: bool | None = None
    force_exclude: bool = False
    stdin_filename: str | None = None
    # Issue 6: worker processes (0: one per core when there are many files)
    # and the cache folder (None: no caches; the CLI passes cache.default_dir()).
    jobs: int = 1
    cache_dir: str | None = None
    # False (--no-cache): files are linted afresh, and no result is read or
    # kept; compiled packs are still kept in `cache_dir`.
    cache_results: bool = True


@dataclass(frozen=True)
class Plan:
    """Everything needed to lint files under one config."""

    config: Config
    ruleset: RuleSet
    universe: Universe
    selected: frozenset[str]
    severities: Mapping[str, Severity]
    per_file: tuple[tuple[PathPattern, frozenset[str]], ...]
    fail_on: Severity
    report_unused: bool
    # The rules the engine runs: on by default or selected by name, and
    # matching the project's context gates.
    active: tuple[object, ...] = ()
    # The approved-claims register (claims.Register) named by the config's
    # `approved-claims`, loaded and checked against this plan's rules (issue 5).
    register: Any = None

    def ignored_for(self, path: str) -> frozenset[str]:
        """Codes `per-file-ignores` drops for `path` (every matching glob counts)."""
        rel = relative_to_root(path, self.config.root)
        codes: set[str] = set()
        for pattern, ignored in self.per_file:
            if pattern.matches(rel):
                codes |= ignored
        return frozenset(codes)


@dataclass(frozen=True)
class RunResult:
    reports: tuple[FileReport, ...]
    failing: int  # findings at or above their file's fail-on, plus unreadable files
    rules: tuple[object, ...]  # RuleSpecs of every rule set used, for reporters


def universe_of(ruleset: RuleSet) -> Universe:
    return Universe(RuleInfo(r.spec.code, r.spec.name, r.spec.category, r.spec.enabled) for r in ruleset.rules)


def cli_selectors(tokens: Iterable[str], flag: str, universe: Universe) -> tuple[Selector, ...]:
    out = []
    for token in tokens:
        sel = universe.resolve(token)
        if sel is None:
            raise InputError(f"unknown rule code, name, prefix or category {token!r} in {flag}",
                             hint=universe.suggest(token))
        out.append(sel)
    return tuple(out)


def check_options(options: Options) -> None:
    """Reject `--select ''` (or `--select ,`): it would run no rule and pass
    every file, so a script whose variable expanded empty would go green.
    Checked before any file is found, so an empty folder cannot hide it."""
    if options.select == () and not options.extend_select:
        raise InputError("--select names no rules, so none would run",
                         hint="give codes, names, prefixes or categories (ALL for every rule)")


def build_plan(config: Config, options: Options) -> Plan:
    from . import packs as packs_module
    from .packs import applicable, builtin_packs, load_ruleset

    packs_module.CACHE_DIR = options.cache_dir  # parsed built-in profiles (issue 6)
    packs = config.all_packs()
    # The rule set is cached per (packs, rules, base); a base only matters
    # for relative names, so configs that use none share one compiled set.
    local = config.rules or any(p not in builtin_packs() for p in packs)
    ruleset = load_ruleset(packs, config.rules, config.root if local else None, options.cache_dir)
    universe = universe_of(ruleset)
    layers = [Layer(None if config.select is None else config.selectors("select", universe),
                    config.selectors("extend-select", universe), config.selectors("ignore", universe))]
    if options.select is not None or options.extend_select or options.ignore:
        layers.append(Layer(
            None if options.select is None else cli_selectors(options.select, "--select", universe),
            cli_selectors(options.extend_select, "--extend-select", universe),
            cli_selectors(options.ignore, "--ignore", universe)))
    selected = selected_codes(universe, layers)
    per_file = tuple((PathPattern.compile(glob), frozenset(c for s in sels for c in s.codes))
                     for glob, sels in config.per_file_selectors(universe))
    report_unused = config.report_unused_disables if options.report_unused_disables is None \
        else options.report_unused_disables
    context = dict(config.context)
    active = tuple(r for r in ruleset.rules
                   if (r.spec.enabled or r.spec.code in selected) and applicable(r.spec, context))
    return Plan(config, ruleset, universe, selected,
                severity_overrides(config.severity_selectors(universe), universe.rules),
                per_file, options.fail_on or config.fail_on, report_unused, active,
                _register(config, universe, ruleset))


def _register(config: Config, universe: Universe, ruleset: RuleSet) -> Any:
    if not config.approved_claims:
        return None
    from .claims import load_register
    from .config import display_path as shown

    path = os.path.join(config.root, config.approved_claims)
    return load_register(path, shown(path), universe, ruleset.fragments)


# -- linting one document ---------------------------------------------------------

def _keep(findings: Iterable[Finding], plan: Plan, dropped: frozenset[str]) -> list[Finding]:
    out = []
    for f in findings:
        if f.code not in plan.selected or f.code in dropped:
            continue
        severity = plan.severities.get(f.code)
        out.append(f if severity is None or severity == f.severity else replace(f, severity=severity))
    return out


def lint_document(doc: Document, plan: Plan) -> list[Finding]:
    """Every finding healthlint reports for `doc` under `plan`, sorted, each
    with the fix it offers (issue 5); approved claims are left out."""
    return review_document(doc, plan)[0]


def review_document(doc: Document, plan: Plan, workers: int = 1) -> tuple[list[Finding], list[Finding]]:
    """(reported, approved): the findings of `doc` with their fixes, and those
    the approved-claims register covers; an expired approval is HL004 (issue 5).
    A large document is linted by up to `workers` processes."""
    from . import fixes

    found = _lint_unreviewed(doc, plan, workers)
    if plan.register is not None:  # the claims module loads only for a register
        from . import claims

        found, approved, expired = claims.review(doc, plan, found)
    else:
        approved, expired = [], []
    found.extend(_keep(expired, plan, plan.ignored_for(doc.path)))
    found.sort(key=lambda f: (f.line, f.column, f.code, f.end))
    return fixes.attach(doc, plan, found), approved


def _lint_unreviewed(doc: Document, plan: Plan, workers: int = 1) -> list[Finding]:
    from . import suppress
    from .engine import lint

    dropped = plan.ignored_for(doc.path)
    # The engine sees every active rule, selected or not: the consult rule
    # depends on what the unit rules found even when those are not displayed.
    found = _keep(lint(doc, plan.active, workers), plan, dropped)
    kept, about = suppress.apply(doc, found, plan.universe, plan.report_unused)
    kept.extend(_keep(about, plan, dropped))
    kept.sort(key=lambda f: (f.line, f.column, f.code, f.end))
    return kept


# -- reading ---------------------------------------------------------------------

# Larger files are skipped with a note rather than linted: a 50 MB export
# would hold a CI job for most of an hour (issue 7). 0 turns the limit off.
MAX_FILE_SIZE = 10 * 1024 * 1024
MAX_FILE_SIZE_ENV = "HEALTHLINT_MAX_FILE_SIZE"


class FileTooLarge(ValueError):
    """A file over the size limit; the message says how to lint it anyway."""


def max_file_size() -> int:
    """The size limit in bytes: $HEALTHLINT_MAX_FILE_SIZE if it is a number, else 10 MiB."""
    value = os.environ.get(MAX_FILE_SIZE_ENV, "").strip()
    return int(value) if value.isdigit() else MAX_FILE_SIZE


def _check_size(size: int, limit: int, known: bool = True) -> None:
    """Raise FileTooLarge when `size` bytes are over `limit` (`known`: the
    whole file's size, not just what was read of a device or pipe)."""
    if limit and size > limit:
        amount = f"{_size(size)}; the limit is" if known else "over the limit of"
        raise FileTooLarge(f"file too large ({amount} {_size(limit)}); skipped; "
                           f"exclude it, or set {MAX_FILE_SIZE_ENV}=0 to lint it anyway")


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size} bytes"
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"


def read_bytes(path: str) -> bytes:
    """The bytes of the file at `path`, size-checked before reading.

    Opened non-blocking so a named pipe without a writer reads as empty
    instead of hanging, and read up to the limit so a link to /dev/zero
    ends as "too large" (issue 7: nothing hangs)."""
    limit = max_file_size()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with open(fd, "rb") as fh:
        st = os.fstat(fd)
        regular = stat.S_ISREG(st.st_mode)
        if regular:
            _check_size(st.st_size, limit)
            # Asking for the whole limit would allocate that much for every
            # file (10 MB per read: most of a cached re-run's reading time);
            # a file that grew since fstat is read on to the limit.
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += fh.read(limit + 1 - len(data)) if limit else fh.read()
        else:
            if hasattr(os, "O_NONBLOCK"):
                os.set_blocking(fd, True)  # a writer that is there may be slow
            data = fh.read(limit + 1) if limit else fh.read()
    _check_size(len(data), limit, known=regular)
    return data


def _stat_of(path: str) -> tuple[int, ...]:
    """(size, mtime in ns, inode) of a regular file; () otherwise."""
    try:
        st = os.stat(path)
    except OSError:
        return ()
    return (st.st_size, st.st_mtime_ns, st.st_ino) if stat.S_ISREG(st.st_mode) else ()


def decode_source(data: bytes) -> Decoded:
    """Text, BOM flag and an optional note (see document/encoding.py);
    raises BinaryFile or FileTooLarge (both ValueErrors)."""
    from .document.encoding import decode_file

    _check_size(len(data), max_file_size())
    return decode_file(data)


def decode_bytes(data: bytes) -> tuple[str, bool]:
    """(text, had_bom) of file bytes; the note, if any, is dropped."""
    decoded = decode_source(data)
    return decoded.text, decoded.bom


def parse(text: str, path: str, syntax: str | None = None, bom: bool = False,
          html_metadata: bool = False) -> Document:
    from .document import SYNTAXES, parse_document

    if syntax is not None and syntax not in SYNTAXES:
        raise InputError(f"unknown syntax {syntax!r}", hint="use " + ", ".join(SYNTAXES))
    doc = parse_document(text, path, syntax, html_metadata)
    return replace(doc, bom=True) if bom else doc


def printable_path(path: str) -> str:
    """`path` as output shows it: a file name that is not valid UTF-8 (an
    undecodable byte arrives as a lone surrogate) gets U+FFFD there, so no
    output format, file or terminal chokes on it (issue 7)."""
    if path.isascii():
        return path
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file system produced
        raw = path.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def printable_reports(reports: Sequence[FileReport]) -> list[FileReport]:
    """`reports` with printable paths, for the reporters. Reports keep the
    real path, which reading and fixing the file need."""
    out = []
    for r in reports:
        shown = printable_path(r.path)
        if shown != r.path:
            r = replace(r, path=shown, findings=tuple(replace(f, path=printable_path(f.path)) for f in r.findings))
        out.append(r)
    return out


def _read_error(exc: Exception, path: str = "") -> str:
    """One line saying why `path` could not be read."""
    if isinstance(exc, OSError):
        if exc.errno == errno.ELOOP:
            return "cannot read: a symbolic link loop; skipped"
        if exc.errno == errno.ENOENT and path and os.path.islink(path):
            return f"cannot read: broken symbolic link to {os.readlink(path)!r}; skipped"
        if exc.errno == errno.EISDIR:
            return "cannot read: it is a folder; skipped"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "cannot read: permission denied; skipped; check its permissions"
        return f"cannot read: {exc.strerror or exc}; skipped"
    return str(exc)


def _internal_error(exc: Exception) -> str:
    return (f"internal error while linting this file ({type(exc).__name__}: {exc}); the other files were "
            f"linted; this is a bug in healthlint, please report it (HEALTHLINT_DEBUG=1 prints a traceback)")


# -- discovery ---------------------------------------------------------------------

@lru_cache(maxsize=64)
def _patterns(globs: tuple[str, ...]) -> tuple[PathPattern, ...]:
    return tuple(PathPattern.compile(g) for g in globs)


def _excluded(path: str, config: Config, is_dir: bool = False) -> bool:
    if not config.exclude:
        return False
    return matches_any(_patterns(config.exclude), relative_to_root(path, config.root), is_dir)


def _walk(folder: str, resolver: ConfigResolver) -> Iterator[str]:
    # A folder that cannot be listed is yielded like a file, so reading it
    # reports why (os.walk would skip it without a word; issue 7).
    unlisted: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(folder, onerror=unlisted.append):
        dirnames[:] = sorted(
            d for d in dirnames
            if d not in SKIP_DIRS and not _excluded(os.path.join(dirpath, d), resolver.for_dir(dirpath), True))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if not name.lower().endswith(INCLUDE) or _special(path):
                continue
            if not _excluded(path, resolver.for_file(path)):
                yield path
    yield from (os.fspath(exc.filename) for exc in unlisted if exc.filename)


def _special(path: str) -> bool:
    """A named pipe, socket or device (or a link to one) found in a folder:
    never opened, since a pipe whose writer stays silent blocks the read
    forever (issue 7). A name that cannot be stat'ed (a broken link) is
    not special: reading it says what is wrong."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def discover(paths: Sequence[str], resolver: ConfigResolver, force_exclude: bool = False,
             stdin_filename: str | None = None) -> list[str]:
    """The files to lint, in a stable order, each once. Folders recurse over
    the default include patterns, honouring `exclude`; explicit files (and
    stdin's name) are linted as given unless `force_exclude`, since
    pre-commit passes file names (ruff's --force-exclude)."""
    for p in paths:
        # A broken link or a link loop exists as a name: it is reported when
        # read, and the other files are still linted (issue 7).
        if p != STDIN and not os.path.lexists(p):
            raise InputError("no such file or folder", p, hint="check the path")
    # Keyed by absolute path so "a.md", "./a.md" and "/abs/a.md" are linted
    # once, under the spelling given first.
    out: dict[str, str] = {}
    for p in paths:
        if p == STDIN:
            name = stdin_filename or STDIN_NAME
            if not (force_exclude and stdin_filename and _excluded(name, resolver.for_file(name))):
                out.setdefault(STDIN, STDIN)
        elif os.path.isdir(p):
            for f in _walk(p, resolver):
                out.setdefault(os.path.abspath(f), os.path.normpath(f))
        elif not (force_exclude and _excluded(p, resolver.for_file(p))):
            out.setdefault(os.path.abspath(p), os.path.normpath(p))
    return list(out.values())


# -- the run --------------------------------------------------------------------

class Runner:
    """Lints files under per-file configs, building each Plan once."""

    def __init__(self, options: Options | None = None, cwd: str | None = None) -> None:
        self.options = options or Options()
        check_options(self.options)
        self.cwd = cwd
        self.resolver = ConfigResolver(self.options.config, cwd)
        self._plans: dict[Config, Plan] = {}
        self._plan_ids: dict[int, tuple[Config, Plan]] = {}
        # cache.Results per plan (issue 6), by identity: plans live as long
        # as the runner.
        self._results: dict[int, Any] = {}
        # Processes a large file's units may be shared among: set while
        # files are linted one after another in this process, never inside
        # a worker of the file pool (issue 6).
        self.unit_workers = 1

    def plan_for(self, config: Config) -> Plan:
        # Files of one folder share their Config object; hashing a Config
        # (every field) for each of them cost a cached re-run 8 %.
        hit = self._plan_ids.get(id(config))
        if hit is not None and hit[0] is config:
            return hit[1]
        if config not in self._plans:
            self._plans[config] = build_plan(config, self.options)
        self._plan_ids[id(config)] = (config, self._plans[config])
        return self._plans[config]

    def lint_file(self, path: str, data: bytes | None = None) -> tuple[FileReport, Plan]:
        """Lint the file at `path` (or `data` read from stdin under that name)."""
        plan = self.plan_for(self.resolver.for_file(path))
        try:
            decoded = decode_source(read_bytes(path) if data is None else data)
        except (OSError, ValueError) as exc:
            return FileReport(path, error=_read_error(exc, path)), plan
        try:
            report = self.lint_source(path, decoded.text, decoded.bom, plan)
        except Exception as exc:  # noqa: BLE001 - one file's bug must not stop the run (issue 7)
            if os.environ.get("HEALTHLINT_DEBUG") == "1":
                raise
            return FileReport(path, error=_internal_error(exc), source=decoded.text), plan
        # A note (bad bytes read as U+FFFD, a legacy encoding) is the report's
        # error: printed on stderr and failing the run, next to the findings.
        return replace(report, error=decoded.note), plan

    def lint_source(self, path: str, text: str, bom: bool = False, plan: Plan | None = None) -> FileReport:
        """Lint decoded `text` as the file at `path`; the fix loop re-lints
        fixed text through here, in memory (issue 5)."""
        plan = plan or self.plan_for(self.resolver.for_file(path))
        doc = parse(text, path, bom=bom, html_metadata=plan.config.html_metadata)
        found, approved = review_document(doc, plan, self.unit_workers)
        return FileReport(path, tuple(found), source=text, approved=tuple(approved))

    # -- the results cache and worker processes (issue 6) --------------------------

    def _results_for(self, plan: Plan) -> Any:
        """The results cache of `plan`, or None when caching is off."""
        if self.options.cache_dir is None or not self.options.cache_results or not plan.ruleset.key:
            return None
        results = self._results.get(id(plan))
        if results is None:
            from . import cache

            results = self._results[id(plan)] = cache.results_for(plan, self.options)
        return results

    def lint_uncached(self, path: str) -> tuple[FileReport, bytes | None]:
        """lint_file, and the digest of the content linted (None if unread)."""
        from .cache import digest

        try:
            data = read_bytes(path)
        except (OSError, ValueError):
            return self.lint_file(path)[0], None
        return self.lint_file(path, data)[0], digest(data)

    def _is_cached(self, path: str) -> bool:
        """Whether `path` looks unchanged since its cached result. A file
        whose size, mtime and inode match is not read here (`_cached` reads
        it once, and relints it if its content differs after all); one that
        only lost its times (a checkout) is read and its content compared."""
        cache = self._results_for(self.plan_for(self.resolver.for_file(path)))
        if cache is None:
            return False
        name = os.path.abspath(path)
        recorded = cache.recorded_stat(name)
        if recorded is None:  # never linted: reading it would tell nothing
            return False
        seen = _stat_of(path)
        if seen and seen == recorded:
            return True
        from .cache import digest

        try:
            data = read_bytes(path)
        except (OSError, ValueError):
            return False
        content = digest(data)
        if not cache.has(name, content):
            return False
        if seen:
            cache.restat(name, content, seen)
        return True

    def _cached(self, path: str) -> tuple[FileReport | None, Any]:
        """A report from the results cache, if the file is unchanged."""
        cache = self._results_for(self.plan_for(self.resolver.for_file(path)))
        if cache is None:
            return None, None
        from .cache import digest

        try:
            data = read_bytes(path)
        except (OSError, ValueError):
            return None, cache
        hit = cache.get(os.path.abspath(path), digest(data))
        if hit is None:
            return None, cache
        return replace(hit, source=decode_source(data).text), cache

    def report_name(self, path: str) -> str:
        """The path a file's report carries (stdin's under its given name)."""
        return self.options.stdin_filename or STDIN_NAME if path == STDIN else path

    def _plan_of(self, path: str) -> Plan:
        return self.plan_for(self.resolver.for_file(self.report_name(path)))

    def stream(self, files: Sequence[str], stdin: bytes | None = None) -> Iterator[tuple[FileReport, Plan]]:
        """Each file's report and plan, sorted by report path, as soon as it
        is ready: cached ones from the cache, the rest here or on worker
        processes (--jobs). Nothing is kept once yielded, so memory does not
        grow with the corpus (issue 6)."""
        from .parallel import lint_paths, unit_workers_for, workers_for

        # Reports come out sorted by path; sorting the files (stably) first
        # gives that order without holding any report back.
        files = sorted(files, key=self.report_name)
        todo = [p for p in files if p != STDIN and not self._is_cached(p)]
        workers = workers_for(self.options.jobs, len(todo))
        self.unit_workers = 1 if workers > 1 else unit_workers_for(self.options.jobs)
        done = iter(lint_paths(self, todo, workers) if workers > 1 else map(self.lint_uncached, todo))
        pending = set(todo)
        for path in files:
            if path == STDIN:
                report = self.lint_file(self.report_name(path), stdin if stdin is not None else b"")[0]
            elif path in pending:
                cache = self._results_for(self._plan_of(path))
                # A file edited between its read and this stat is stored with
                # a stale hint; `_cached` compares content, so it is relinted.
                seen = _stat_of(path) if cache is not None else ()
                report = _kept(cache, path, *next(done), seen)
            else:
                report, cache = self._cached(path)
                if report is None:  # changed since it was looked up: lint it now
                    seen = _stat_of(path)
                    report = _kept(cache, path, *self.lint_uncached(path), seen)
            yield report, self._plan_of(path)
        for cache in self._results.values():
            cache.save()

    def files(self, paths: Sequence[str]) -> list[str]:
        return discover(paths, self.resolver, self.options.force_exclude, self.options.stdin_filename)

    def rules_of(self, files: Sequence[str]) -> tuple[object, ...]:
        """RuleSpecs of every rule set `files` use, for reporters."""
        rules: dict[str, object] = {}
        seen: set[int] = set()  # plans live as long as the runner
        for path in files:
            plan = self._plan_of(path)
            if id(plan) not in seen:
                seen.add(id(plan))
                rules.update((r.spec.code, r.spec) for r in plan.ruleset.rules)
        return tuple(rules.values())

    def run(self, paths: Sequence[str], stdin: bytes | None = None,
            sink: Callable[[FileReport], None] | None = None, files: Sequence[str] | None = None) -> RunResult:
        """Lint `paths` (`files`: their `files()`, when the caller has them).
        With a `sink`, each report goes to it as soon as it is ready, in
        order, and the result holds no reports (issue 6)."""
        files = self.files(paths) if files is None else files
        rules = self.rules_of(files)
        reports: list[FileReport] = []
        failing = 0
        for report, plan in self.stream(files, stdin):
            if sink is None:
                reports.append(report)
            else:
                sink(report)
            failing += failures(report, plan)
        return RunResult(tuple(reports), failing, rules)


def _kept(cache: Any, path: str, report: FileReport, content: bytes | None, seen: tuple[int, ...]) -> FileReport:
    """`report`, put in the results `cache` (if any) when it is a clean lint
    of the file whose digest is `content` and whose stat was `seen`."""
    if cache is not None and content is not None and report.error is None:
        cache.put(os.path.abspath(path), content, replace(report, source=None), seen)
    return report


def failures(report: FileReport, plan: Plan) -> int:
    """What `report` adds to a run's failing count."""
    return 1 if report.error else sum(f.severity >= plan.fail_on for f in report.findings)
