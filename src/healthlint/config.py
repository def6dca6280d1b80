"""Project configuration: find it, load it, validate it strictly.

A project configures healthlint in `.healthlint.yaml` (or `.yml`) or in the
`[tool.healthlint]` table of `pyproject.toml`. For each linted file the
nearest one upwards from the file's folder wins (in one folder, the YAML file
beats pyproject.toml); the walk stops at the filesystem root. `--config FILE`
names one file for every path. Keys are documented in docs/configuration.md.

Every mistake is a ConfigError whose str() is one line,
`path:line:col: what is wrong; hint`. YAML keeps positions (ruamel.yaml
round-trip nodes); tomllib has none, so TOML errors name the file and key.
Rule codes in `select`, `ignore`, `severity` and `per-file-ignores` can only
be checked once the packs are loaded, so the positions of those entries are
kept on the Config (`marks`) for `Config.selectors` to report later.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

from .errors import ConfigError
from .findings import Severity
from .selection import Selector, Universe

YAML_NAMES = (".healthlint.yaml", ".healthlint.yml")
PYPROJECT = "pyproject.toml"
DEFAULT_FAIL_ON = Severity.INFO

# key -> kind; the kinds are checked by _check below.
KEYS: Mapping[str, str] = {
    "profile": "string",
    "packs": "strings",
    "rules": "strings",
    "select": "strings",
    "extend-select": "strings",
    "ignore": "strings",
    "severity": "severity-map",
    "exclude": "strings",
    "per-file-ignores": "strings-map",
    "fail-on": "severity",
    "report-unused-disables": "bool",
    "html-metadata": "bool",
    "context": "context",
    # Issue 5: fixes, baselines, the approved-claims register.
    "consult-notice": "notice",
    "dshea-disclaimer": "notice",
    "baseline": "path",
    "approved-claims": "existing-path",
}
NOTICE_POSITIONS = ("end", "after-first-heading")
SELECTOR_KEYS = ("select", "extend-select", "ignore")

Mark = tuple[int, int]


class Notice(NamedTuple):
    """A notice `--fix` may insert (`consult-notice`, `dshea-disclaimer`):
    the project's wording and where it goes (end, after-first-heading)."""

    text: str
    position: str = "end"


@dataclass(frozen=True)
class Config:
    """One validated configuration file (or the defaults when `path` is None).

    `root` is the folder that relative `rules`, `packs`, `exclude` and
    `per-file-ignores` entries are resolved against: the config file's folder.
    """

    path: str | None
    root: str
    profile: str = "default"
    packs: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: Severity = DEFAULT_FAIL_ON
    report_unused_disables: bool = False
    # Also lint HTML's social-card metas, JSON-LD descriptions and shown
    # attributes (title, aria-label, placeholder, button labels).
    html_metadata: bool = False
    # What the text cannot show (market, product class, content type,
    # audience); rules gated with `applies-when` run only when it matches.
    context: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Issue 5 (docs/fixes.md, docs/baseline.md, docs/approved-claims.md).
    consult_notice: Notice | None = None
    dshea_disclaimer: Notice | None = None
    baseline: str | None = None
    approved_claims: str | None = None
    marks: Mapping[tuple[Any, ...], Mark] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def all_packs(self) -> tuple[str, ...]:
        """The profile's packs followed by the `packs` key's, without repeats."""
        from .packs import builtin_profiles

        return tuple(dict.fromkeys([*builtin_profiles().get(self.profile, ()), *self.packs]))

    def error(self, where: tuple[Any, ...], message: str, hint: str | None = None) -> ConfigError:
        line, col = self.marks.get(where, (None, None))
        return ConfigError(message, self.path, line, col, hint)

    def selectors(self, key: str, universe: Universe) -> tuple[Selector, ...]:
        """The entries of `select`, `extend-select` or `ignore`, resolved."""
        values = {"select": self.select or (), "extend-select": self.extend_select, "ignore": self.ignore}[key]
        return tuple(self._resolve(token, (key, i), f"in {key!r}", universe) for i, token in enumerate(values))

    def severity_selectors(self, universe: Universe) -> tuple[tuple[Selector, Severity], ...]:
        return tuple((self._resolve(k, ("severity", k), "in 'severity'", universe), v) for k, v in self.severity)

    def per_file_selectors(self, universe: Universe) -> tuple[tuple[str, tuple[Selector, ...]], ...]:
        return tuple(
            (glob, tuple(self._resolve(t, ("per-file-ignores", glob, i), f"in 'per-file-ignores' for {glob!r}",
                                       universe) for i, t in enumerate(tokens)))
            for glob, tokens in self.per_file_ignores
        )

    def _resolve(self, token: str, where: tuple[Any, ...], context: str, universe: Universe) -> Selector:
        sel = universe.resolve(token)
        if sel is None:
            raise self.error(where, f"unknown rule code, name, prefix or category {token!r} {context}",
                             universe.suggest(token))
        return sel


