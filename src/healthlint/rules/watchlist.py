"""`watchlist`: a listed substance named in the same unit as a claim about
it (a dose, a benefit), reported with its regulatory status.

    type: watchlist
    substances: substances.yaml      # data file beside the rule file
    claims: ['{dose}', '{claim-verb}']

The watchlist is data, not regex: each entry has a name, aliases and a
status per market, so a reviewer can update a status without touching a
pattern.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Mapping

import regex

from ..errors import PackError
from .base import Match, UnitView, finditer, search
from .common import COMMON_PARAMS, Compiler, UnitRule


def load_watchlist(path: Path) -> list[dict[str, Any]]:
    """Read and validate a substances file: a `substances:` list of
    {name, aliases, status: {MARKET: text}, url}."""
    from ..packs import read_yaml

    data = read_yaml(path)
    items = data.get("substances") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or not items:
        raise PackError("a watchlist file needs a non-empty 'substances' list", str(path), 1)
    out = []
    for item in items:
        line = item.lc.line + 1 if hasattr(item, "lc") else None
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            raise PackError("each substance needs a 'name'", str(path), line)
        status = item.get("status")
        if not isinstance(status, Mapping) or not status:
            raise PackError(f"substance {item['name']!r} needs a 'status' mapping of market to text", str(path), line)
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise PackError(f"'aliases' of {item['name']!r} must be a list of strings", str(path), line)
        out.append({"name": item["name"], "aliases": [item["name"], *aliases],
                    "status": {str(k): str(v) for k, v in status.items()}, "url": item.get("url")})
    return out


class Watchlist(UnitRule):
    PARAMS = {**COMMON_PARAMS, "substances": ("str", True, None), "claims": ("patterns", False, [])}

    def __init__(self, params: Mapping[str, Any], compiler: Compiler) -> None:
        super().__init__(params, compiler)
        path = Path(compiler.spec.path).parent / params["substances"]  # type: ignore[attr-defined]
        self.entries = load_watchlist(path)
        self.claims = compiler.pattern("claims")
        names: dict[str, int] = {}
        for i, entry in enumerate(self.entries):
            for alias in entry["aliases"]:
                names[alias.lower()] = i
        self.by_name = names
        alternatives = sorted(names, key=len, reverse=True)
        self.mention = compiler.raw(
            r"(?<![\w-])(?:" + "|".join(regex.escape(a).replace(r"\ ", r"\s+") for a in alternatives) + r")(?![\w])",
        )
        self.prefilter = (self.mention,)

    def _status(self, entry: Mapping[str, Any]) -> str:
        return "; ".join(f"{market}: {text}" for market, text in entry["status"].items())

    def check(self, view: UnitView) -> Iterator[Match]:
        if not self.applies(view):
            return
        if self.claims is not None and search(self.claims, view.text) is None:
            return
        for m in finditer(self.mention, view.text):
            start, end = m.span()
            if not self.accept(view, start, end):
                continue
            entry = self.entries[self.by_name[" ".join(m.group().lower().split())]]
            yield Match(start, end, m.group(), values=(("substance", entry["name"]), ("status", self._status(entry))))
            return
