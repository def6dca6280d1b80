"""Rule packs: find, load (ruamel.yaml, positions kept), validate and
compile YAML rules into a RuleSet.

A pack is a folder: `pack.yaml` (name, description, fragments) and any
number of other `*.yaml` files, each holding a `rules:` list. The shared
fragment library `fragments.yaml` and the `profiles.yaml` stacks sit at the
top of the packs folder. Every error names file:line and what to do.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import re

import regex

from .errors import PackError
from .findings import CATEGORIES, Severity
from .rules import RULE_TYPES
from .rules.base import RuleType
from .rules.context import CONDITIONS, Context
from .rules.patterns import analyser, compile_alternation, compile_pattern, compile_source
from .rules.scanner import Analyser, LiteralIndex, Scanner, forget_analysis

BUILTIN_DIR = Path(__file__).parent / "packs"
DEFAULT_PACKS = ("core",)

RULE_KEYS: Mapping[str, tuple[str, bool, Any]] = {
    "code": ("code", True, None),
    "name": ("slug", True, None),
    "category": ("category", True, None),
    "severity": ("severity", False, "warning"),
    "type": ("type", True, None),
    "message": ("str", True, None),
    "explanation": ("str", False, ""),
    "basis": ("strings", False, []),
    "rewrite": ("str", False, ""),
    "url": ("str", False, None),
    "enabled": ("bool", False, True),
    "applies-when": ("gates", False, {}),
    "examples": ("examples", True, None),
}
_CODE = re.compile(r"^[A-Z]{1,4}[0-9]{2,4}$")
_SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class RuleSpec:
    code: str
    name: str
    category: str
    severity: Severity
    type: str
    message: str
    explanation: str
    basis: tuple[str, ...]
    rewrite: str
    url: str | None
    pack: str
    enabled: bool
    applies_when: Mapping[str, tuple[str, ...]]
    examples_flag: tuple[str, ...]
    examples_pass: tuple[str, ...]
    path: str
    line: int
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    spec: RuleSpec
    impl: RuleType


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[CompiledRule, ...]
    packs: tuple[str, ...]
    fragments: Mapping[str, str]
    # A digest of everything the set was built from (set when it was loaded
    # with a cache folder; results caches key on it, issue 6).
    key: str = ""

    def find(self, key: str) -> CompiledRule | None:
        """A rule by code or name (case-insensitive for codes)."""
        for rule in self.rules:
            if rule.spec.code == key.upper() or rule.spec.name == key:
                return rule
        return None


# The files read while a rule set is built, for the compiled-pack cache.
_READ: list[str] | None = None


def read_yaml(path: Path) -> Any:
    """Parse one YAML file; any problem becomes a PackError at its line."""
    if _READ is not None:
        _READ.append(os.path.abspath(path))

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PackError(f"cannot read rule file: not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset "
                        f"{exc.start})", str(path), exc.object.count(b"\n", 0, exc.start) + 1,
                        hint="save it as UTF-8") from None
    except OSError as exc:
        raise PackError(f"cannot read rule file: {exc.strerror or exc}", str(path)) from None
    from . import yamltext

    return yamltext.load(text, str(path), PackError, "a rule file needs only a few levels of nesting")


def _line(node: Any, key: str | None = None) -> int | None:
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        return (lc.key(key)[0] if key is not None else lc.line) + 1
    except (KeyError, TypeError, AttributeError):
        return lc.line + 1


def _item_mark(seq: Any, index: int, line: int | None) -> tuple[int | None, int | None]:
    """1-based (line, col) of item `index` of a YAML list; `line` (the key's)
    and no column when the value was one string or has no marks."""
    try:
        item_line, col = seq.lc.item(index)
    except (AttributeError, KeyError, IndexError, TypeError):
        return line, None
    return int(item_line) + 1, int(col) + 1


def _item_line(seq: Any, index: int) -> int | None:
    return _item_mark(seq, index, _line(seq))[0]


def did_you_mean(word: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f"did you mean {close[0]!r}?" if close else None


# -- discovery ---------------------------------------------------------------

def builtin_packs() -> dict[str, Path]:
    """Built-in pack name -> folder."""
    if not BUILTIN_DIR.is_dir():
        return {}
    return {p.name: p for p in sorted(BUILTIN_DIR.iterdir()) if (p / "pack.yaml").is_file()}


# Where parsed built-in data is cached across processes (set from the run's
# options; None: not at all). Parsing YAML costs ~50 ms, most of a small
# run's start-up (issue 6).
CACHE_DIR: str | None = None
_PROFILES: dict[str, dict[str, tuple[str, ...]]] = {}


def builtin_profiles() -> dict[str, tuple[str, ...]]:
    path = BUILTIN_DIR / "profiles.yaml"
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    from . import cache

    key = cache.digest(data).hex()
    if key not in _PROFILES:
        stored = cache.read(cache.data_path(CACHE_DIR, "profiles", key)) if CACHE_DIR else None
        if not isinstance(stored, dict):
            stored = _parse_profiles(path)
            if CACHE_DIR:
                cache.write(cache.data_path(CACHE_DIR, "profiles", key), stored)
        _PROFILES[key] = stored
    return dict(_PROFILES[key])


def _parse_profiles(path: Path) -> dict[str, tuple[str, ...]]:
    data = read_yaml(path) or {}
    return {str(k): tuple(str(p) for p in v.get("packs", [])) for k, v in data.get("profiles", {}).items()}


def resolve_pack(name: str, base: Path | None = None) -> Path:
    """A built-in pack name, or a path (relative to `base`) to a pack folder."""
    packs = builtin_packs()
    if name in packs:
        return packs[name]
    candidate = (base or Path.cwd()) / name
    if (candidate / "pack.yaml").is_file():
        return candidate
    hint = did_you_mean(name, packs) or f"built-in packs: {', '.join(packs) or 'none'}"
    raise PackError(f"unknown pack {name!r}", hint=hint)


# -- validation ----------------------------------------------------------------

def _check_value(kind: str, value: Any, where: tuple[str, int | None], key: str) -> Any:
    path, line = where

    def bad(expected: str) -> PackError:
        return PackError(f"key {key!r} must be {expected}, got {_kind(value)}", path, line)

    if kind in ("str", "code", "slug", "type", "category", "severity"):
        if not isinstance(value, str):
            raise bad("a string")
        return _check_str(kind, value, where, key)
    if kind == "bool":
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if kind in ("patterns", "strings", "conditions", "kinds", "categories"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("a list of strings")
        return _check_list(kind, value, where, key)
    if kind == "mapping":
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            raise bad("a mapping of pattern to wording")
        return dict(value)
    if kind.startswith("choice:"):
        choices = kind.split(":", 1)[1].split("|")
        if value not in choices:
            raise PackError(f"key {key!r} must be one of {', '.join(choices)}, got {value!r}", path, line)
        return value
    if kind == "examples":
        return _check_examples(value, where)
    if kind == "gates":
        return _check_gates(value, where)
    raise AssertionError(kind)


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"


def _check_str(kind: str, value: str, where: tuple[str, int | None], key: str) -> str:
    path, line = where
    if kind == "code" and not _CODE.match(value):
        raise PackError(f"rule code {value!r} must look like HL101", path, line)
    if kind == "slug" and not _SLUG.match(value):
        raise PackError(f"rule name {value!r} must be lower-case words joined by '-'", path, line)
    if kind == "type" and value not in RULE_TYPES:
        raise PackError(f"unknown rule type {value!r}", path, line,
                        hint=did_you_mean(value, RULE_TYPES) or "types: " + ", ".join(RULE_TYPES))
    if kind == "category" and value not in CATEGORIES:
        raise PackError(f"unknown category {value!r}", path, line,
                        hint=did_you_mean(value, CATEGORIES) or "categories: " + ", ".join(CATEGORIES))
    if kind == "severity":
        try:
            Severity.parse(value)
        except ValueError as exc:
            raise PackError(str(exc), path, line) from None
    return value


def _check_list(kind: str, values: list[str], where: tuple[str, int | None], key: str) -> list[str]:
    path, line = where
    allowed: Sequence[str] | None = {
        "conditions": CONDITIONS,
        "categories": CATEGORIES,
        "kinds": None,
    }.get(kind)
    if kind == "kinds":
        from .document.model import REGION_KINDS

        allowed = sorted(REGION_KINDS)
    if allowed is not None:
        for i, v in enumerate(values):
            if v not in allowed:
                # The item itself, not the key that holds the list.
                raise PackError(f"unknown value {v!r} in {key!r}", path, *_item_mark(values, i, line),
                                hint=did_you_mean(v, allowed) or "allowed: " + ", ".join(allowed))
    return list(values)


# Context a rule may depend on that the text cannot show; a project states
# it in its config (`context:`), and a gated rule runs only when it matches.
GATES: Mapping[str, tuple[str, ...]] = {
    "market": ("US", "UK", "EU", "AU", "CA"),
    "product-class": ("dietary-supplement", "food", "otc-medicine", "prescription-medicine", "device",
                      "cosmetic", "cannabis", "unapproved-substance"),
    "content-type": ("advertising", "product-page", "label", "affiliate", "editorial", "social"),
    "audience": ("consumer", "professional"),
}


def _check_gates(value: Any, where: tuple[str, int | None]) -> dict[str, tuple[str, ...]]:
    path, line = where
    if not isinstance(value, Mapping):
        raise PackError("'applies-when' must map a context key to a list of values", path, line)
    out = {}
    for key, allowed in value.items():
        if key not in GATES:
            raise PackError(f"unknown context key {key!r} in 'applies-when'", path, line,
                            hint=did_you_mean(str(key), GATES) or "keys: " + ", ".join(GATES))
        items = [allowed] if isinstance(allowed, str) else allowed
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            raise PackError(f"'applies-when.{key}' must be a list of strings", path, line)
        for i, v in enumerate(items):
            if v not in GATES[key]:
                raise PackError(f"unknown {key} {v!r} in 'applies-when'", path, *_item_mark(items, i, line),
                                hint=did_you_mean(v, GATES[key]) or "values: " + ", ".join(GATES[key]))
        out[str(key)] = tuple(items)
    return out


def applicable(spec: RuleSpec, context: Mapping[str, str | Sequence[str]]) -> bool:
    """Whether a gated rule's context matches the project's; a rule gated on
    a key the project has not set does not run (it is not guessed)."""
    for key, allowed in spec.applies_when.items():
        have = context.get(key)
        values = [have] if isinstance(have, str) else list(have or ())
        if not any(v in allowed for v in values):
            return False
    return True


def _check_examples(value: Any, where: tuple[str, int | None]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    path, line = where
    if not isinstance(value, Mapping) or set(value) - {"flag", "pass"}:
        raise PackError("'examples' must be a mapping with 'flag' and 'pass' lists", path, line)
    lists = []
    for key in ("flag", "pass"):
        items = value.get(key)
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise PackError(f"'examples.{key}' must be a non-empty list of strings", path, line,
                            hint="every rule documents text it must flag and text it must pass")
        lists.append(tuple(items))
    return lists[0], lists[1]


def validate_rule(node: Any, path: str, pack: str) -> RuleSpec:
    """Check one rule mapping against the common keys and its type's keys."""
    line = _line(node)
    if not isinstance(node, Mapping):
        raise PackError("each entry of 'rules' must be a mapping", path, line)
    rtype = node.get("type")
    _check_value("type", rtype, (path, _line(node, "type")), "type")
    type_keys = RULE_TYPES[rtype].PARAMS
    known = {**RULE_KEYS, **type_keys}
    for key in node:
        if key not in known:
            raise PackError(f"unknown key {key!r} in rule {node.get('code', '?')}", path, _line(node, key),
                            hint=did_you_mean(str(key), known))
    values: dict[str, Any] = {}
    for key, (kind, required, default) in known.items():
        if key not in node or node[key] is None:
            if required:
                raise PackError(f"rule {node.get('code', '?')} is missing required key {key!r}", path, line)
            values[key] = default
            continue
        values[key] = _check_value(kind, node[key], (path, _line(node, key)), key)
    flag, passing = values.pop("examples")
    params = {k: values[k] for k in type_keys}
    return RuleSpec(
        code=values["code"], name=values["name"], category=values["category"],
        severity=Severity.parse(values["severity"]), type=rtype, message=values["message"],
        explanation=values["explanation"].strip(), basis=tuple(values["basis"]),
        rewrite=values["rewrite"].strip(), url=values["url"], pack=pack, enabled=values["enabled"],
        applies_when=values["applies-when"],
        examples_flag=flag, examples_pass=passing, path=path, line=line or 1, params=params,
    )


# -- compilation ---------------------------------------------------------------

class _Compiler:
    """Gives a rule type compiled patterns for its keys, with errors pointing
    at the key's line in the pack. Every pattern of one rule set shares one
    literal index, so a text is prefiltered for all rules in one pass."""

    def __init__(self, spec: RuleSpec, fragments: Mapping[str, str], context: Context,
                 lines: Mapping[str, int | None], index: LiteralIndex | None = None,
                 analysis: Analyser | None = None, lazy: bool = False) -> None:
        self.spec, self.fragments, self.context, self.lines = spec, fragments, context, lines
        self.index, self.analysis, self.lazy = index, analysis, lazy

    def _where(self, key: str) -> tuple[str, int | None]:
        return self.spec.path, self.lines.get(key) or self.spec.line

    def pattern(self, key: str) -> Scanner | None:
        patterns = self.spec.params.get(key) or []
        return compile_alternation(list(patterns), self.fragments, where=self._where(key),
                                   case_sensitive=bool(self.spec.params.get("case-sensitive")), index=self.index,
                                   analysis=self.analysis, lazy=self.lazy)

    def compile(self, pattern: str) -> Scanner:
        return compile_pattern(pattern, self.fragments, where=self._where("swap"),
                               case_sensitive=bool(self.spec.params.get("case-sensitive")), index=self.index,
                               analysis=self.analysis, lazy=self.lazy)

    def raw(self, source: str, case_sensitive: bool = False) -> Scanner:
        """A pattern built by the rule type itself (no fragments, no space
        rewriting), with the same prefilter."""
        return compile_source(source, case_sensitive=case_sensitive, index=self.index,
                              where=self._where("substances"))


def _builtin(path: str) -> bool:
    try:
        Path(path).resolve().relative_to(BUILTIN_DIR.resolve())
    except (ValueError, OSError):
        return False
    return True


# A fragment as defined: its pattern, and the file and line it came from.
_Fragment = tuple[str, str, int | None]
RULE_FILE_KEYS = ("rules", "fragments", "override-fragments")


def _fragments_of(data: Any, path: str, key: str = "fragments") -> dict[str, _Fragment]:
    frags = data.get(key) if isinstance(data, Mapping) else None
    if frags is None:
        return {}
    if not isinstance(frags, Mapping):
        raise PackError(f"{key!r} must be a mapping of name to pattern", path, _line(data, key))
    out: dict[str, _Fragment] = {}
    for name, value in frags.items():
        if isinstance(value, list):
            value = "|".join(f"(?:{v})" for v in value)
        if not isinstance(value, str):
            raise PackError(f"fragment {name!r} must be a pattern or a list of patterns", path, _line(frags, name))
        out[str(name)] = (value, path, _line(frags, name))
    return out


def _origin(fragment: _Fragment) -> str:
    _, path, line = fragment
    try:
        shown = "built-in " + Path(path).relative_to(BUILTIN_DIR).as_posix()
    except ValueError:
        shown = path
    return f"{shown}:{line}" if line else shown


class _FragmentTable:
    """The one fragment namespace that every loaded pack and rule file shares.

    A name is defined once. A pack or local rule file that defined
    `{condition}` again used to replace the built-in one silently, for
    every rule; now that is an error, and a file that means it lists the
    fragment under `override-fragments:`. Overrides are applied after
    everything is loaded, so the order of packs does not matter.
    """

    def __init__(self) -> None:
        self.defined: dict[str, _Fragment] = {}
        self.overrides: dict[str, _Fragment] = {}

    def add(self, data: Any, path: str) -> None:
        for name, fragment in _fragments_of(data, path).items():
            if name in self.defined:
                raise PackError(f"fragment {name!r} is already defined at {_origin(self.defined[name])}", path,
                                fragment[2], hint="rename yours, or list it under 'override-fragments' to "
                                                  "replace that one for every rule")
            self.defined[name] = fragment
        for name, fragment in _fragments_of(data, path, "override-fragments").items():
            if name in self.overrides:
                raise PackError(f"fragment {name!r} is overridden twice; first at "
                                f"{_origin(self.overrides[name])}", path, fragment[2])
            self.overrides[name] = fragment

    def patterns(self) -> dict[str, str]:
        """Every fragment's pattern, overrides applied."""
        out = {name: fragment[0] for name, fragment in self.defined.items()}
        for name, (pattern, path, line) in self.overrides.items():
            if name not in out:  # a typo would otherwise define a new, unused fragment
                raise PackError(f"'override-fragments' names {name!r}, which no loaded pack or rule file defines",
                                path, line, hint=did_you_mean(name, out) or "define it under 'fragments'")
            out[name] = pattern
        return out


def _rule_files(folder: Path) -> list[Path]:
    # A named pipe or device in a rules folder is never opened: a pipe whose
    # writer stays silent would block the run (issue 7). A broken link is
    # kept, so reading it says what is wrong.
    return sorted(p for p in folder.glob("*.yaml")
                  if p.name != "pack.yaml" and (p.is_file() or not p.exists()))


def _load_rule_file(path: Path, pack: str,
                    fragments: _FragmentTable) -> list[tuple[RuleSpec, dict[str, int | None]]]:
    data = read_yaml(path)
    if data is None:
        return []
    if not isinstance(data, Mapping):
        raise PackError("a rule file must be a mapping with a 'rules' list", str(path), 1)
    for key in data:
        if key not in RULE_FILE_KEYS:
            raise PackError(f"unknown top-level key {key!r}", str(path), _line(data, key),
                            hint=did_you_mean(str(key), RULE_FILE_KEYS)
                            or "a rule file holds only 'rules', 'fragments' and 'override-fragments'")
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise PackError("'rules' must be a list", str(path), _line(data, "rules"))
    out = []
    for i, node in enumerate(rules):
        if not isinstance(node, Mapping):  # an empty "-" has no position of its own
            raise PackError("each entry of 'rules' must be a mapping", str(path), _item_line(rules, i),
                            hint="start each rule with '- code: ...'")
        spec = validate_rule(node, str(path), pack)
        out.append((spec, {k: _line(node, k) for k in node}))
    fragments.add(data, str(path))
    return out


PACK_KEYS = ("name", "description", "fragments", "override-fragments", "url")


def _load_pack(folder: Path,
               fragments: _FragmentTable) -> tuple[str, list[tuple[RuleSpec, dict[str, int | None]]]]:
    meta_path = folder / "pack.yaml"
    meta = read_yaml(meta_path) or {}
    if not isinstance(meta, Mapping):
        raise PackError("pack.yaml must be a mapping", str(meta_path), 1)
    for key in meta:
        if key not in PACK_KEYS:
            raise PackError(f"unknown key {key!r} in pack.yaml", str(meta_path), _line(meta, key),
                            hint=did_you_mean(str(key), PACK_KEYS))
    name = str(meta.get("name") or folder.name)
    fragments.add(meta, str(meta_path))
    rules = []
    for path in _rule_files(folder):
        rules.extend(_load_rule_file(path, name, fragments))
    return name, rules


def load_ruleset(packs: Sequence[str] = DEFAULT_PACKS, extra: Sequence[str] = (),
                 base: str | None = None, cache_dir: str | None = None) -> RuleSet:
    """Load, validate and compile packs (names or folders) plus extra rule
    files or folders; cached per arguments for the life of the process and,
    with a `cache_dir`, compiled once across processes (issue 6)."""
    from . import cache
    from .rules.scanner import use_store

    # Branches compiled at first use are kept under the same cache folder.
    use_store(None if cache_dir is None else os.path.join(cache_dir, cache.code_fingerprint(), "regex"))
    return _load_ruleset(tuple(packs), tuple(extra), base, cache_dir)


@lru_cache(maxsize=16)
def _load_ruleset(packs: tuple[str, ...], extra: tuple[str, ...], base: str | None,
                  cache_dir: str | None = None) -> RuleSet:
    if cache_dir is None:
        return _build(packs, extra, base)
    from . import cache

    key = _ruleset_key(packs, extra, base)
    if key is not None:
        cached = cache.load_ruleset(cache_dir, key)
        if isinstance(cached, RuleSet) and cached.key == key:
            return cached
    global _READ
    _READ = []
    try:
        ruleset = _build(packs, extra, base)
        read = _READ
    finally:
        _READ = None
    if key is not None:
        ruleset = replace(ruleset, key=key)
        cache.save_ruleset(cache_dir, key, ruleset, read)
    return ruleset


def _ruleset_key(packs: tuple[str, ...], extra: tuple[str, ...], base: str | None) -> str | None:
    """A digest of the pack folders, extra rule files and shared fragments
    (None if a pack cannot be found: the build reports that)."""
    from . import cache

    base_path = Path(base) if base else None
    try:
        folders = [resolve_pack(p, base_path) for p in dict.fromkeys(packs)]
    except PackError:
        return None
    extras = [Path(item) if base_path is None else base_path / item for item in extra]
    tree = cache.tree_digest(folders + [e for e in extras if e.is_dir()],
                             [BUILTIN_DIR / "fragments.yaml", *(e for e in extras if not e.is_dir())])
    return cache.key_of("ruleset", cache.code_fingerprint(), packs, extra, base, tree)


def _build(packs: tuple[str, ...], extra: tuple[str, ...], base: str | None) -> RuleSet:
    base_path = Path(base) if base else None
    fragments = _FragmentTable()
    shared = BUILTIN_DIR / "fragments.yaml"
    if shared.is_file():
        fragments.add(read_yaml(shared) or {}, str(shared))
    loaded: list[tuple[RuleSpec, dict[str, int | None]]] = []
    names = []
    for pack in dict.fromkeys(packs):
        name, rules = _load_pack(resolve_pack(pack, base_path), fragments)
        names.append(name)
        loaded.extend(rules)
    for item in extra:
        path = Path(item) if base_path is None else base_path / item
        files = _rule_files(path) if path.is_dir() else [path]
        if not path.exists():
            raise PackError("rule file or folder does not exist", str(path))
        for f in files:
            loaded.extend(_load_rule_file(f, "local", fragments))
    # With a built-in fragment overridden, built-in patterns are no longer
    # the ones the tests compiled: compile everything when loaded.
    return _compile(loaded, fragments.patterns(), tuple(names), trusted=not fragments.overrides)


def _compile(loaded: list[tuple[RuleSpec, dict[str, int | None]]], fragments: Mapping[str, str],
             names: tuple[str, ...], trusted: bool = False) -> RuleSet:
    index = LiteralIndex()
    analysis = analyser(fragments)
    context = Context(fragments, str(BUILTIN_DIR / "fragments.yaml"), index, analysis)
    seen: dict[str, RuleSpec] = {}
    compiled = []
    for spec, lines in loaded:
        for key in (spec.code, spec.name):
            if key in seen:
                other = seen[key]
                raise PackError(f"rule {key} is defined twice", spec.path, spec.line,
                                hint=f"first defined at {other.path}:{other.line}")
            seen[key] = spec
        compiler = _Compiler(spec, fragments, context, lines, index, analysis, lazy=trusted and _builtin(spec.path))
        impl = RULE_TYPES[spec.type](spec.params, compiler)
        compiled.append(CompiledRule(spec, impl))
    forget_analysis()
    return RuleSet(tuple(compiled), names, dict(fragments))
