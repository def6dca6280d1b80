"""Differential check: the fast scanners give exactly the findings of the
single-alternation reference, on the current packs.

    python bench/verify.py [FILES...]        (default: tests/corpus/docs)

Builds the rule set twice in one process (patterns.SPLIT on and off), lints
every file with both and prints any difference. Exit 1 if there is one.
"""
from __future__ import annotations

import glob
import sys
import time
from pathlib import Path

from healthlint.engine import lint
from healthlint.packs import _load_ruleset, builtin_packs
from healthlint.rules import patterns
from healthlint.runner import decode_bytes, parse


def rulesets(packs: tuple[str, ...]):
    patterns.SPLIT = False
    t = time.perf_counter()
    ref = _load_ruleset.__wrapped__(packs, (), None, None)
    t_ref = time.perf_counter() - t
    patterns.SPLIT = True
    t = time.perf_counter()
    fast = _load_ruleset.__wrapped__(packs, (), None, None)
    t_fast = time.perf_counter() - t
    print(f"compile: reference {t_ref:.2f}s, split {t_fast:.2f}s", file=sys.stderr)
    return ref, fast


def main(argv: list[str]) -> int:
    files = argv or sorted(glob.glob(str(Path(__file__).parent.parent / "tests/corpus/docs/*")))
    packs = tuple(builtin_packs())
    ref, fast = rulesets(packs)
    differ = 0
    times = [0.0, 0.0]
    for path in files:
        text, _ = decode_bytes(Path(path).read_bytes())
        doc = parse(text, path)
        out = []
        for k, rs in enumerate((ref, fast)):
            t = time.perf_counter()
            out.append([(f.code, f.start, f.end, f.message, f.severity) for f in lint(doc, rs.rules)])
            times[k] += time.perf_counter() - t
        if out[0] != out[1]:
            differ += 1
            a, b = set(out[0]), set(out[1])
            print(f"{path}: only reference {sorted(a - b)}; only fast {sorted(b - a)}")
    print(f"{len(files)} files, {differ} differ; lint reference {times[0]:.2f}s, fast {times[1]:.2f}s", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
