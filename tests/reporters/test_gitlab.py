"""GitLab Code Quality: the fields GitLab reads, severities, fingerprints."""
from __future__ import annotations

import json
from typing import Callable

from healthlint.runner import RunResult

from .conftest import render


def test_issue_fields(lint: Callable[..., RunResult]) -> None:
    issues = json.loads(render("gitlab", lint({"docs/a.md": "A miracle.\n\nTake 5 mg daily.\nClinically proven.\n"})))
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("TS501", "major", {"path": "docs/a.md", "lines": {"begin": 1, "end": 1}}),
        ("TS101", "minor", {"path": "docs/a.md", "lines": {"begin": 3, "end": 3}}),
        ("TS301", "info", {"path": "docs/a.md", "lines": {"begin": 4, "end": 4}}),
    ]
    first = issues[0]
    assert first["description"] == "TS501 [hype] 'miracle' is hype"
    assert (first["type"], first["categories"], first["engine_name"]) == ("issue", ["Style"], "healthlint")
    assert len(first["fingerprint"]) == 64


def test_multi_line_findings_span_their_lines(lint: Callable[..., RunResult]) -> None:
    [issue] = json.loads(render("gitlab", lint({"a.md": "You could take 5\nmg daily.\n"})))
    assert issue["location"]["lines"] == {"begin": 1, "end": 2}


def test_fingerprints_unique_and_line_independent(lint: Callable[..., RunResult]) -> None:
    text = "A miracle.\n\nA miracle.\n"
    before = json.loads(render("gitlab", lint({"a.md": text})))
    after = json.loads(render("gitlab", lint({"a.md": "# Title\n\nIntro.\n\n" + text})))
    assert len({i["fingerprint"] for i in before}) == 2
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]
    assert [i["location"]["lines"]["begin"] for i in after] == [5, 7]


def test_clean_run_is_an_empty_array(lint: Callable[..., RunResult]) -> None:
    assert json.loads(render("gitlab", lint({"a.md": "Rest well.\n"}))) == []
