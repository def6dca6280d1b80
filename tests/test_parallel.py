"""`--jobs`: worker processes give the serial run's output, in its order
(issue 6). Behaviour only; nothing here is timed."""
from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint import parallel
from healthlint.cli import cli
from healthlint.runner import Options, Runner

CORPUS = Path(__file__).parent / "corpus" / "docs"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough real documents for workers to start, in nested folders."""
    root = tmp_path_factory.mktemp("site")
    docs = sorted(CORPUS.iterdir())[:40]
    for i, doc in enumerate(docs):
        folder = root / f"part{i % 3}"
        folder.mkdir(exist_ok=True)
        shutil.copy(doc, folder / doc.name)
    (root / "part0" / "unreadable.md").write_bytes(b"\xff\xfe\x00bad\x00")
    return root


def check(site: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", "--no-cache", *args, str(site)])
    return result.exit_code, result.output


def test_two_workers_print_exactly_what_one_prints(site):
    serial = check(site, "-j", "1")
    assert serial[0] == 1 and "HL" in serial[1]
    assert check(site, "-j", "2") == serial
    assert check(site, "-j", "3", "--format", "json") == check(site, "-j", "1", "--format", "json")


def test_reports_come_back_in_the_serial_order(site):
    serial = Runner(Options(jobs=1)).run([str(site)]).reports
    workers = Runner(Options(jobs=2)).run([str(site)]).reports
    assert [r.path for r in workers] == [r.path for r in serial]
    assert [r.findings for r in workers] == [r.findings for r in serial]
    assert [r.error for r in workers] == [r.error for r in serial]


def test_workers_started_fresh_load_the_same_rules(site, tmp_path, monkeypatch):
    # Where fork is unavailable (macOS, Windows) workers are spawned and
    # build their own plans; force that here.
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("spawn"))
    options = Options(jobs=2, cache_dir=str(tmp_path / "cache"))
    spawned = Runner(options).run([str(site)]).reports
    serial = Runner(Options(jobs=1)).run([str(site)]).reports
    assert [(r.path, r.findings, r.error) for r in spawned] == [(r.path, r.findings, r.error) for r in serial]


@pytest.mark.parametrize(("jobs", "files", "cores", "expected"), [
    (1, 500, 8, 1),            # -j 1: serial
    (4, 500, 8, 4),            # as asked
    (4, 10, 8, 2),             # never more workers than batches
    (0, 500, 2, 2),            # automatic: every core
    (0, parallel.MIN_FILES - 1, 8, 1),  # automatic, few files: serial
])
def test_worker_count(monkeypatch, jobs, files, cores, expected):
    monkeypatch.setattr(parallel, "available_cores", lambda: cores)
    assert parallel.workers_for(jobs, files) == expected


def _big_document(folder: Path) -> Path:
    """One Markdown file made of many real documents."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md"))[:12]]
    path = folder / "handbook.md"
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return path


def test_a_large_file_linted_alone_is_shared_among_workers(tmp_path, monkeypatch):
    from healthlint import engine

    big = _big_document(tmp_path)
    serial = Runner(Options(jobs=1)).run([str(big)]).reports
    monkeypatch.setattr(engine, "SPLIT_BYTES", 1000)  # this file counts as large
    monkeypatch.setattr(parallel, "available_cores", lambda: 8)
    splits = []
    lint_units = parallel.lint_units
    monkeypatch.setattr(parallel, "lint_units", lambda doc, rules, n: splits.append(n) or lint_units(doc, rules, n))
    shared = Runner(Options(jobs=0)).run([str(big)]).reports
    assert splits == [8]
    assert len(serial[0].findings) > 100
    assert shared[0].findings == serial[0].findings
    # -j 1 keeps it in one process.
    splits.clear()
    Runner(Options(jobs=1)).run([str(big)])
    assert splits == []


def test_a_rule_that_times_out_is_dropped_from_the_later_runs_of_units():
    parts = [(["a1", "b1"], ["A", "B"], set()),
             (["a2", "b2", "timeout-b"], ["A", "B", "B"], {"B"}),
             (["a3", "b3", "timeout-b"], ["A", "B", "B"], {"B"}),
             (["a4"], ["A"], set())]
    assert parallel.merge_runs(parts) == ["a1", "b1", "a2", "b2", "timeout-b", "a3", "a4"]
