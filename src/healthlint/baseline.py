"""Baselines for legacy content (issue 5): record today's findings, report
only new ones.

`healthlint baseline [PATHS]` writes `.healthlint-baseline.json` next to the
project's config (or where the config's `baseline` key or `--baseline FILE`
says); its paths are relative to the config's folder. Like ESLint's bulk suppressions it counts, per file and rule, how
many findings there are; unlike ESLint it counts them per *fingerprint of the
prose unit* (the sentence, heading, list item or cell the finding sits in,
markup removed, whitespace collapsed, case and quote style folded), so
editing another paragraph, re-wrapping this one or moving it elsewhere in
the file leaves the entry valid, while rewording the sentence retires it.
Document-level findings (the missing consult notice) are counted per file.

    {"version": 1,
     "files": {"guide.md": [{"code": "HL101", "fingerprint": "3b1f...", "count": 1,
                             "text": "Take 2-4 grams before bed."}]}}

`check` splits each file's findings: the first `count` findings of an entry
(in position order) are baselined, the rest are new. Entries with fewer
findings than recorded are stale; `--prune-baseline` lowers or removes them
(only for files this run linted, or that no longer exist under its paths).
Splitting happens after linting, on the FileReport and its source, so it is
the same whichever process linted the file.
"""
from __future__ import annotations

import os
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterable, Sequence

from .errors import InputError
from .findings import FileReport, Finding

if TYPE_CHECKING:
    from .config import Config, ConfigResolver
    from .document.model import Document

FILENAME = ".healthlint-baseline.json"
VERSION = 1
DOCUMENT = "document"  # the fingerprint of a document-level finding
_EXCERPT = 120
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """What a fingerprint sees: NFKC, quotes and dashes folded, case folded,
    whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).casefold().split())


def fingerprint(unit_text: str) -> str:
    # hashlib and json load only where a baseline is read or written: every
    # check asks whether one applies, few have one (3 ms of start-up).
    import hashlib

    return hashlib.sha256(normalise(unit_text).encode("utf-8")).hexdigest()[:20]


class UnitLocator:
    """Which prose unit holds a source offset (a bisect over unit spans)."""

    def __init__(self, doc: Document) -> None:
        spans = sorted((*doc.unit_source_span(u), i) for i, u in enumerate(doc.units))
        self.doc = doc
        self.starts = [s for s, _, _ in spans]
        self.rest = [(e, i) for _, e, i in spans]

    def index_at(self, offset: int) -> int | None:
        k = bisect_right(self.starts, offset) - 1
        if k >= 0 and offset < max(self.rest[k][0], self.starts[k] + 1):
            return self.rest[k][1]
        return None


@dataclass(frozen=True, slots=True)
class Key:
    code: str
    fingerprint: str
    text: str = field(compare=False, default="")


def keys(report: FileReport, findings: Sequence[Finding] | None = None) -> list[Key]:
    """The baseline key of each finding (of `report` by default), in order."""
    findings = report.findings if findings is None else findings
    locator = None
    if report.source is not None and any(not f.document_level for f in findings):
        from .document import parse_document

        locator = UnitLocator(parse_document(report.source, report.path))
    out = []
    for f in findings:
        if f.document_level:
            out.append(Key(f.code, DOCUMENT))
            continue
        index = locator.index_at(f.start) if locator is not None else None
        # Outside prose (a directive comment, HL001/HL003): the matched text.
        text = locator.doc.units[index].text if locator is not None and index is not None else f.match
        out.append(Key(f.code, fingerprint(text), " ".join(text.split())[:_EXCERPT]))
    return out


@dataclass
class Entry:
    code: str
    fingerprint: str
    count: int
    text: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "fingerprint": self.fingerprint, "count": self.count, "text": self.text}


@dataclass(frozen=True)
class Stale:
    """Baseline entries (or parts of their count) that no longer occur."""

    baseline: str
    path: str  # relative to the baseline's folder
    entry: Entry


class Baseline:
    """One baseline file: per file (relative to `root`, the project folder:
    the config's), entries keyed by (code, fingerprint)."""

    def __init__(self, path: str, files: dict[str, dict[tuple[str, str], Entry]] | None = None,
                 root: str | None = None) -> None:
        self.path = os.path.abspath(path)
        self.root = os.path.abspath(root or os.path.dirname(self.path))
        self.files = files or {}

    @classmethod
    def load(cls, path: str, root: str | None = None) -> Baseline:
        if not os.path.exists(path):
            return cls(path, root=root)
        try:
            with open(path, encoding="utf-8") as fh:
                import json

                data = json.load(fh)
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise InputError(f"cannot read baseline: {exc}", path,
                             hint="re-create it with `healthlint baseline`") from None
        return cls(path, _parse(data, path), root)

    def rel(self, path: str) -> str:
        rel = os.path.relpath(os.path.abspath(path), self.root)
        return rel.replace(os.sep, "/")

    def split(self, report: FileReport) -> tuple[FileReport, list[Stale]]:
        """New findings stay in `findings` (baseline=False); recorded ones
        move to `baselined` (baseline=True); unmatched entries are stale."""
        if report.error is not None:
            return report, []
        entries = self.files.get(self.rel(report.path), {})
        budget = Counter({k: e.count for k, e in entries.items()})
        new, old = [], []
        found = keys(report) if entries else [None] * len(report.findings)
        for f, key in zip(report.findings, found, strict=True):
            k = (key.code, key.fingerprint) if key is not None else None
            if k is not None and budget[k] > 0:
                budget[k] -= 1
                old.append(replace(f, baseline=True))
            else:
                new.append(replace(f, baseline=False))
        stale = [Stale(self.path, self.rel(report.path), Entry(e.code, e.fingerprint, budget[k], e.text))
                 for k, e in entries.items() if budget[k] > 0]
        return replace(report, findings=tuple(new), baselined=(*report.baselined, *old)), stale

    def record(self, report: FileReport) -> int:
        """Replace the file's entries with its current findings; the count."""
        rel = self.rel(report.path)
        entries: dict[tuple[str, str], Entry] = {}
        for key in keys(report):
            entry = entries.setdefault((key.code, key.fingerprint), Entry(key.code, key.fingerprint, 0, key.text))
            entry.count += 1
        if entries:
            self.files[rel] = entries
        else:
            self.files.pop(rel, None)
        return len(report.findings)

    def forget_missing(self, scope: Iterable[str], linted: Iterable[str]) -> list[Stale]:
        """Entries of files that no longer exist, under the folders of `scope`."""
        done = {self.rel(p) for p in linted}
        folders = [os.path.abspath(p) for p in scope if os.path.isdir(p)]
        out: list[Stale] = []
        for rel, entries in self.files.items():
            full = os.path.join(self.root, rel)
            if rel in done or os.path.exists(full):
                continue
            if any(os.path.commonpath([full, d]) == d for d in folders):
                out.extend(Stale(self.path, rel, e) for e in entries.values())
        return out

    def prune(self, stale: Iterable[Stale]) -> int:
        """Lower or drop the stale entries; how many occurrences went."""
        removed = 0
        for s in stale:
            entries = self.files.get(s.path, {})
            entry = entries.get((s.entry.code, s.entry.fingerprint))
            if entry is None:
                continue
            n = min(entry.count, s.entry.count)
            entry.count -= n
            removed += n
            if entry.count <= 0:
                del entries[(entry.code, entry.fingerprint)]
            if not entries:
                self.files.pop(s.path, None)
        return removed

    @property
    def total(self) -> int:
        return sum(e.count for entries in self.files.values() for e in entries.values())

    def dumps(self) -> str:
        """Sorted, one entry per line-group: stable diffs in review."""
        files = {rel: [e.as_dict() for _, e in sorted(entries.items())]
                 for rel, entries in sorted(self.files.items())}
        import json

        return json.dumps({"version": VERSION, "files": files}, indent=2, ensure_ascii=False) + "\n"

    def save(self) -> None:
        from .fixes import write_text_atomic

        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        write_text_atomic(self.path, self.dumps())


def _parse(data: object, path: str) -> dict[str, dict[tuple[str, str], Entry]]:
    def bad(what: str) -> InputError:
        return InputError(f"not a healthlint baseline: {what}", path,
                          hint="re-create it with `healthlint baseline`")

    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("files"), dict):
        raise bad(f"expected an object with \"version\": {VERSION} and \"files\"")
    out: dict[str, dict[tuple[str, str], Entry]] = {}
    for rel, items in data["files"].items():
        if not isinstance(items, list):
            raise bad(f"the entries of {rel!r} must be a list")
        entries: dict[tuple[str, str], Entry] = {}
        for item in items:
            ok = isinstance(item, dict) and isinstance(item.get("code"), str) \
                and isinstance(item.get("fingerprint"), str) and isinstance(item.get("count"), int) \
                and item["count"] > 0
            if not ok:
                raise bad(f"an entry of {rel!r} needs code, fingerprint and a positive count")
            key = (item["code"], item["fingerprint"])
            if key in entries:
                entries[key].count += item["count"]
            else:
                entries[key] = Entry(item["code"], item["fingerprint"], item["count"], str(item.get("text", "")))
        out[str(rel)] = entries
    return out


