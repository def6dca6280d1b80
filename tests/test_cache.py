"""The compiled-pack and results caches (issue 6): the same findings with
and without them, invalidation when a file, the config or a pack changes,
and damaged entries ignored. Behaviour only; nothing here is timed."""
from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint import cache
from healthlint.cli import cli
from healthlint.packs import load_ruleset

DOSE = "# Sleep\n\nTake 500 mg of magnesium every night before bed.\n\nIt is a miracle cure for insomnia.\n"
CLEAN = "# Sleep\n\nMagnesium is a mineral found in nuts and seeds.\n"


def check(folder: Path, cache_dir: Path | None, *args: str) -> str:
    env = {"HEALTHLINT_CACHE_DIR": str(cache_dir)} if cache_dir else {}
    flags = [] if cache_dir else ["--no-cache"]
    result = CliRunner().invoke(cli, ["check", "-j", "1", *flags, *args, str(folder)], env=env)
    assert result.exit_code in (0, 1), result.output
    return result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    (root / "a.md").write_text(DOSE, encoding="utf-8")
    (root / "b.md").write_text(CLEAN, encoding="utf-8")
    (root / "c.txt").write_text("Guaranteed results or your money back. Doctors recommend it.\n", encoding="utf-8")
    return root


def results_files(cache_dir: Path) -> list[Path]:
    return sorted(cache_dir.glob("*/results/*/*.pickle"))


def test_cached_run_reports_exactly_what_an_uncached_run_reports(project, tmp_path):
    store = tmp_path / "cache"
    plain = check(project, None)
    first = check(project, store)
    assert results_files(store), "the first run fills the results cache"
    second = check(project, store)
    assert plain == first == second
    assert "HL101" in plain


def test_a_changed_file_is_linted_again(project, tmp_path):
    store = tmp_path / "cache"
    check(project, store)
    (project / "b.md").write_text(CLEAN + "\nThis miracle blend cures anxiety.\n", encoding="utf-8")
    assert check(project, store) == check(project, None)
    assert "b.md" in check(project, store)


def test_a_changed_config_is_not_served_old_results(project, tmp_path):
    store = tmp_path / "cache"
    config = project / ".healthlint.yaml"
    config.write_text("ignore: [dose]\n", encoding="utf-8")
    without_dose = check(project, store)
    assert "HL101" not in without_dose
    config.write_text("ignore: [hype]\n", encoding="utf-8")
    with_dose = check(project, store)
    assert "HL101" in with_dose and with_dose == check(project, None)


def test_command_line_selection_is_part_of_the_key(project, tmp_path):
    store = tmp_path / "cache"
    check(project, store)
    assert check(project, store, "--select", "hype") == check(project, None, "--select", "hype")


def test_damaged_entries_are_ignored_and_rebuilt(project, tmp_path):
    store = tmp_path / "cache"
    expected = check(project, store)
    branches = sorted(store.glob("*/regex/*.pickle"))
    assert branches, "pack patterns compiled in the run are kept"
    damaged = results_files(store) + sorted(store.glob("*/packs/*.pickle")) + branches
    for path in damaged:
        path.write_bytes(b"\x80\x05not a pickle at all")
    assert check(project, store) == expected
    for path in results_files(store):
        assert cache.read(path) is not None, "a damaged table is replaced"


def _as_a_new_process_that_must_not_compile(store: Path, monkeypatch) -> None:
    """Results deleted, nothing compiled in memory, and any pack pattern
    compiled from here on fails the test."""
    from healthlint.packs import _load_ruleset
    from healthlint.rules import scanner

    for path in results_files(store):
        path.unlink()
    _load_ruleset.cache_clear()
    scanner.compile_regex.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("a pack pattern was compiled again")

    monkeypatch.setattr(scanner.regex, "compile", refuse)


def test_pack_patterns_compiled_by_one_run_are_not_compiled_by_the_next(project, tmp_path, monkeypatch):
    from healthlint.packs import _load_ruleset

    store = tmp_path / "cache"
    expected = check(project, store)
    _as_a_new_process_that_must_not_compile(store, monkeypatch)
    assert check(project, store) == expected
    _load_ruleset.cache_clear()


