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
