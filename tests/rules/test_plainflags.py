"""The `regex` parser's flags as plain ints: faster compiling, same programs."""
from __future__ import annotations

import enum
import subprocess
import sys

import regex

from healthlint.rules import plainflags

# Compiles every branch of the default packs (as the rule set holds them)
# with the parser as released, then again after the swap, in one process:
# `regex` writes a branch's first-character set in the order of a Python
# set of its parse nodes, whose hashes involve class addresses, so two
# processes can order one set differently. Prints the branches compiled
# and those whose pickled program (code list and all) differs.
_COMPILE_BOTH_WAYS = r"""
import gc, pickle
import regex
from healthlint.packs import _load_ruleset, builtin_packs
from healthlint.rules import plainflags
from healthlint.rules.scanner import Uncompiled

_load_ruleset(tuple(builtin_packs()), (), None, None)
todo = sorted({(o.source, o.flags) for o in gc.get_objects() if isinstance(o, Uncompiled)})
before = [pickle.dumps(regex.compile(source, flags)) for source, flags in todo]
assert plainflags.apply()
after = [pickle.dumps(regex.compile(source, flags)) for source, flags in todo]
print(len(todo), sum(a != b for a, b in zip(before, after)))
"""


def test_every_pack_branch_compiles_to_the_same_program_with_plain_flags():
    out = subprocess.run([sys.executable, "-c", _COMPILE_BOTH_WAYS], capture_output=True, text=True, check=True)
    compiled, differing = map(int, out.stdout.split())
    assert compiled > 1000  # the default packs' branches, not an empty list
    assert differing == 0


def test_the_swap_is_made_once_and_leaves_the_public_flags_alone():
    assert plainflags.apply() is True
    from regex import _regex_core

    assert type(_regex_core.IGNORECASE) is int
    assert isinstance(regex.IGNORECASE, enum.Enum)  # what users of `regex` see
    assert plainflags.apply() is True
    assert regex.compile(r"stra(?:ss|ß)e", regex.FULLCASE | regex.IGNORECASE).fullmatch("STRASSE")


def test_a_swap_that_would_change_a_program_is_undone(monkeypatch):
    from regex import _regex_core

    original = _regex_core.CASE_FLAGS_COMBINATIONS
    real = plainflags._compiled
    calls = []

    def differs_after_the_swap(patterns):
        calls.append(1)
        out = real(patterns)
        return out if len(calls) == 1 else out[:-1] + [b"changed"]

    monkeypatch.setattr(plainflags, "_compiled", differs_after_the_swap)
    monkeypatch.setattr(plainflags, "_swapped", False)
    monkeypatch.setattr(_regex_core, "CASE_FLAGS_COMBINATIONS", original)
    monkeypatch.setattr(_regex_core, "IGNORECASE", regex.IGNORECASE)
    assert plainflags._swap() is False
    assert _regex_core.IGNORECASE is regex.IGNORECASE
    assert _regex_core.CASE_FLAGS_COMBINATIONS is original
    assert regex.compile("caf[eé]", regex.IGNORECASE).fullmatch("CAFÉ")