def test_no_cache_lints_every_file_afresh_but_keeps_the_compiled_packs(project, tmp_path, monkeypatch):
    # `--no-cache` is about results, as in ruff: recompiling the packs on
    # every such run cost seconds and could not change a finding, since
    # their entries are named by the pack sources and healthlint's code.
    from healthlint import runner
    from healthlint.packs import _load_ruleset

    store = tmp_path / "cache"
    expected = check(project, store)
    assert results_files(store)

    def no_cache_run() -> str:
        result = CliRunner().invoke(cli, ["check", "-j", "1", "--no-cache", str(project)],
                                    env={"HEALTHLINT_CACHE_DIR": str(store)})
        assert result.exit_code == 1, result.output
        return result.output

    parsed: list[str] = []
    real = runner.parse
    monkeypatch.setattr(runner, "parse", lambda text, path, *a, **k: parsed.append(os.path.basename(path))
                        or real(text, path, *a, **k))
    assert no_cache_run() == expected
    assert sorted(parsed) == ["a.md", "b.md", "c.txt"], "cached results were used"

    _as_a_new_process_that_must_not_compile(store, monkeypatch)
    assert no_cache_run() == expected
    assert not results_files(store), "--no-cache kept results"
    _load_ruleset.cache_clear()


@pytest.mark.skipif(importlib.util.find_spec("re2") is None, reason="google-re2 is not installed")
def test_relaxed_re2_checks_worked_out_by_one_run_are_kept_for_the_next(project, tmp_path, monkeypatch):
    from healthlint.packs import _load_ruleset
    from healthlint.rules import relax, scanner

    # RE2 checks from the first text on (normally after a few hundred).
    monkeypatch.setattr(scanner, "RE2_AFTER", -1)
    monkeypatch.setattr(scanner, "RE2_CHARS_PER_TRY", 1 << 30)
    store = tmp_path / "cache"
    _load_ruleset.cache_clear()
    expected = check(project, store)
    assert list(store.glob("*/regex/relaxed-*.pickle"))
    for path in results_files(store):
        path.unlink()
    _load_ruleset.cache_clear()

    def refuse(source):
        raise AssertionError("a relaxed check was worked out again")

    monkeypatch.setattr(relax, "relax", refuse)
    assert check(project, store) == expected
    _load_ruleset.cache_clear()


def test_cache_dir_option_and_clean(project, tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "env-cache"))
    chosen = tmp_path / "chosen"
    result = CliRunner().invoke(cli, ["check", "-j", "1", "--cache-dir", str(chosen), str(project)])
    assert result.exit_code == 1 and results_files(chosen) and not (tmp_path / "env-cache").exists()
    result = CliRunner().invoke(cli, ["clean", "--cache-dir", str(chosen)])
    assert result.exit_code == 0 and result.output.startswith(f"Removed {chosen} (")
    assert not chosen.exists()
    result = CliRunner().invoke(cli, ["clean", "--cache-dir", str(chosen)])
    assert (result.exit_code, result.output) == (0, f"No healthlint cache at {chosen}.\n")


def test_clean_refuses_a_folder_healthlint_did_not_make(tmp_path):
    """$HEALTHLINT_CACHE_DIR set to the wrong folder must not cost its files."""
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli, ["clean"], env={"HEALTHLINT_CACHE_DIR": str(tmp_path)})
    assert result.exit_code == 2
    assert result.output.endswith(f"{tmp_path}: not a healthlint cache (it has no CACHEDIR.TAG written by "
                                  "healthlint); nothing removed\n")
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_severities_round_trip_through_the_cache_on_every_python(tmp_path):
    """Python 3.11.2 (Debian 12's) pickles an enum member as getattr(cls,
    name), which the restricted unpickler refuses: no compiled pack or
    cached result was ever read back there."""
    from healthlint.findings import Severity

    path = tmp_path / "entry.pickle"
    assert cache.write(path, {"severity": Severity.WARNING})
    assert b"getattr" not in path.read_bytes()
    assert cache.read(path) == {"severity": Severity.WARNING}


