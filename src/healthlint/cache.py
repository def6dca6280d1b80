"""Persistent caches (issue 6): compiled rule sets, and each file's results.

Both live under one folder: $HEALTHLINT_CACHE_DIR, else the user cache
folder ($XDG_CACHE_HOME/healthlint, ~/.cache/healthlint; ~/Library/Caches on
macOS, %LOCALAPPDATA% on Windows). It is outside the project, so a checked-
out repository cannot plant entries, and nothing is written next to the
files being linted. `--no-cache` skips the results (compiled rule sets
cannot be stale: they are keyed by the pack sources and this code).

    <dir>/<code>/packs/<key>.pickle     a compiled RuleSet (built-in pack
                                        patterns as source until first used)
    <dir>/<code>/regex/<digest>.pickle  one compiled pattern, named by a
                                        digest of its source and flags
    <dir>/<code>/regex/relaxed-<digest>.pickle
                                        a pattern's relaxed RE2 check
    <dir>/<code>/results/<key>/<nn>.pickle
                                        {file: (content digest, FileReport)},
                                        the files split into 64 shards

`<code>` fingerprints healthlint itself (version, Python, regex, and the
size and mtime of every module), so an upgrade or an edited checkout never
reads an old entry. A rule-set key hashes the pack files; a results key
hashes the rule set, the effective config, the command-line options and,
when approved claims are in use, the register and today's date (approvals
expire). A file's entry is used only if its content digest matches, like
ruff's cache.

Writes go to a temporary file renamed into place, so concurrent runs never
see half an entry (the last writer wins; the loser's results are only
recomputed next time). An entry that cannot be read or is not what was
expected is ignored and rebuilt. Unpickling is restricted to healthlint's
own types and plain containers.
"""
from __future__ import annotations

import gc
import io
import os
import pickle
import stat
import sys
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

try:
    # The BLAKE2 module alone: importing hashlib loads OpenSSL's, 3 ms of
    # every single-file check (issue 6).
    from _blake2 import blake2b, blake2s
except ImportError:  # an interpreter built without it
    from hashlib import blake2b, blake2s

CACHE_ENV = "HEALTHLINT_CACHE_DIR"
# Cached results kept at most, over all shards: the oldest entries of a
# full shard are dropped rather than the cache growing without bound.
MAX_RESULTS = 200_000


def default_dir() -> str:
    """The cache folder: $HEALTHLINT_CACHE_DIR or the platform's user cache."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return os.path.abspath(env)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser(r"~\AppData\Local")
        return os.path.join(base, "healthlint", "Cache")
    if sys.platform == "darwin":
        return os.path.expanduser("~/Library/Caches/healthlint")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "healthlint")


_CODE: str | None = None


def code_fingerprint() -> str:
    """Changes whenever healthlint's code, Python or the regex module does."""
    global _CODE
    if _CODE is None:
        import regex

        # The modules' sizes and mtimes below change with any upgrade, so the
        # package version (an importlib.metadata lookup, slow) is not needed.
        h = blake2b(digest_size=16)
        h.update(f"{sys.version}|{regex.__version__}".encode())
        package = Path(__file__).parent
        for root, dirs, files in os.walk(package):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "packs"))
            for name in sorted(files):
                if name.endswith(".py"):
                    st = os.stat(os.path.join(root, name))
                    h.update(f"{os.path.relpath(os.path.join(root, name), package)}|{st.st_size}|"
                             f"{st.st_mtime_ns}".encode())
        _CODE = h.hexdigest()[:20]
    return _CODE


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


def file_digest(path: str | os.PathLike[str]) -> str:
    with open(path, "rb") as fh:
        return blake2b(fh.read(), digest_size=16).hexdigest()


