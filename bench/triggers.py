"""The packs' literal triggers, one per line, for `rg -F -i -f`.

    python bench/triggers.py [PACK ...] > triggers.txt     (default: core)

These are the literals healthlint's own prefilter looks for (every string
of every literal set its scanners require, three characters or longer), so
ripgrep does the same first pass healthlint does: the floor for any tool
that reads the corpus.
"""
from __future__ import annotations

import sys

from healthlint.packs import load_ruleset
from healthlint.rules.scanner import LiteralIndex, Scanner


def literals(packs: tuple[str, ...] = ("core",)) -> list[str]:
    ruleset = load_ruleset(packs)
    indexes: dict[int, LiteralIndex] = {}
    for rule in ruleset.rules:
        for value in vars(rule.impl).values():
            if isinstance(value, Scanner) and value.index is not None:
                indexes[id(value.index)] = value.index
    words: set[str] = set()
    for index in indexes.values():
        for table in (index.ci, index.cs):
            words.update(w for w, (need, _) in table.items() if need and len(w) >= 3 and w.strip() == w)
    return sorted(words)


def main(argv: list[str]) -> int:
    for word in literals(tuple(argv) or ("core",)):
        print(word)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
