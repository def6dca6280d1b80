"""Baselines (issue 5): record, edit elsewhere, move a paragraph, re-wrap,
fix one finding, prune; per-file document-level entries; the JSON flag and
SARIF baselineState."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint.baseline import FILENAME, Baseline, normalise
from healthlint.cli import ExitCode, cli
from rule_fixtures import DOSE_HYPE_CONSULT_RULES

RULES = DOSE_HYPE_CONSULT_RULES
DOC = """\
# Sleep

Take 5 mg at night. It is a miracle.

Our tea is a miracle for rest.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # A results cache of our own: never another run's, never in the project.
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for var in ("NO_COLOR", "FORCE_COLOR", "HEALTHLINT_DEBUG"):
        monkeypatch.delenv(var, raising=False)
    write(tmp_path / "rules.yaml", RULES)
    write(tmp_path / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\n")
    write(tmp_path / "docs" / "a.md", DOC)
    write(tmp_path / "docs" / "b.md", "It is a miracle.\n")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def codes(result) -> list[tuple[str, int, str]]:
    return [(d["path"], d["line"], d["code"]) for d in json.loads(result.stdout)]


def entries(project: Path, name: str = FILENAME) -> dict[str, list[tuple[str, int]]]:
    data = json.loads((project / name).read_text(encoding="utf-8"))
    return {path: sorted((e["code"], e["count"]) for e in items) for path, items in data["files"].items()}


def record(project: Path) -> None:
    result = run("baseline", "docs")
    assert result.exit_code == 0
    assert result.stdout == f"Wrote {FILENAME}: 5 findings in 2 files.\n"


def test_record_then_check_reports_nothing(project: Path) -> None:
    record(project)
    assert entries(project) == {"docs/a.md": [("TS101", 1), ("TS501", 1), ("TS501", 1), ("TS701", 1)],
                                "docs/b.md": [("TS501", 1)]}
    data = json.loads((project / FILENAME).read_text(encoding="utf-8"))
    assert {e["text"] for e in data["files"]["docs/a.md"]} == {
        "Take 5 mg at night.", "It is a miracle.", "Our tea is a miracle for rest.", ""}
    result = run("check", "docs")
    assert result.exit_code == ExitCode.OK
    assert result.stdout == ("No problems found in 2 files.\n"
                             f"5 findings in the baseline ({FILENAME}) not reported (--show-baselined lists them).\n")


def test_edit_elsewhere_reports_only_the_new_finding(project: Path) -> None:
    record(project)
    write(project / "docs" / "a.md", "# Intro\n\nA new miracle paragraph.\n\n" + DOC + "\nMore text.\n")
    result = run("check", "--format", "json", "docs")
    assert codes(result) == [("docs/a.md", 3, "TS501")]
    assert "baseline entr" not in result.stderr  # nothing stale


def test_moved_and_rewrapped_paragraphs_stay_baselined(project: Path) -> None:
    record(project)
    moved = "# Sleep\n\nOur tea is a\n*miracle*   for rest.\n\nTake 5 mg at night.\nIt is a miracle.\n"
    write(project / "docs" / "a.md", moved)
    result = run("check", "docs")
    assert result.exit_code == ExitCode.OK
    assert result.stdout.startswith("No problems found in 2 files.\n")


def test_a_repeated_sentence_beyond_the_count_is_new(project: Path) -> None:
    record(project)
    write(project / "docs" / "b.md", "It is a miracle.\n\nIt is a miracle.\n")
    assert codes(run("check", "--format", "json", "docs")) == [("docs/b.md", 3, "TS501")]


def test_fix_one_finding_then_prune(project: Path) -> None:
    record(project)
    write(project / "docs" / "a.md", DOC.replace("Our tea is a miracle for rest.", "Our tea is pleasant."))
    result = run("check", "docs")
    assert result.exit_code == ExitCode.OK
    assert result.stdout.endswith("1 baseline entry no longer occurs; --prune-baseline removes it:\n"
                                  "  docs/a.md: TS501 'Our tea is a miracle for rest.'\n")
    pruned = run("check", "--prune-baseline", "docs")
    assert pruned.stdout.endswith(f"Removed 1 stale baseline entry from {FILENAME}.\n")
    assert entries(project)["docs/a.md"] == [("TS101", 1), ("TS501", 1), ("TS701", 1)]
    assert "no longer" not in run("check", "docs").stdout
    # The fixed sentence coming back is a new finding now.
    write(project / "docs" / "a.md", DOC)
    assert codes(run("check", "--format", "json", "docs")) == [("docs/a.md", 5, "TS501")]


def test_document_level_findings_are_baselined_per_file(project: Path) -> None:
    record(project)
    write(project / "docs" / "a.md", "Take 5 mg at night.\n\nEverything else rewritten.\n")
    result = run("check", "--format", "json", "docs")
    assert codes(result) == []  # TS701 still baselined; the miracles went stale
    assert "2 baseline entries no longer occur" in result.stderr
    write(project / "docs" / "a.md", "Take 5 mg at night. ask your doctor.\n")
    assert "  docs/a.md: TS701 (the whole document)" in run("check", "docs").stdout


def test_prune_only_touches_files_in_scope(project: Path) -> None:
    record(project)
    (project / "docs" / "b.md").unlink()
    write(project / "docs" / "a.md", "Take 5 mg at night.\n")
    run("check", "--prune-baseline", "docs/a.md")
    # a.md's stale miracles went; b.md was not linted or in a linted folder, so it stays.
    assert entries(project) == {"docs/a.md": [("TS101", 1), ("TS701", 1)], "docs/b.md": [("TS501", 1)]}
    result = run("check", "--prune-baseline", "docs")
    assert "docs/b.md: TS501 'It is a miracle.'" not in result.stdout
    assert entries(project) == {"docs/a.md": [("TS101", 1), ("TS701", 1)]}


def test_baseline_on_a_subset_keeps_other_files(project: Path) -> None:
    record(project)
    write(project / "docs" / "b.md", "Fine.\n")
    assert run("baseline", "docs/b.md").stdout == f"Wrote {FILENAME}: 4 findings in 1 file.\n"
    assert list(entries(project)) == ["docs/a.md"]


def test_json_flag_and_sarif_baseline_state(project: Path) -> None:
    record(project)
    write(project / "docs" / "b.md", "It is a miracle.\n\nTake 5 mg daily.\n")
    data = json.loads(run("check", "--format", "json", "--show-baselined", "docs/b.md").stdout)
    assert [(d["line"], d["code"], d["baseline"]) for d in data] == [
        (1, "TS701", False), (1, "TS501", True), (3, "TS101", False)]
    log = json.loads(run("check", "--format", "sarif", "--show-baselined", "docs/b.md").stdout)
    states = [(r["ruleId"], r["baselineState"]) for r in log["runs"][0]["results"]]
    assert states == [("TS701", "new"), ("TS501", "unchanged"), ("TS101", "new")]
    plain = json.loads(run("check", "--format", "sarif", "docs/b.md").stdout)
    assert [r["baselineState"] for r in plain["runs"][0]["results"]] == ["new", "new"]
    jsonschema = pytest.importorskip("jsonschema")
    schema = Path("/work/shared/schemas/sarif-schema-2.1.0.json")
    if schema.is_file():
        jsonschema.validate(log, json.loads(schema.read_text(encoding="utf-8")))


def test_text_lists_baselined_with_the_flag(project: Path) -> None:
    record(project)
    out = run("check", "--show-baselined", "docs/b.md").stdout
    assert out == ("No problems found in 1 file.\n"
                   f"1 finding in the baseline ({FILENAME}) not reported:\n"
                   "  docs/b.md:1:9: TS501 [hype] 'miracle' is hype\n")


def test_baseline_file_from_option_and_config(project: Path) -> None:
    assert run("baseline", "--baseline", "ci/legacy.json", "docs").stdout == \
        "Wrote ci/legacy.json: 5 findings in 2 files.\n"
    assert entries(project, "ci/legacy.json")["docs/b.md"] == [("TS501", 1)]
    assert run("check", "docs").exit_code == ExitCode.FINDINGS  # the default file does not exist
    assert run("check", "--baseline", "ci/legacy.json", "docs").exit_code == ExitCode.OK
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\nbaseline: ci/legacy.json\n")
    assert run("check", "docs").exit_code == ExitCode.OK


def test_invalid_baseline_is_a_usage_error(project: Path) -> None:
    write(project / FILENAME, '{"version": 1, "files": {"a.md": [{"code": "TS101"}]}}')
    result = run("check", "docs")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (f"healthlint: {project / FILENAME}: not a healthlint baseline: an entry of 'a.md' "
                             "needs code, fingerprint and a positive count; re-create it with `healthlint "
                             "baseline`\n")


def test_fix_leaves_baselined_findings_alone(project: Path) -> None:
    write(project / "rules.yaml", RULES + "    fix: consult-notice\n")
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\nconsult-notice: ask your doctor first.\n")
    record(project)
    write(project / "docs" / "new.md", "Take 5 mg daily.\n")
    run("check", "--fix", "docs")
    assert (project / "docs" / "a.md").read_text(encoding="utf-8") == DOC
    assert (project / "docs" / "new.md").read_text(encoding="utf-8") == "Take 5 mg daily.\n\nask your doctor first.\n"


def test_fingerprint_normalisation() -> None:
    assert normalise("It’s  a\n“Miracle” – really") == normalise("it's a \"miracle\" - really")
    b = Baseline("/x/.healthlint-baseline.json")
    assert b.rel("/x/docs/a.md") == "docs/a.md"
    assert b.dumps() == '{\n  "version": 1,\n  "files": {}\n}\n'
