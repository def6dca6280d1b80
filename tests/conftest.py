"""Shared helpers: build a rule set from inline YAML and lint short texts."""
from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import pytest

from healthlint.document import parse_document
from healthlint.engine import lint
from healthlint.findings import Finding
from healthlint.packs import RuleSet, load_ruleset


@pytest.fixture(scope="session", autouse=True)
def _suite_cache_folder(tmp_path_factory: pytest.TempPathFactory):
    """Every run the suite makes (in process or not) caches in a folder of
    its own: the user's cache folder is neither filled by the suite nor able
    to mislead it."""
    patch = pytest.MonkeyPatch()
    patch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path_factory.mktemp("healthlint-cache")))
    yield
    patch.undo()


@pytest.fixture
def make_rules(tmp_path: Path) -> Callable[[str], RuleSet]:
    """Write `yaml_text` (a rule file body) to tmp_path and load it alone."""
    counter = iter(range(1000))

    def build(yaml_text: str) -> RuleSet:
        path = tmp_path / f"rules{next(counter)}.yaml"
        path.write_text(textwrap.dedent(yaml_text), encoding="utf-8")
        return load_ruleset((), (str(path),))

    return build


def run(ruleset: RuleSet, text: str, path: str = "t.txt") -> list[Finding]:
    return lint(parse_document(text, path), ruleset.rules)


def spans(ruleset: RuleSet, text: str, path: str = "t.txt") -> list[tuple[str, str]]:
    """(code, matched source text) for every finding."""
    return [(f.code, f.match) for f in run(ruleset, text, path)]