# -- loading -------------------------------------------------------------------

def load_config(path: str | os.PathLike[str], display: str | None = None) -> Config:
    """Load and validate one config file (YAML, or pyproject.toml's table);
    errors name it as `display` (default: `path` as given)."""
    p = Path(path)
    name = display or str(p)
    if not p.is_file():
        raise ConfigError("config file not found", name, hint="check the --config path")
    if p.suffix == ".toml":
        data = _read_toml(p, name)
        table = data.get("tool", {}).get("healthlint") if isinstance(data.get("tool"), dict) else None
        if table is None:
            raise ConfigError("no [tool.healthlint] table", name, hint="add one, or use .healthlint.yaml")
        if not isinstance(table, dict):
            raise ConfigError("'tool.healthlint' must be a table", name)
        return _validate(table, name, p.parent, toml=True)
    return _validate(_read_yaml(p, name), name, p.parent, toml=False)


def config_from_mapping(data: Mapping[str, Any], root: str | os.PathLike[str] | None = None,
                        name: str = "<config>") -> Config:
    """Validate a plain mapping (the public API's `config=` argument)."""
    return _validate(data, name, Path(root or os.getcwd()), toml=False)


def default_config(root: str | os.PathLike[str] | None = None) -> Config:
    return Config(path=None, root=os.path.abspath(root or os.getcwd()))


def _read_yaml(p: Path, name: str) -> Any:
    from . import yamltext

    data = yamltext.load(_read_text(p, name), name, ConfigError, "the configuration needs only two levels of nesting")
    return {} if data is None else data


def _read_text(p: Path, name: str) -> str:
    try:
        return p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read config file: not UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset "
                          f"{exc.start})", name, exc.object.count(b"\n", 0, exc.start) + 1,
                          hint="save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file: {exc.strerror or exc}", name) from None


def _toml_loads(text: str) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef, unused-ignore]
    data: dict[str, Any] = tomllib.loads(text)
    return data


def _read_toml(p: Path, name: str) -> dict[str, Any]:
    text = _read_text(p, name)
    try:
        return _toml_loads(text)
    except RecursionError:  # tomllib recurses once per nested array or table (issue 7)
        raise ConfigError("invalid TOML: nested too deeply", name) from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        msg = str(exc)
        m = re.search(r"\s*\(at line (\d+), column (\d+)\)$", msg)
        if m:
            raise ConfigError(f"invalid TOML: {msg[:m.start()]}", name, int(m[1]), int(m[2])) from None
        raise ConfigError(f"invalid TOML: {msg}", name) from None


# -- validation ----------------------------------------------------------------

def _kind_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return "null" if value is None else type(value).__name__