def key_of(*parts: Any) -> str:
    """A short hex key for `parts` (their reprs)."""
    h = blake2b(digest_size=16)
    for part in parts:
        h.update(repr(part).encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[:32]


def tree_digest(folders: Iterable[str | os.PathLike[str]], files: Iterable[str | os.PathLike[str]] = ()) -> str:
    """A digest of every file under `folders` (names and contents) and of
    `files`; a missing path counts as such."""
    h = blake2b(digest_size=16)
    for folder in folders:
        h.update(f"dir {os.path.abspath(folder)}\0".encode("utf-8", "surrogatepass"))
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(root, name)
                h.update(f"{os.path.relpath(path, folder)}\0".encode("utf-8", "surrogatepass"))
                # A named pipe in a pack folder is never opened (its read
                # could block forever); the loader skips it too.
                h.update(b"special" if _special(path) else _content(path))
    for path in files:
        h.update(f"file {os.path.abspath(path)}\0".encode("utf-8", "surrogatepass"))
        h.update(_content(path))
    return h.hexdigest()[:32]


def _special(path: str) -> bool:
    """A pipe, socket or device, not a file (a broken link is neither)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _content(path: str | os.PathLike[str]) -> bytes:
    try:
        return file_digest(path).encode()
    except OSError:
        return b"missing"


# -- reading and writing --------------------------------------------------------------

class _Unpickler(pickle.Unpickler):
    """Builds healthlint's own types and plain containers, nothing else."""

    ALLOWED = frozenset({
        ("builtins", "set"), ("builtins", "frozenset"), ("builtins", "slice"), ("builtins", "object"),
        ("builtins", "complex"), ("copyreg", "_reconstructor"), ("pathlib", "PosixPath"),
        ("pathlib", "WindowsPath"), ("pathlib", "PurePosixPath"), ("pathlib", "PureWindowsPath"),
        ("datetime", "date"), ("datetime", "datetime"), ("datetime", "timedelta"),
        ("collections", "OrderedDict"),
    })

    # Names already checked: a cached re-run unpickles a report per file.
    _found: dict[tuple[str, str], Any] = {}

    def find_class(self, module: str, name: str) -> Any:
        found = self._found.get((module, name))
        if found is not None:
            return found
        if (module, name) in self.ALLOWED:
            found = super().find_class(module, name)
        elif (module == "healthlint" or module.startswith("healthlint.")) and "." not in name:
            found = super().find_class(module, name)
            # Only a class healthlint defines: any other name in one of its
            # modules (an imported `os`, a function) could reach code.
            if not (isinstance(found, type) and found.__module__.split(".")[0] == "healthlint"):
                found = None
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a healthlint cache file")
        self._found[(module, name)] = found
        return found


def read(path: str | os.PathLike[str]) -> Any:
    """The object pickled at `path`, or None if it is missing or unreadable
    (a corrupt or foreign entry is ignored and later rebuilt)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except Exception:  # noqa: BLE001 - any damage means: no entry
        return None
    # A compiled rule set is tens of thousands of objects and no garbage:
    # collecting while they are built would only re-scan them.
    try:
        with gc_paused():
            return _Unpickler(io.BytesIO(data)).load()
    except Exception:  # noqa: BLE001 - any damage means: no entry
        return None


@contextmanager
def gc_paused() -> Iterator[None]:
    """The collector off while many long-lived objects are made at once
    (unpickling a rule set, `regex` compiling a big branch), then as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _temporary(folder: str) -> tuple[int, str]:
    """A new file in `folder` no other process or thread can also have
    opened (O_EXCL), as tempfile.mkstemp makes, without importing tempfile
    (a few milliseconds of every single-file run)."""
    while True:
        tmp = os.path.join(folder, f".tmp-{os.getpid()}-{os.urandom(8).hex()}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), tmp
        except FileExistsError:
            continue


def write(path: str | os.PathLike[str], value: Any) -> bool:
    """Pickle `value` to `path` atomically; False (and nothing written) if the
    folder cannot be created or written."""
    path = os.fspath(path)
    folder = os.path.dirname(path)
    try:
        _ensure_dir(folder)
        fd, tmp = _temporary(folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return False
    return True


_TAG_NAME = "CACHEDIR.TAG"
# In the tag healthlint writes: what `clean` looks for before deleting.
_TAG_MARK = "created by healthlint"


# Folders this process has made ready: a first run writes a thousand
# compiled patterns into one.
_READY: set[str] = set()


def _ensure_dir(folder: str) -> None:
    if folder in _READY and os.path.isdir(folder):
        return
    os.makedirs(folder, mode=0o700, exist_ok=True)
    _READY.add(folder)
    top = os.path.dirname(os.path.dirname(folder))
    tag = os.path.join(top, _TAG_NAME)
    if not os.path.exists(tag):
        try:
            with open(tag, "w", encoding="ascii") as fh:
                fh.write("Signature: 8a477f597d28d172789f06886806bc55\n"
                         f"# This file is a cache directory tag {_TAG_MARK}.\n")
        except OSError:
            pass


def remove(folder: str) -> int | None:
    """Delete the cache `folder` (`healthlint clean`); the bytes it held, or
    None if there is none. A folder without the tag healthlint writes is
    refused: $HEALTHLINT_CACHE_DIR pointed at the wrong place must not cost
    someone their files."""
    import shutil

    from .errors import HealthlintError

    if not os.path.isdir(folder):
        return None
    try:
        with open(os.path.join(folder, _TAG_NAME), "rb") as fh:
            ours = _TAG_MARK.encode() in fh.read(4096)
    except OSError:
        ours = False
    if not ours:
        raise HealthlintError(f"not a healthlint cache (it has no {_TAG_NAME} written by healthlint); "
                              "nothing removed", folder)
    size = 0
    for root, _, names in os.walk(folder):
        for name in names:
            try:
                size += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    shutil.rmtree(folder, ignore_errors=True)
    return size


def data_path(cache_dir: str, kind: str, key: str) -> str:
    return os.path.join(cache_dir, code_fingerprint(), kind, key + ".pickle")


# -- compiled rule sets ---------------------------------------------------------------

def pack_path(cache_dir: str, key: str) -> str:
    return os.path.join(cache_dir, code_fingerprint(), "packs", key + ".pickle")


def load_ruleset(cache_dir: str, key: str) -> Any:
    """The cached RuleSet for `key`, if every file it was built from still
    has the content it had."""
    entry = read(pack_path(cache_dir, key))
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    deps = entry.get("deps")
    if not isinstance(deps, list) or any(_content(p).decode() != d for p, d in deps):
        return None
    return entry.get("ruleset")


def save_ruleset(cache_dir: str, key: str, ruleset: Any, deps: Iterable[str]) -> None:
    write(pack_path(cache_dir, key),
          {"key": key, "deps": [(p, _content(p).decode()) for p in sorted(set(deps))], "ruleset": ruleset})


# -- per-file results -------------------------------------------------------------------

# A results table is split into this many files by a hash of each file's
# path: a run that lints one file (an editor, a pre-commit hook on one
# change) reads one small shard, not the results of the whole project.
SHARDS = 64
# New results held in memory before a run writes them out. A flush
# rewrites every shard it touches with what earlier flushes wrote, so
# smaller costs more writing; 2,000 articles make about 4.5 MB, held to
# the end under a 16 MB limit (a one-process run's peak, issue 6).
FLUSH_BYTES = 2 << 20


class Results:
    """The file results for one results key (plan), in SHARDS tables."""

    def __init__(self, cache_dir: str, key: str) -> None:
        self.folder = os.path.join(cache_dir, code_fingerprint(), "results", key)
        self.key = key
        # name -> (content digest, pickled report, stat when it was read)
        self.tables: dict[int, dict[str, tuple[Any, ...]]] = {}
        self.dirty: dict[int, dict[str, tuple[Any, ...]]] = {}
        self._pending = 0  # bytes of report in `dirty`

    @staticmethod
    def shard_of(name: str) -> int:
        # Not hash(): every process must put a file in the same shard.
        return blake2s(name.encode("utf-8", "surrogatepass"), digest_size=2).digest()[0] % SHARDS

    def _path(self, shard: int) -> str:
        return os.path.join(self.folder, f"{shard:02x}.pickle")

    def _read(self, shard: int) -> dict[str, tuple[Any, ...]]:
        entry = read(self._path(shard))
        if isinstance(entry, dict) and entry.get("key") == self.key and isinstance(entry.get("files"), dict):
            return entry["files"]  # type: ignore[no-any-return]
        return {}

    def _table(self, name: str) -> dict[str, tuple[Any, ...]]:
        shard = self.shard_of(name)
        table = self.tables.get(shard)
        if table is None:
            table = self.tables[shard] = self._read(shard)
        return table

    def _hit(self, name: str, content: bytes) -> bytes | None:
        """The pickled report of `name` if it was cached for `content`."""
        hit = self._table(name).get(name)
        return hit[1] if hit is not None and hit[0] == content and type(hit[1]) is bytes else None

    def has(self, name: str, content: bytes) -> bool:
        return self._hit(name, content) is not None

    def recorded_stat(self, name: str) -> tuple[int, ...] | None:
        """The (size, mtime, inode) the file had when `name`'s entry was made
        (() if none was recorded), or None when there is no entry. A match is
        a hint that the file is unchanged, which the caller confirms by
        content when it reads the file."""
        hit = self._table(name).get(name)
        return None if hit is None else hit[2] if len(hit) > 2 else ()

    def restat(self, name: str, content: bytes, stat: tuple[int, ...]) -> None:
        """Record `stat` for an entry whose content was just confirmed (a
        checkout or `touch` changed the times, not the text)."""
        table = self._table(name)
        hit = table.get(name)
        if hit is not None and hit[0] == content and hit[2:3] != (stat,):
            entry = table[name] = (hit[0], hit[1], stat)
            self.dirty.setdefault(self.shard_of(name), {})[name] = entry

    def get(self, name: str, content: bytes) -> Any:
        data = self._hit(name, content)
        if data is None:
            return None
        try:
            return _Unpickler(io.BytesIO(zlib.decompress(data))).load()
        except Exception:  # noqa: BLE001 - a corrupt entry is a miss
            return None

    def put(self, name: str, content: bytes, report: Any, stat: tuple[int, ...] = ()) -> None:
        # Pickled and compressed now: new entries wait in memory for the
        # next flush, and a report's pickle (its messages, excerpts and
        # rule links) compresses to a third; a one-process run over 2,000
        # articles held 14 MB of them at its peak (issue 6).
        data = zlib.compress(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL), 1)
        self.dirty.setdefault(self.shard_of(name), {})[name] = (content, data, stat)
        self._pending += len(data)
        if self._pending >= FLUSH_BYTES:
            # A long run writes its new entries out as it goes rather than
            # holding every report until the end.
            self.save(keep=False)

    def save(self, keep: bool = True) -> None:
        """Merge this run's results into the shards on disk (each re-read, so
        a concurrent run's entries survive) and replace them atomically;
        unless `keep`, the shards written are dropped from memory (read
        again if asked for)."""
        for shard, dirty in self.dirty.items():
            files = self._read(shard)
            files.update(dirty)
            if len(files) > MAX_RESULTS // SHARDS:
                files = dict(list(files.items())[-(MAX_RESULTS // SHARDS):])
            write(self._path(shard), {"key": self.key, "files": files})
            if keep:
                self.tables[shard] = files
            else:
                self.tables.pop(shard, None)
        self.dirty = {}
        self._pending = 0


def results_for(plan: Any, options: Any) -> Results:
    """The results table for files linted under `plan` with `options`."""
    from dataclasses import replace
    from datetime import date

    config = plan.config
    extra: dict[str, Any] = {"max-file-size": os.environ.get("HEALTHLINT_MAX_FILE_SIZE", "")}
    if getattr(config, "approved_claims", None):
        # The register's content, and the day: an approval can expire.
        register = os.path.join(config.root, config.approved_claims)
        extra["approved-claims"] = (_content(register), date.today().isoformat())
    if config.path:
        extra["config-file"] = _content(config.path)
    folder = options.cache_dir
    # How the run is executed never changes a result.
    options = replace(options, jobs=1, cache_dir=None, cache_results=True)
    key = key_of("results", code_fingerprint(), plan.ruleset.key, config, options, sorted(extra.items()))
    return Results(folder, key)
