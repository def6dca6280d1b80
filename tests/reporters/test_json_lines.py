"""json-lines: the JSON contract, one finding object per line."""
from __future__ import annotations

import json
from typing import Callable

from healthlint.runner import RunResult

from .conftest import render


def test_one_object_per_line_matching_the_json_array(lint: Callable[..., RunResult]) -> None:
    result = lint({"b.md": "A miracle.\n", "a.md": "Take 5 mg daily.\nA miracle.\n"})
    text = render("json-lines", result)
    assert text.endswith("\n")
    rows = [json.loads(line) for line in text.splitlines()]
    assert rows == json.loads(render("json", result))
    assert [(r["path"], r["line"]) for r in rows] == [("a.md", 1), ("a.md", 2), ("b.md", 1)]


def test_newlines_in_values_stay_escaped(lint: Callable[..., RunResult]) -> None:
    text = render("json-lines", lint({"a.md": "You could take 5\nmg daily.\n"}))
    [row] = [json.loads(line) for line in text.splitlines()]
    assert row["match"] == "take 5\nmg"


def test_statistics_and_clean(lint: Callable[..., RunResult]) -> None:
    result = lint({"a.md": "A miracle, a miracle.\nTake 5 mg.\n"})
    assert [json.loads(line) for line in render("json-lines", result, statistics=True).splitlines()] == [
        {"code": "TS501", "name": "test-miracle", "category": "hype", "count": 2},
        {"code": "TS101", "name": "test-dose", "category": "dose", "count": 1},
    ]
    assert render("json-lines", lint({"c.md": "Rest.\n"})) == ""