def _pos(node: Any, how: str, key: Any) -> Mark | None:
    """1-based (line, col) of a mapping key/value or a list item, if known."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return None
    try:
        line, col = getattr(lc, how)(key)
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return line + 1, col + 1


class _Checker:
    """Validates one top-level mapping, recording marks as it goes."""

    def __init__(self, data: Mapping[str, Any], path: str, root: Path, toml: bool) -> None:
        self.data, self.path, self.root, self.toml = data, path, root, toml
        self.marks: dict[tuple[Any, ...], Mark] = {}

    def fail(self, mark: Mark | None, message: str, hint: str | None = None) -> ConfigError:
        line, col = mark or (None, None)
        return ConfigError(message, self.path, line, col, hint)

    def keys(self) -> None:
        for key in self.data:
            if key not in KEYS:
                close = difflib.get_close_matches(str(key), list(KEYS), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "valid keys: " + ", ".join(KEYS)
                where = " in [tool.healthlint]" if self.toml else ""
                raise self.fail(_pos(self.data, "key", key), f"unknown key {str(key)!r}{where}", hint)

    def strings(self, value: Any, node: Any, where: tuple[Any, ...]) -> tuple[str, ...]:
        """A list of non-empty strings at node[where[-1]]; marks each item."""
        if not isinstance(value, list):
            raise self.fail(_pos(node, "value", where[-1]), f"{_label(where)} must be a list of strings, got "
                            f"{_kind_name(value)}")
        for i, item in enumerate(value):
            mark = _pos(value, "item", i)
            if not isinstance(item, str):
                raise self.fail(mark, f"{_label(where)} must be a list of strings, got {_kind_name(item)} "
                                f"in item {i + 1}")
            if not item.strip():
                raise self.fail(mark, f"{_label(where)} has an empty string in item {i + 1}")
            if mark:
                self.marks[where + (i,)] = mark
        return tuple(str(v).strip() for v in value)

    def mapping(self, key: str, value: Any) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(_pos(self.data, "value", key), f"{key!r} must be a mapping, got {_kind_name(value)}")
        return value

    def severity(self, value: Any, mark: Mark | None, subject: str, context: str) -> Severity:
        if not isinstance(value, str):
            raise self.fail(mark, f"{subject} must be error, warning or info, got {_kind_name(value)}")
        try:
            return Severity.parse(value)
        except ValueError:
            raise self.fail(mark, f"unknown severity {value!r} {context}", "use error, warning or info") from None


def _label(where: tuple[Any, ...]) -> str:
    if where[0] == "per-file-ignores":
        return f"'per-file-ignores' entry {where[1]!r}"
    if where[0] == "context" and len(where) > 1:
        return f"'context.{where[1]}'"
    return repr(where[0])


def _validate(data: Any, path: str, root: Path, toml: bool) -> Config:
    if not isinstance(data, Mapping):
        raise ConfigError("the configuration must be a mapping of keys to values", path, 1, 1)
    c = _Checker(data, path, root, toml)
    c.keys()
    values: dict[str, Any] = {}
    for key in data:
        values[key.replace("-", "_")] = _VALIDATORS[KEYS[key]](c, key, data[key])
    _check_select_names_something(c, values)
    return Config(path=path, root=str(root.absolute()), marks=c.marks, **values)


def _check_select_names_something(c: _Checker, values: Mapping[str, Any]) -> None:
    """`select: []` alone would run no rule and pass every file (ruff allows
    it silently); with `extend-select` it says "start from nothing, then add"."""
    if values.get("select") == () and not values.get("extend_select"):
        raise c.fail(_pos(c.data, "value", "select"), "'select' is empty, so no rule would run",
                     "list codes, names, prefixes or categories (ALL for every rule), or add 'extend-select' "
                     "to start from nothing")


def _v_string(c: _Checker, key: str, value: Any) -> str:
    mark = _pos(c.data, "value", key)
    if not isinstance(value, str):
        raise c.fail(mark, f"{key!r} must be a string, got {_kind_name(value)}")
    if key == "profile":
        from .packs import builtin_profiles

        profiles = builtin_profiles()
        if value not in profiles:
            close = difflib.get_close_matches(value, list(profiles), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "profiles: " + ", ".join(profiles)
            raise c.fail(mark, f"unknown profile {value!r}", hint)
    return value


def _v_strings(c: _Checker, key: str, value: Any) -> tuple[str, ...]:
    items = c.strings(value, c.data, (key,))
    if key == "packs":
        _check_packs(c, items)
    elif key == "rules":
        _check_rule_paths(c, items)
    elif key == "exclude":
        for i, glob in enumerate(items):
            _check_glob(c, glob, c.marks.get(("exclude", i)), "'exclude'")
    return items


def _check_glob(c: _Checker, glob: str, mark: Mark | None, where: str) -> None:
    try:
        PathPattern.compile(glob)
    except ValueError as exc:
        raise c.fail(mark, f"invalid glob {glob!r} in {where}: {exc}",
                     "a class is one character of a set, such as [abc], [a-z] or [!abc]") from None


def _check_packs(c: _Checker, items: tuple[str, ...]) -> None:
    from .errors import PackError
    from .packs import resolve_pack

    for i, name in enumerate(items):
        try:
            resolve_pack(name, c.root)
        except PackError as exc:
            raise c.fail(c.marks.get(("packs", i)), f"{exc.message} in 'packs'", exc.hint) from None


def _check_rule_paths(c: _Checker, items: tuple[str, ...]) -> None:
    for i, item in enumerate(items):
        if not (c.root / item).exists():
            raise c.fail(c.marks.get(("rules", i)), f"rule file or folder {item!r} does not exist",
                         f"paths in 'rules' are relative to {c.root}")


def _v_bool(c: _Checker, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise c.fail(_pos(c.data, "value", key), f"{key!r} must be true or false, got {_kind_name(value)}")
    return value


def _v_severity(c: _Checker, key: str, value: Any) -> Severity:
    return c.severity(value, _pos(c.data, "value", key), repr(key), f"in {key!r}")


def _v_severity_map(c: _Checker, key: str, value: Any) -> tuple[tuple[str, Severity], ...]:
    node = c.mapping(key, value)
    out = []
    for k, v in node.items():
        mark = _pos(node, "key", k)
        if mark:
            c.marks[("severity", str(k))] = mark
        out.append((str(k), c.severity(v, _pos(node, "value", k), f"the severity of {str(k)!r}",
                                       f"for {str(k)!r} in 'severity'")))
    return tuple(out)


def _v_strings_map(c: _Checker, key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    node = c.mapping(key, value)
    if key == "per-file-ignores":
        for k in node:
            _check_glob(c, str(k), _pos(node, "key", k), "'per-file-ignores'")
    return tuple((str(k), c.strings(v, node, (key, str(k)))) for k, v in node.items())


def _v_context(c: _Checker, key: str, value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    from .packs import GATES

    node = c.mapping(key, value)
    out = []
    for k, v in node.items():
        if k not in GATES:
            close = difflib.get_close_matches(str(k), list(GATES), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "keys: " + ", ".join(GATES)
            raise c.fail(_pos(node, "key", k), f"unknown context key {str(k)!r}", hint)
        # One value or a list: `market: US` as well as `market: [UK, EU]`.
        if isinstance(v, str):
            if not v.strip():
                raise c.fail(_pos(node, "value", k), f"'context.{k}' is empty", "values: " + ", ".join(GATES[k]))
            values: tuple[str, ...] = (v.strip(),)
        else:
            values = c.strings(v, node, (key, str(k)))
        for i, item in enumerate(values):
            if item not in GATES[k]:
                close = difflib.get_close_matches(item, list(GATES[k]), n=1)
                hint = f"did you mean {close[0]!r}?" if close else "values: " + ", ".join(GATES[k])
                # Point at the item itself, not at the list that holds it.
                mark = c.marks.get((key, str(k), i)) or _pos(node, "value", k)
                raise c.fail(mark, f"unknown {k} {item!r} in 'context'", hint)
        out.append((str(k), values))
    return tuple(out)


def _v_notice(c: _Checker, key: str, value: Any) -> Notice:
    """A string (inserted at the end) or {text: ..., position: end|after-first-heading}."""
    mark = _pos(c.data, "value", key)
    if isinstance(value, str):
        value = {"text": value}
    if not isinstance(value, Mapping):
        raise c.fail(mark, f"{key!r} must be a string or a mapping with 'text' and 'position', "
                           f"got {_kind_name(value)}")
    for k in value:
        if k not in ("text", "position"):
            close = difflib.get_close_matches(str(k), ["text", "position"], n=1)
            raise c.fail(_pos(value, "key", k) or mark, f"unknown key {str(k)!r} in {key!r}",
                         f"did you mean {close[0]!r}?" if close else "keys: text, position")
    text, position = value.get("text"), value.get("position", "end")
    if not isinstance(text, str) or not text.strip():
        raise c.fail(_pos(value, "value", "text") or mark, f"{key!r} needs a non-empty 'text'",
                     "write the notice in the project's own wording")
    if position not in NOTICE_POSITIONS:
        raise c.fail(_pos(value, "value", "position") or mark,
                     f"unknown position {position!r} in {key!r}", "use end or after-first-heading")
    return Notice(text.strip(), str(position))


def _v_path(c: _Checker, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise c.fail(_pos(c.data, "value", key), f"{key!r} must be a file path, got {_kind_name(value)}")
    return value.strip()


def _v_existing_path(c: _Checker, key: str, value: Any) -> str:
    path = _v_path(c, key, value)
    if not (c.root / path).is_file():
        raise c.fail(_pos(c.data, "value", key), f"{key!r} file {path!r} does not exist",
                     f"paths are relative to {c.root}")
    return path


_VALIDATORS = {
    "notice": _v_notice,
    "path": _v_path,
    "existing-path": _v_existing_path,
    "context": _v_context,
    "string": _v_string,
    "strings": _v_strings,
    "bool": _v_bool,
    "severity": _v_severity,
    "severity-map": _v_severity_map,
    "strings-map": _v_strings_map,
}


# -- discovery -----------------------------------------------------------------

def _pyproject_has_table(p: Path, name: str) -> bool:
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    # Only parse pyproject files that can hold our table: a broken pyproject
    # of some unrelated tool must not stop healthlint.
    if "healthlint" not in text:
        return False
    tool = _read_toml(p, name).get("tool")
    return isinstance(tool, dict) and "healthlint" in tool


def config_file_in(folder: Path, cwd: str | None = None) -> Path | None:
    """The config file that sits in `folder` itself, if any."""
    for name in YAML_NAMES:
        if (folder / name).is_file():
            return folder / name
    pyproject = folder / PYPROJECT
    if pyproject.is_file() and _pyproject_has_table(pyproject, display_path(str(pyproject), cwd)):
        return pyproject
    return None


def display_path(path: str, cwd: str | None = None) -> str:
    """`path` relative to `cwd` when it lies below it (as users typed it)."""
    cwd = os.path.abspath(cwd or os.getcwd())
    abspath = os.path.abspath(path)
    rel = os.path.relpath(abspath, cwd) if os.path.splitdrive(abspath)[0] == os.path.splitdrive(cwd)[0] else abspath
    return abspath if rel.startswith(os.pardir) else rel


class ConfigResolver:
    """Finds and loads the config for each path; memoised per folder and per
    file for the life of one run (results never depend on other paths)."""

    def __init__(self, explicit: str | os.PathLike[str] | None = None, cwd: str | None = None) -> None:
        self.cwd = os.path.abspath(cwd or os.getcwd())
        self.explicit = load_config(explicit) if explicit is not None else None
        self._by_dir: dict[str, Config] = {}
        self._by_file: dict[str, Config] = {}
        self._for_path: dict[str | bytes, Config] = {}

    def for_file(self, path: str | os.PathLike[str]) -> Config:
        """The config that governs the file at `path` (which need not exist)."""
        # A run asks several times per file (walk, cache, plan); on a cached
        # run over 20,000 small files the path arithmetic was a tenth of it.
        key = os.fspath(path)
        config = self._for_path.get(key)
        if config is None:
            config = self._for_path[key] = self.for_dir(os.path.dirname(os.path.abspath(path)))
        return config

    def for_dir(self, folder: str) -> Config:
        if self.explicit is not None:
            return self.explicit
        folder = os.path.abspath(folder)
        visited = []
        config: Config | None = None
        current = folder
        while True:
            if current in self._by_dir:
                config = self._by_dir[current]
                break
            visited.append(current)
            found = config_file_in(Path(current), self.cwd)
            if found is not None:
                config = self._load(str(found))
                break
            parent = os.path.dirname(current)
            if parent == current:
                config = default_config(self.cwd)
                break
            current = parent
        for d in visited:
            self._by_dir[d] = config
        return config

    def _load(self, path: str) -> Config:
        if path not in self._by_file:
            self._by_file[path] = load_config(path, display_path(path, self.cwd))
        return self._by_file[path]


# -- gitignore-like globs -------------------------------------------------------

# Tokens a glob is made of: a literal character, a character class (its
# one-character regex), or one of these.
_ONE, _STAR, _ANY, _SKIP = ("?",), ("*",), ("**",), ("**/",)
_RUNS = (_STAR, _ANY, _SKIP)
_AS_REGEX = {_ONE: "[^/]", _STAR: "[^/]*", _ANY: ".*", _SKIP: "(?:.*/)?"}
# Characters a class body keeps literal but `re` warns about (nested sets,
# set operations to come).
_CLASS_ESCAPES = str.maketrans({"\\": "\\\\", "[": "\\[", "&": "\\&", "~": "\\~", "|": "\\|"})


def _glob_tokens(pattern: str) -> list[Any]:
    """`pattern`'s tokens; ValueError for a character class `re` rejects."""
    out: list[Any] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append(_SKIP)
            i += 3
        elif pattern.startswith("**", i):
            out.append(_ANY)
            i += 2
        elif ch in "*?":
            out.append(_STAR if ch == "*" else _ONE)
            i += 1
        elif ch == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end]
            body = "^" + body[1:] if body.startswith("!") else body
            try:
                out.append(re.compile(f"[{body.translate(_CLASS_ESCAPES)}]"))
            except re.error as exc:
                raise ValueError(f"bad character class [{pattern[i + 1:end]}]: {exc.msg}") from None
            i = end + 1
        else:
            out.append(ch)
            i += 1
    return out