def test_a_cache_file_naming_foreign_code_is_refused(tmp_path):
    path = tmp_path / "evil.pickle"
    path.write_bytes(pickle.dumps(os.system))  # a global outside healthlint
    assert cache.read(path) is None
    path.write_bytes(pickle.dumps({"ok": (1, "two", frozenset({3}))}))
    assert cache.read(path) == {"ok": (1, "two", frozenset({3}))}


@pytest.mark.parametrize("module, name", [("healthlint.cache", "os.system"), ("healthlint.cache", "key_of")])
def test_a_cache_file_cannot_reach_code_through_a_healthlint_module(tmp_path, module, name):
    # GLOBAL 'module name', then call it with one string argument: any
    # name in a healthlint module used to be allowed, the os module that
    # cache.py imports and its functions included.
    crafted = (b"\x80\x04c" + module.encode() + b"\n" + name.encode() + b"\n"
               + b"\x8c\x04true\x85R.")
    path = tmp_path / "evil.pickle"
    path.write_bytes(crafted)
    assert cache.read(path) is None


def test_entries_of_concurrent_runs_are_merged_not_lost(tmp_path):
    one = cache.Results(str(tmp_path), "k")
    two = cache.Results(str(tmp_path), "k")
    one.put("a.md", b"1", "report a")
    two.put("b.md", b"2", "report b")
    one.save()
    two.save()  # re-reads the table before replacing it
    fresh = cache.Results(str(tmp_path), "k")
    assert fresh.get("a.md", b"1") == "report a"
    assert fresh.get("b.md", b"2") == "report b"
    assert fresh.get("a.md", b"other content") is None
    assert not list(tmp_path.rglob(".tmp-*")), "no temporary files are left behind"


def test_an_unwritable_cache_folder_only_costs_speed(project, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    assert check(project, blocker) == check(project, None)


RULES = """
rules:
  - code: T101
    name: wonder
    category: hype
    type: existence
    message: "'{match}' is hype"
    patterns: ['\\\\bwonder (?:herb|drug)s?\\\\b', '\\\\bmiracle\\\\b']
    examples: {flag: [a wonder herb], pass: [a herb]}
"""


def test_compiled_packs_are_reused_and_rebuilt_when_a_rule_file_changes(tmp_path):
    rules = tmp_path / "house.yaml"
    rules.write_text(textwrap.dedent(RULES), encoding="utf-8")
    store = str(tmp_path / "cache")
    first = load_ruleset((), (str(rules),), None, store)
    assert first.key and list(Path(store).glob("*/packs/*.pickle"))
    from healthlint.packs import _load_ruleset

    _load_ruleset.cache_clear()
    again = load_ruleset((), (str(rules),), None, store)
    assert again.key == first.key
    assert [r.spec.code for r in again.rules] == ["T101"]
    rules.write_text(textwrap.dedent(RULES).replace("T101", "T102"), encoding="utf-8")
    _load_ruleset.cache_clear()
    changed = load_ruleset((), (str(rules),), None, store)
    assert changed.key != first.key and [r.spec.code for r in changed.rules] == ["T102"]


def test_linting_one_file_reads_one_shard_of_the_results(tmp_path, monkeypatch):
    # An editor or a pre-commit hook lints one file of a large project: it
    # must not load every file's cached results to do so.
    root = tmp_path / "site"
    for n in range(200):
        (root / f"part{n % 4}").mkdir(parents=True, exist_ok=True)
        (root / f"part{n % 4}" / f"page{n}.md").write_text(f"# Page {n}\n\nTake 5 mg daily.\n", encoding="utf-8")
    store = tmp_path / "cache"
    check(root, store)
    total = sum(p.stat().st_size for p in results_files(store))
    read = []
    real_read = cache.read
    monkeypatch.setattr(cache, "read", lambda path: read.append(str(path)) or real_read(path))
    one = root / "part1" / "page5.md"
    one.write_text("# Page 5\n\nTake 10 mg daily.\n", encoding="utf-8")
    assert "HL101" in check(one, store)
    loaded = {p for p in read if os.sep + "results" + os.sep in p}
    assert loaded and sum(os.path.getsize(p) for p in loaded) < total / 8


def test_a_long_run_writes_its_results_as_it_goes(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "FLUSH_BYTES", 64)
    results = cache.Results(str(tmp_path), "k")
    # Entries are compressed: a report that stays over 64 bytes.
    report = " ".join(hashlib.sha256(bytes([n])).hexdigest() for n in range(4))
    results.put("a.md", b"1", report)
    assert not results.dirty, "held no longer than FLUSH_BYTES"
    results.put("b.md", b"2", "b")  # small: held until save
    assert cache.Results(str(tmp_path), "k").get("a.md", b"1") == report
    assert cache.Results(str(tmp_path), "k").get("b.md", b"2") is None
    results.save()
    fresh = cache.Results(str(tmp_path), "k")
    assert (fresh.get("a.md", b"1"), fresh.get("b.md", b"2")) == (report, "b")
    assert results.get("a.md", b"1") == report, "a written shard is read again when asked for"


def test_new_results_wait_for_the_flush_compressed(project, tmp_path):
    # A one-process run over 2,000 articles held 14 MB of pickled reports
    # until its flush; compressed, a third of that (issue 6).
    from healthlint.runner import Options, Runner

    article = project / "long.md"
    article.write_text("# Sleep\n" + "".join(f"\nTake {n}00 mg of magnesium every night. It is a miracle cure for insomnia.\n"
                                            for n in range(1, 13)), encoding="utf-8")
    runner = Runner(Options(cache_dir=str(tmp_path / "cache")))
    report, _ = runner.lint_file(str(article))
    assert len(report.findings) >= 24
    report = replace(report, source=None)
    results = cache.Results(str(tmp_path), "k")
    results.put("b.md", b"1", report)
    (held,) = (entry[1] for table in results.dirty.values() for entry in table.values())
    assert len(held) < len(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL)) * 0.6
    results.save()
    assert cache.Results(str(tmp_path), "k").get("b.md", b"1") == report


