"""Config discovery, merging and validation: every error is one exact line."""
from __future__ import annotations

import os
import time
import warnings
import textwrap
from pathlib import Path

import pytest

from healthlint import lint_paths
from healthlint.config import ConfigResolver, PathPattern, load_config
from healthlint.errors import ConfigError
from healthlint.findings import Severity
from healthlint.runner import Options, build_plan
from rule_fixtures import DOSE_HYPE_RULES

RULES = DOSE_HYPE_RULES
TEXT = "Take 5 mg daily. It is a miracle.\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def codes(reports) -> dict[str, list[str]]:
    return {Path(r.path).name: [f.code for f in r.findings] for r in reports}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the test rules and a config that shows only them."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "rules.yaml", RULES)
    write(tmp_path / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\n")
    return tmp_path


# -- discovery -------------------------------------------------------------------

def test_nearest_config_wins(project: Path) -> None:
    write(project / "a.txt", TEXT)
    write(project / "sub" / "b.txt", TEXT)
    write(project / "sub" / ".healthlint.yaml", "rules: [../rules.yaml]\nselect: [TS]\nignore: [hype]\n")
    assert codes(lint_paths(["a.txt", "sub/b.txt"])) == {"a.txt": ["TS101", "TS501"], "b.txt": ["TS101"]}


def test_config_found_from_deep_folder_and_relative_to_its_own_folder(project: Path) -> None:
    write(project / "x" / "y" / "z" / "c.txt", TEXT)
    os.chdir(project / "x")
    assert codes(lint_paths(["y/z/c.txt"])) == {"c.txt": ["TS101", "TS501"]}


def test_pyproject_table_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "rules.yaml", RULES)
    write(tmp_path / "pyproject.toml", """
        [project]
        name = "site"

        [tool.healthlint]
        rules = ["rules.yaml"]
        select = ["TS"]
        ignore = ["TS101"]
    """)
    write(tmp_path / "a.txt", TEXT)
    assert codes(lint_paths(["a.txt"])) == {"a.txt": ["TS501"]}


def test_pyproject_without_table_is_skipped(project: Path) -> None:
    write(project / "sub" / "pyproject.toml", '[project]\nname = "x"\n')
    write(project / "sub" / "a.txt", TEXT)
    config = ConfigResolver().for_file("sub/a.txt")
    assert config.path == ".healthlint.yaml"


def test_yaml_beats_pyproject_in_the_same_folder(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.healthlint]\nselect = ["TS101"]\n')
    assert ConfigResolver().for_file("a.txt").path == ".healthlint.yaml"


def test_explicit_config_applies_to_every_file(project: Path) -> None:
    write(project / "sub" / ".healthlint.yaml", "rules: [../rules.yaml]\nselect: [TS101]\n")
    write(project / "sub" / "b.txt", TEXT)
    write(project / "other.yaml", "rules: [rules.yaml]\nselect: [TS5]\n")
    assert codes(lint_paths(["sub/b.txt"])) == {"b.txt": ["TS101"]}
    assert codes(lint_paths(["sub/b.txt"], config="other.yaml")) == {"b.txt": ["TS501"]}


def test_no_config_means_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = ConfigResolver().for_file("a.md")
    assert (config.path, config.profile, config.fail_on, config.select) == (None, "default", Severity.INFO, None)
    assert config.all_packs() == ("core",)


# -- merging ---------------------------------------------------------------------

def test_cli_select_replaces_config_select_and_ignore(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS101]\nignore: [TS501]\n")
    write(project / "a.txt", TEXT)
    assert codes(lint_paths(["a.txt"], select=["TS501"])) == {"a.txt": ["TS501"]}


def test_cli_extend_select_and_ignore_adjust_config(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS101]\n")
    write(project / "a.txt", TEXT)
    assert codes(lint_paths(["a.txt"], extend_select=["test-miracle"])) == {"a.txt": ["TS101", "TS501"]}
    assert codes(lint_paths(["a.txt"], ignore=["dose"])) == {"a.txt": []}