def glob_regex(tokens: Sequence[Any]) -> re.Pattern[str]:
    """The regex matching exactly what `tokens` match."""
    source = "".join(re.escape(t) if type(t) is str else _AS_REGEX[t] if type(t) is tuple else t.pattern
                     for t in tokens)
    return re.compile(f"^{source}$")


def _step(tokens: Sequence[Any], text: str) -> bool:
    """Whether `tokens` match all of `text`, as `glob_regex(tokens)`
    would, found by carrying the set of token positions reached along the
    text: time linear in the text, however many wildcards there are. A
    position is (k, inside), `inside` while in the ".*/" of a `**/`."""
    n = len(tokens)

    def closure(states: set[tuple[int, bool]]) -> set[tuple[int, bool]]:
        todo = list(states)
        while todo:
            k, inside = todo.pop()
            if inside or k >= n or tokens[k] not in _RUNS:
                continue
            for state in ((k + 1, False), (k, True)) if tokens[k] is _SKIP else ((k + 1, False),):
                if state not in states:
                    states.add(state)
                    todo.append(state)
        return states

    states = closure({(0, False)})
    for ch in text:
        reached: set[tuple[int, bool]] = set()
        for k, inside in states:
            if inside:
                if ch != "\n":
                    reached.add((k, True))
                if ch == "/":
                    reached.add((k + 1, False))
                continue
            if k >= n:
                continue
            token = tokens[k]
            if token is _STAR:
                if ch != "/":
                    reached.add((k, False))
            elif token is _ANY:
                if ch != "\n":
                    reached.add((k, False))
            elif token is _SKIP:
                continue  # entered through its `inside` state
            elif token is _ONE:
                if ch != "/":
                    reached.add((k + 1, False))
            elif token == ch if type(token) is str else token.fullmatch(ch) is not None:
                reached.add((k + 1, False))
        if not reached:
            return False
        states = closure(reached)
    return (n, False) in states


