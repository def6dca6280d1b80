"""Lint many files on several processes, with results in the serial order.

`--jobs N` (issue 6). The default is one worker per available core once a
run has enough files to repay starting them (MIN_FILES); fewer files, or
one core, run in this process. Workers get batches of file indexes and
send back each file's report, which the parent puts back in order, so the
output is identical to a serial run. On POSIX the workers are forked after
the parent has built its plans (the compiled rule sets are shared, not
rebuilt); elsewhere they start fresh and load the compiled-pack cache.
Each file is linted on its own either way (no cross-file state), so how
the files are batched cannot change a result.
"""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, Iterator, Sequence

if TYPE_CHECKING:
    from .runner import Runner

# Below this many files to lint, starting workers costs more than it saves.
MIN_FILES = 16
# Files per task: small enough to balance the load, large enough that
# sending the task and its reports is cheap next to linting it.
BATCH_FILES = 8
# Batches queued per worker: enough that a worker never waits for the
# parent, few enough that memory stays flat.
AHEAD = 4

# Runs of units per worker when one document is split: several, so that a
# worker given a dense stretch of copy does not hold up the rest.
CHUNKS_PER_WORKER = 4

_RUNNER: Runner | None = None
# (document, rules) while one document's units are linted by forked workers.
_UNITS: tuple[Any, Any] | None = None


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def workers_for(jobs: int | None, files: int) -> int:
    """How many processes lint `files` files: `jobs` if given (0 or None:
    automatic), never more than there are batches."""
    if jobs is None or jobs <= 0:
        jobs = available_cores() if files >= MIN_FILES else 1
    return max(1, min(jobs, -(-files // BATCH_FILES)))


def unit_workers_for(jobs: int | None) -> int:
    """How many processes may share the units of one large file when files
    are linted one at a time: `jobs`, or every core (0 or None)."""
    return available_cores() if jobs is None or jobs <= 0 else jobs


def _context() -> Any:
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _start(options: Any, cwd: str | None) -> None:
    """Worker start-up: a forked worker already has the parent's runner."""
    global _RUNNER
    if _RUNNER is None:  # spawned: started as a fresh interpreter
        import gc

        from .cli import GC_THRESHOLDS
        from .runner import Runner

        gc.set_threshold(*GC_THRESHOLDS)

        _RUNNER = Runner(options, cwd)


def _lint_batch(batch: Sequence[str]) -> list[tuple[Any, bytes | None]]:
    assert _RUNNER is not None
    return [_RUNNER.lint_uncached(path) for path in batch]


def lint_paths(runner: Runner, paths: Sequence[str], workers: int) -> Iterator[tuple[Any, bytes | None]]:
    """(report, content digest) for each of `paths`, in order, linted by
    `workers` processes, each yielded as soon as it and those before it are
    done. At most AHEAD batches per worker are in flight, so reports the
    caller has not taken yet cannot pile up (issue 6)."""
    global _RUNNER
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    batches = [paths[i:i + BATCH_FILES] for i in range(0, len(paths), BATCH_FILES)]
    context = _context()
    _RUNNER = runner if context.get_start_method() == "fork" else None
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                                 initargs=(runner.options, runner.cwd)) as pool:
            ahead: deque[Any] = deque()
            for batch in batches:
                ahead.append(pool.submit(_lint_batch, batch))
                if len(ahead) >= AHEAD * workers:
                    yield from ahead.popleft().result()
            while ahead:
                yield from ahead.popleft().result()
    finally:
        _RUNNER = None


def lint_units(doc: Any, rules: Any, workers: int) -> list[Any]:
    """The findings of all of `doc`'s units, exactly as one pass of
    engine.unit_range over them gives, from runs of units linted by
    `workers` forked processes. The workers inherit the document and the
    compiled rules rather than receive them, so this splits only where
    processes fork; elsewhere the document is linted here."""
    global _UNITS
    from concurrent.futures import ProcessPoolExecutor

    from .engine import unit_range

    n = len(doc.units)
    context = _context()
    if context.get_start_method() != "fork" or n < 2 * workers:
        return unit_range(doc, rules, 0, n)[0]
    runs = workers * CHUNKS_PER_WORKER
    bounds = [n * k // runs for k in range(runs + 1)]
    # A forked worker flushes its copy of the standard streams when it exits.
    sys.stdout.flush()
    sys.stderr.flush()
    _UNITS = (doc, rules)
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            parts = list(pool.map(_lint_run, bounds[:-1], bounds[1:]))
    finally:
        _UNITS = None
    return merge_runs(parts)


def merge_runs(parts: Sequence[tuple[list[Any], list[str], set[str]]]) -> list[Any]:
    """The findings of consecutive runs of units (each: its findings, the
    rule code behind each, the rules that timed out in it) as one pass
    would give them: a rule that timed out is skipped for the rest of the
    document, so what later runs found with it is dropped."""
    found: list[Any] = []
    stopped: set[str] = set()
    for part, owners, timed_out in parts:
        if stopped:
            found.extend(f for f, code in zip(part, owners) if code not in stopped)
        else:
            found.extend(part)
        stopped |= timed_out
    return found


def _lint_run(lo: int, hi: int) -> tuple[list[Any], list[str], set[str]]:
    from .engine import unit_range

    assert _UNITS is not None
    doc, rules = _UNITS
    owners: list[str] = []
    found, timed_out = unit_range(doc, rules, lo, hi, owners)
    return found, owners, timed_out