def test_packs_are_added_to_the_profile(project: Path) -> None:
    write(project / "mypack" / "pack.yaml", "name: mine\n")
    write(project / "mypack" / "more.yaml", RULES.replace("TS1", "MY1").replace("TS5", "MY5")
          .replace("test-", "my-"))
    write(project / ".healthlint.yaml", "packs: [mypack]\n")
    config = load_config(".healthlint.yaml")
    assert config.all_packs() == ("core", "mypack")
    plan = build_plan(config, Options())
    assert {r.spec.pack for r in plan.ruleset.rules} == {"core", "mine"}


def test_severity_override_and_fail_on(project: Path) -> None:
    write(project / ".healthlint.yaml", """
        rules: [rules.yaml]
        select: [TS]
        severity:
          hype: info
          TS101: error
        fail-on: warning
    """)
    write(project / "a.txt", TEXT)
    [report] = lint_paths(["a.txt"])
    assert [(f.code, str(f.severity)) for f in report.findings] == [("TS101", "error"), ("TS501", "info")]
    assert build_plan(load_config(".healthlint.yaml"), Options()).fail_on == Severity.WARNING


def test_exclude_is_relative_to_the_config_folder(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\nexclude: [drafts/, '*.html']\n")
    for name in ("a.txt", "drafts/b.md", "deep/drafts/c.md", "d.html", "deep/e.md"):
        write(project / name, TEXT)
    assert sorted(codes(lint_paths(["."]))) == ["a.txt", "e.md"]


@pytest.mark.parametrize("pattern, path, expected", [
    ("*.md", "a.md", True),
    ("*.md", "docs/deep/a.md", True),
    ("docs/*.md", "docs/a.md", True),
    ("docs/*.md", "docs/deep/a.md", False),
    ("docs/*.md", "other/docs/a.md", False),
    ("docs/**/*.md", "docs/deep/er/a.md", True),
    ("drafts/", "drafts/a.md", True),
    ("drafts/", "drafts", False),
    ("drafts", "x/drafts/a.md", True),
    ("/a.md", "a.md", True),
    ("/a.md", "x/a.md", False),
    ("a?.md", "ab.md", True),
    ("[!a]b.md", "ab.md", False),
])
def test_globs_are_gitignore_like(pattern: str, path: str, expected: bool) -> None:
    assert PathPattern.compile(pattern).matches(path) is expected


@pytest.mark.parametrize("pattern", ["[[]x", "[a&&b]x", "[~~]x", "[a||b]x", "[\\]x"])
def test_a_class_holding_what_re_reads_as_set_syntax_is_literal(pattern: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # `re` warned of nested sets and set operations
        glob = PathPattern.compile(pattern)
    inside = pattern[1:pattern.rindex("]")]
    assert all(glob.matches(ch + "x") for ch in inside)
    assert not glob.matches("bx" if "b" not in inside else "cx")


def test_globs_with_many_wildcards_match_as_their_regex_would() -> None:
    import random

    from healthlint.config import glob_regex

    # Globs with three or more runs are matched by stepping through the
    # path, not by their (backtracking) regex; both must agree.
    pieces = ["a", "b", "/", "*", "**", "?", "[ab]", "[!a]", "."]
    chars = "ab/.x\n"
    rnd = random.Random(6)
    checked = 0
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 7)))
        glob = PathPattern.compile(text)
        stepped = PathPattern(glob.text, glob.tokens, None, glob.dir_only)
        regex = PathPattern(glob.text, glob.tokens, glob_regex(glob.tokens), glob.dir_only)
        for _ in range(10):
            path = "".join(rnd.choice(chars) for _ in range(rnd.randint(1, 9)))
            is_dir = rnd.random() < 0.3
            assert stepped.matches(path, is_dir) == regex.matches(path, is_dir), (text, path, is_dir)
            checked += 1
    assert checked == 30_000


def test_a_glob_of_many_stars_is_matched_in_linear_time() -> None:
    # As a regex it backtracked through every way of placing its stars:
    # minutes for one long file name.
    start = time.monotonic()
    glob = PathPattern.compile("*a" * 12 + "*b")
    assert not glob.matches("docs/" + "a" * 3000 + ".md")
    assert glob.matches("docs/" + "a" * 3000 + "b")
    assert time.monotonic() - start < 10


