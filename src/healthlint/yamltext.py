"""YAML text -> data, for rule files, configs and the claims register.

One loader, so every file is read the same safe way: round-trip mode keeps
line and column marks and never builds Python objects from tags (a file
cannot run code), duplicate keys are refused, and every failure is one
error naming the file and, where the parser knows it, the line and column.
"""
from __future__ import annotations

from typing import Any

from .errors import HealthlintError


def load(text: str, name: str, error: type[HealthlintError], nesting_hint: str | None = None) -> Any:
    """The data of YAML `text`; any problem raises `error` for `name`."""
    from ruamel.yaml import YAML, YAMLError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except RecursionError:  # the YAML composer recurses once per nesting level (issue 7)
        raise error("invalid YAML: nested too deeply", name, hint=nesting_hint) from None
    except ValueError as exc:  # a value YAML reads as a date that is none (2099-02-30)
        raise error(f"invalid YAML: {exc}", name) from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise error(f"invalid YAML: {problem}", name, line, col) from None