def _counting_reads(monkeypatch) -> list[str]:
    from healthlint import runner

    reads: list[str] = []
    real = runner.read_bytes
    monkeypatch.setattr(runner, "read_bytes", lambda path: reads.append(os.path.basename(path)) or real(path))
    return reads


def test_a_cached_re_run_reads_each_unchanged_file_once(project, tmp_path, monkeypatch):
    store = tmp_path / "cache"
    first = check(project, store)
    reads = _counting_reads(monkeypatch)
    assert check(project, store) == first
    # Once each, for the excerpts; the size-mtime-inode hint spares the read
    # that only checked the content.
    assert sorted(reads) == ["a.md", "b.md", "c.txt"]


def test_an_edit_that_keeps_size_and_times_is_still_seen(project, tmp_path):
    store = tmp_path / "cache"
    check(project, store)
    path = project / "b.md"
    before = os.stat(path)
    edited = CLEAN.replace("Magnesium is a mineral found", "Magnesium is a miracle cure!")
    assert len(edited) == len(CLEAN)
    with open(path, "r+", encoding="utf-8") as fh:  # in place: same inode
        fh.write(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_ino == before.st_ino
    out = check(project, store)
    assert out == check(project, None)
    assert "b.md:3" in out
    # ... and the new result was cached: the next run reads it once too.
    assert check(project, store) == out


def test_a_checkout_that_only_changes_times_is_not_linted_again(project, tmp_path, monkeypatch):
    store = tmp_path / "cache"
    first = check(project, store)
    for name in ("a.md", "b.md", "c.txt"):
        os.utime(project / name, ns=(1, 10**18))
    from healthlint import engine

    real = engine.lint
    calls: list[str] = []
    monkeypatch.setattr(engine, "lint", lambda doc, *a, **k: calls.append(doc.path) or real(doc, *a, **k))
    assert check(project, store) == first
    assert calls == []
    reads = _counting_reads(monkeypatch)
    assert check(project, store) == first
    assert sorted(reads) == ["a.md", "b.md", "c.txt"]