# -- validation ------------------------------------------------------------------

def _error(tmp_path: Path, text: str, name: str = ".healthlint.yaml") -> str:
    path = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as info:
        build_plan(load_config(path), Options())
    return str(info.value).replace(str(path), name)


@pytest.mark.parametrize("text, message", [
    ("selct: [HL1]\n",
     ".healthlint.yaml:1:1: unknown key 'selct'; did you mean 'select'?"),
    ("select: [HL1]\nfoo: 1\n",
     ".healthlint.yaml:2:1: unknown key 'foo'; valid keys: profile, packs, rules, select, extend-select, ignore, "
     "severity, exclude, per-file-ignores, fail-on, report-unused-disables, html-metadata, context, consult-notice, "
     "dshea-disclaimer, baseline, approved-claims"),
    ("extend_select: [HL1]\n",
     ".healthlint.yaml:1:1: unknown key 'extend_select'; did you mean 'extend-select'?"),
    ("select: HL101\n",
     ".healthlint.yaml:1:9: 'select' must be a list of strings, got a string"),
    ("ignore: [HL101, 3]\n",
     ".healthlint.yaml:1:17: 'ignore' must be a list of strings, got a number in item 2"),
    ("exclude:\n  - ''\n",
     ".healthlint.yaml:2:5: 'exclude' has an empty string in item 1"),
    ("exclude:\n  - '*.md'\n  - 'drafts/[z-a]*'\n",
     ".healthlint.yaml:3:5: invalid glob 'drafts/[z-a]*' in 'exclude': bad character class [z-a]: bad character "
     "range z-a; a class is one character of a set, such as [abc], [a-z] or [!abc]"),
    ("per-file-ignores:\n  '[9-0].md': [HL101]\n",
     ".healthlint.yaml:2:3: invalid glob '[9-0].md' in 'per-file-ignores': bad character class [9-0]: bad "
     "character range 9-0; a class is one character of a set, such as [abc], [a-z] or [!abc]"),
    ("severity: [HL101]\n",
     ".healthlint.yaml:1:11: 'severity' must be a mapping, got a list"),
    ("severity:\n  HL101: fatal\n",
     ".healthlint.yaml:2:10: unknown severity 'fatal' for 'HL101' in 'severity'; use error, warning or info"),
    ("fail-on: fatal\n",
     ".healthlint.yaml:1:10: unknown severity 'fatal' in 'fail-on'; use error, warning or info"),
    ("fail-on: 3\n",
     ".healthlint.yaml:1:10: 'fail-on' must be error, warning or info, got a number"),
    ("severity:\n  HL101: [error]\n",
     ".healthlint.yaml:2:10: the severity of 'HL101' must be error, warning or info, got a list"),
    ("report-unused-disables: 'yes'\n",
     ".healthlint.yaml:1:25: 'report-unused-disables' must be true or false, got a string"),
    ("profile: defualt\n",
     ".healthlint.yaml:1:10: unknown profile 'defualt'; did you mean 'default'?"),
    ("packs: [cor]\n",
     ".healthlint.yaml:1:9: unknown pack 'cor' in 'packs'; did you mean 'core'?"),
    ("per-file-ignores:\n  'docs/*.md': HL101\n",
     ".healthlint.yaml:2:16: 'per-file-ignores' entry 'docs/*.md' must be a list of strings, got a string"),
    ("- select\n",
     ".healthlint.yaml:1:1: the configuration must be a mapping of keys to values"),
    ("select: [HL1\nignore: [x]\n",
     ".healthlint.yaml:2:7: invalid YAML: expected ',' or ']', but got ':'"),
    ("select: [HL1]\nselect: [HL2]\n",
     '.healthlint.yaml:2:1: invalid YAML: found duplicate key "select" with value "[\'HL2\']" '
     '(original value: "[\'HL1\']")'),
])
def test_structural_errors(tmp_path: Path, text: str, message: str) -> None:
    assert _error(tmp_path, text) == message