@dataclass(frozen=True)
class PathPattern:
    """One gitignore-like glob, relative to a config folder.

    A pattern with a slash (other than a trailing one) is anchored to the
    folder; without one it matches at any depth. `*` and `?` stay within one
    path segment, `**` crosses them, a trailing `/` matches folders only, and
    a folder that matches takes everything below it with it.

    A glob with at most two runs (`*`, `**`, `**/`, and the any-depth start
    of an unanchored one) is matched by its regex; with more, a backtracking
    regex takes time exponential in their number ("a*a*a*a*a*b" ran for
    minutes on one long file name), so `_step` matches it.
    """

    text: str
    tokens: tuple[Any, ...]
    regex: re.Pattern[str] | None
    dir_only: bool

    @classmethod
    def compile(cls, text: str) -> PathPattern:
        """ValueError for a character class `re` rejects."""
        dir_only = text.endswith("/")
        body = text.strip("/")
        anchored = "/" in text.rstrip("/")
        tokens = ([] if anchored else [_SKIP]) + _glob_tokens(body)
        regex = None
        if sum(1 for t in tokens if t in _RUNS) <= 2:
            regex = glob_regex(tokens)
        return cls(text, tuple(tokens), regex, dir_only)

    def _matches(self, path: str) -> bool:
        if self.regex is not None:
            return self.regex.match(path) is not None
        # `$` also matches before a final newline.
        return _step(self.tokens, path) or (path.endswith("\n") and _step(self.tokens, path[:-1]))

    def matches(self, rel: str, is_dir: bool = False) -> bool:
        """Whether `rel` (a relative POSIX path) or a folder above it matches."""
        parts = rel.split("/")
        for i in range(1, len(parts) + 1):
            candidate_is_dir = i < len(parts) or is_dir
            if self.dir_only and not candidate_is_dir:
                continue
            if self._matches("/".join(parts[:i])):
                return True
        return False


def relative_to_root(path: str, root: str) -> str:
    """`path` relative to `root` as a POSIX path; outside root, its file name
    alone (so only unanchored patterns can match it)."""
    abspath = os.path.abspath(path)
    try:
        rel = os.path.relpath(abspath, root)
    except ValueError:  # another drive on Windows
        rel = os.pardir
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return os.path.basename(abspath)
    return Path(rel).as_posix()


def matches_any(patterns: Iterable[PathPattern], rel: str, is_dir: bool = False) -> bool:
    return any(p.matches(rel, is_dir) for p in patterns)