class Baselines:
    """The baseline file of each config (or `--baseline FILE` for all),
    loaded once per run."""

    def __init__(self, explicit: str | None = None, cwd: str | None = None,
                 resolver: ConfigResolver | None = None) -> None:
        self.cwd = os.path.abspath(cwd or os.getcwd())
        self.resolver = resolver
        self.explicit = os.path.join(self.cwd, explicit) if explicit else None
        self.loaded: dict[str, Baseline] = {}

    def root_for(self, config: Config) -> str:
        """Paths in a baseline are relative to the config's folder; with
        `--baseline FILE`, to the folder of the current folder's config."""
        if self.explicit:
            from .config import ConfigResolver

            return (self.resolver or ConfigResolver(None, self.cwd)).for_dir(self.cwd).root
        return config.root

    def path_for(self, config: Config, must_exist: bool = True) -> str | None:
        """`--baseline`, else the config's `baseline`, else the default file
        in the config's folder (for `check`, only when it exists)."""
        if self.explicit:
            return self.explicit
        if config.baseline:
            return os.path.join(config.root, config.baseline)
        default = os.path.join(config.root, FILENAME)
        return default if not must_exist or os.path.exists(default) else None

    def for_config(self, config: Config, must_exist: bool = True) -> Baseline | None:
        path = self.path_for(config, must_exist)
        if path is None:
            return None
        if path not in self.loaded:
            self.loaded[path] = Baseline.load(path, self.root_for(config))
        return self.loaded[path]

    def display(self, baseline: Baseline) -> str:
        rel = os.path.relpath(baseline.path, self.cwd)
        return baseline.path if rel.startswith(os.pardir) else rel