@pytest.mark.parametrize("text, message", [
    ("select: []\n",
     ".healthlint.yaml:1:9: 'select' is empty, so no rule would run; list codes, names, prefixes or categories "
     "(ALL for every rule), or add 'extend-select' to start from nothing"),
    ("fail-on: error\nselect:\n\n  []\n",
     ".healthlint.yaml:4:3: 'select' is empty, so no rule would run; list codes, names, prefixes or categories "
     "(ALL for every rule), or add 'extend-select' to start from nothing"),
])
def test_an_empty_select_is_an_error(tmp_path: Path, text: str, message: str) -> None:
    """`select: []` ran no rule and passed every file without a word."""
    assert _error(tmp_path, text) == message


def test_an_empty_select_with_extend_select_starts_from_nothing(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [rules.yaml]\nselect: []\nextend-select: [TS501]\n")
    write(project / "a.txt", TEXT)
    assert codes(lint_paths(["a.txt"])) == {"a.txt": ["TS501"]}
    assert _error(project, '[tool.healthlint]\nselect = []\n', "pyproject.toml") == (
        "pyproject.toml: 'select' is empty, so no rule would run; list codes, names, prefixes or categories "
        "(ALL for every rule), or add 'extend-select' to start from nothing")


def test_rules_path_must_exist(tmp_path: Path) -> None:
    assert _error(tmp_path, "rules: [missing.yaml]\n") == (
        f".healthlint.yaml:1:9: rule file or folder 'missing.yaml' does not exist; "
        f"paths in 'rules' are relative to {tmp_path}")


@pytest.mark.parametrize("text, message", [
    ("select: [TS1, test-dos]\n",
     ".healthlint.yaml:2:15: unknown rule code, name, prefix or category 'test-dos' in 'select'; "
     "did you mean 'test-dose'?"),
    ("ignore:\n  - hyp\n",
     ".healthlint.yaml:3:5: unknown rule code, name, prefix or category 'hyp' in 'ignore'; did you mean 'hype'?"),
    ("extend-select: [ZZ9]\n",
     ".healthlint.yaml:2:17: unknown rule code, name, prefix or category 'ZZ9' in 'extend-select'; "
     "see `healthlint rules` for codes, names and categories"),
    ("severity:\n  test-miracel: info\n",
     ".healthlint.yaml:3:3: unknown rule code, name, prefix or category 'test-miracel' in 'severity'; "
     "did you mean 'test-miracle'?"),
    ("per-file-ignores:\n  '*.txt': [TS101, dosage]\n",
     ".healthlint.yaml:3:20: unknown rule code, name, prefix or category 'dosage' in 'per-file-ignores' for "
     "'*.txt'; did you mean 'dose'?"),
])
def test_unknown_rule_selectors(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "rules.yaml", RULES)
    assert _error(tmp_path, "rules: [rules.yaml]\n" + text) == message


@pytest.mark.parametrize("text, message", [
    ('[tool.healthlint]\nselct = ["HL1"]\n',
     "pyproject.toml: unknown key 'selct' in [tool.healthlint]; did you mean 'select'?"),
    ('[tool.healthlint]\nselect = "HL1"\n',
     "pyproject.toml: 'select' must be a list of strings, got a string"),
    ('[tool.healthlint]\nselect = ["HL9999"]\n',
     "pyproject.toml: unknown rule code, name, prefix or category 'HL9999' in 'select'; "
     "see `healthlint rules` for codes, names and categories"),
    ('[tool.healthlint]\nfail-on = "fatal"\n',
     "pyproject.toml: unknown severity 'fatal' in 'fail-on'; use error, warning or info"),
    ('[tool.healthlint]\nselect = ]\n', None),
    ("[tool]\nhealthlint = 3\n",
     "pyproject.toml: 'tool.healthlint' must be a table"),
])
def test_toml_errors_name_file_and_key(tmp_path: Path, text: str, message: str | None) -> None:
    got = _error(tmp_path, text, "pyproject.toml")
    if message is None:  # tomllib's own wording varies between versions
        assert got.startswith("pyproject.toml:2:10: invalid TOML: ")
    else:
        assert got == message


def test_explicit_config_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        ConfigResolver("nope.yaml")
    assert str(info.value) == "nope.yaml: config file not found; check the --config path"


def test_discovered_config_error_names_path_relative_to_cwd(project: Path) -> None:
    write(project / "sub" / ".healthlint.yaml", "selct: []\n")
    write(project / "sub" / "a.md", "Hello.\n")
    with pytest.raises(ConfigError) as info:
        lint_paths(["sub/a.md"])
    assert str(info.value) == f"sub{os.sep}.healthlint.yaml:1:1: unknown key 'selct'; did you mean 'select'?"


def test_context_gates_are_validated(tmp_path):
    from healthlint.config import load_config
    from healthlint.errors import ConfigError

    (tmp_path / ".healthlint.yaml").write_text("context:\n  market: [USA]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / ".healthlint.yaml", display=".healthlint.yaml")
    # The item itself, not the list's opening bracket (it used to say 2:11).
    assert str(info.value) == ".healthlint.yaml:2:12: unknown market 'USA' in 'context'; did you mean 'US'?"


@pytest.mark.parametrize("text, message", [
    ('per-file-ignores: {"a/**": [consult, nosuchrule]}\n',
     ".healthlint.yaml:2:38: unknown rule code, name, prefix or category 'nosuchrule' in 'per-file-ignores' for "
     "'a/**'; see `healthlint rules` for codes, names and categories"),
    ("ignore: [hype, bogus]\n",
     ".healthlint.yaml:2:16: unknown rule code, name, prefix or category 'bogus' in 'ignore'; "
     "see `healthlint rules` for codes, names and categories"),
    ("context:\n  market: [US, XX]\n",
     ".healthlint.yaml:3:16: unknown market 'XX' in 'context'; values: US, UK, EU, AU, CA"),
    ("context:\n  content-type:\n    - label\n    - advertorial\n",
     ".healthlint.yaml:5:7: unknown content-type 'advertorial' in 'context'; did you mean 'editorial'?"),
    ("context:\n  market: XX\n",
     ".healthlint.yaml:3:11: unknown market 'XX' in 'context'; values: US, UK, EU, AU, CA"),
])
def test_an_error_in_a_list_points_at_the_item(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path / "rules.yaml", RULES)
    assert _error(tmp_path, "rules: [rules.yaml]\n" + text) == message


def test_context_takes_one_value_or_a_list_as_the_readme_shows(tmp_path):
    from healthlint.config import load_config
    from healthlint.errors import ConfigError

    config = tmp_path / ".healthlint.yaml"
    config.write_text("context: {market: US, product-class: dietary-supplement, content-type: [product-page]}\n",
                      encoding="utf-8")
    assert dict(load_config(config, display=".healthlint.yaml").context) == {
        "market": ("US",), "product-class": ("dietary-supplement",), "content-type": ("product-page",)}
    config.write_text("context:\n  market: [US, 5]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(config, display=".healthlint.yaml")
    assert str(info.value) == ".healthlint.yaml:2:16: 'context.market' must be a list of strings, got a number in item 2"


def test_context_turns_gated_rules_on(tmp_path):
    from healthlint.runner import Runner

    rules = tmp_path / "gated.yaml"
    rules.write_text(
        "rules:\n  - code: G101\n    name: gated\n    category: hype\n    type: existence\n"
        "    message: gated\n    patterns: ['\\bwow\\b']\n    applies-when: {market: [US]}\n"
        "    examples: {flag: [wow], pass: [ok]}\n", encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("wow\n", encoding="utf-8")
    config = tmp_path / ".healthlint.yaml"
    config.write_text("packs: []\nrules: [gated.yaml]\nprofile: default\nselect: [G101]\n", encoding="utf-8")
    assert [f.code for r in Runner(cwd=str(tmp_path)).run([str(doc)]).reports for f in r.findings] == []
    config.write_text(config.read_text(encoding="utf-8") + "context: {market: [US]}\n", encoding="utf-8")
    assert [f.code for r in Runner(cwd=str(tmp_path)).run([str(doc)]).reports for f in r.findings] == ["G101"]
