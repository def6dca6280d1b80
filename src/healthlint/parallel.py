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

_RUNNER: Runner | None = None


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


def _context() -> Any:
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _start(options: Any, cwd: str | None) -> None:
    """Worker start-up: a forked worker already has the parent's runner."""
    global _RUNNER
    if _RUNNER is None:
        from .runner import Runner

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
