"""What several machine formats share: repo-relative paths, stable
fingerprints, and the severity each consumer calls by its own name.

Fingerprint recipe (SARIF `partialFingerprints`, GitLab `fingerprint`):
sha256 over the file's repo-relative path, the rule code, the prose of the
sentence (unit) holding the finding with whitespace collapsed, the matched
text with whitespace collapsed, and an occurrence number among findings that
share all of those. No line or column goes in, so adding or removing text
elsewhere in the file leaves every other finding's fingerprint unchanged;
re-wrapping a paragraph or changing its emphasis does not change it either,
because the unit text is the prose view (markup removed). Document-level
findings (the missing consult notice) hash only path and code.
"""
from __future__ import annotations

import os
from bisect import bisect_right
from collections import Counter
from typing import Iterator, Sequence

# hashlib, pathlib and urllib load inside the functions that use them: the
# reporters package is imported by every `check`, most runs print text.
from ..findings import FileReport, Finding, Severity

SRCROOT = "%SRCROOT%"
FINGERPRINT_VERSION = "v1"


def relative_path(path: str, cwd: str | None = None) -> str | None:
    """`path` relative to `cwd` with `/` separators; None when it lies outside."""
    base = os.path.abspath(cwd or os.getcwd())
    try:
        rel = os.path.relpath(os.path.abspath(path), base)
    except ValueError:  # another drive (Windows)
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def display_path(path: str, cwd: str | None = None) -> str:
    """The repo-relative path where there is one, else the path as given."""
    rel = relative_path(path, cwd)
    return rel if rel is not None else path.replace(os.sep, "/")


def artifact_uri(path: str, cwd: str | None = None) -> tuple[str, str | None]:
    """(uri, uriBaseId): a percent-encoded relative reference under %SRCROOT%,
    or an absolute file: URI (and no base) for a file outside `cwd`."""
    from pathlib import Path
    from urllib.parse import quote

    rel = relative_path(path, cwd)
    if rel is None:
        return Path(os.path.abspath(path)).as_uri(), None
    return quote(rel, safe="/"), SRCROOT


def root_uri(cwd: str | None = None) -> str:
    """The `file:` URI of `cwd`, ending in `/` as SARIF requires of a base."""
    from pathlib import Path

    uri = Path(os.path.abspath(cwd or os.getcwd())).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _units(report: FileReport) -> tuple[list[int], list[tuple[int, str]]]:
    """Sorted unit starts and (end, prose) for the bisect in `fingerprints`."""
    if report.source is None:
        return [], []
    from ..document import parse_document

    doc = parse_document(report.source, report.path)
    spans = sorted((*doc.unit_source_span(u), u.text) for u in doc.units)
    return [s for s, _, _ in spans], [(e, t) for _, e, t in spans]


def _sentence(f: Finding, starts: list[int], rest: list[tuple[int, str]]) -> str:
    i = bisect_right(starts, f.start) - 1
    if i >= 0 and f.start < max(rest[i][0], starts[i] + 1):
        return _collapse(rest[i][1])
    return ""  # outside prose: a directive comment (HL001, HL003)


def fingerprints(report: FileReport, cwd: str | None = None) -> list[str]:
    """One stable hex fingerprint per finding of `report`, in order."""
    import hashlib

    path = display_path(report.path, cwd)
    starts, rest = _units(report) if any(not f.document_level for f in report.findings) else ([], [])
    seen: Counter[tuple[str, ...]] = Counter()
    out = []
    for f in report.findings:
        if f.document_level:
            key: tuple[str, ...] = (path, f.code)
        else:
            key = (path, f.code, _sentence(f, starts, rest), _collapse(f.match))
        seen[key] += 1
        data = "\0".join((FINGERPRINT_VERSION, *key, str(seen[key])))
        out.append(hashlib.sha256(data.encode("utf-8")).hexdigest())
    return out


def fingerprinted(report: FileReport, cwd: str | None = None) -> list[tuple[Finding, str]]:
    """The report's findings in order, each with its fingerprint."""
    pairs = zip(report.findings, fingerprints(report, cwd), strict=True)
    return sorted(pairs, key=lambda p: p[0].sort_key)


def findings_in_order(reports: Sequence[FileReport]) -> list[tuple[FileReport, Finding]]:
    """Every (report, finding), sorted by path, line, column and code."""
    pairs = [(r, f) for r in sorted(reports, key=lambda r: r.path) for f in r.findings]
    pairs.sort(key=lambda p: p[1].sort_key)
    return pairs


SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


class Spool:
    """Text written while files are linted and read back once at the end,
    held on disk past a few megabytes: formats whose header needs totals
    (SARIF rules, JUnit counts) still stream without buffering the corpus."""

    def __init__(self) -> None:
        import tempfile

        self._file = tempfile.SpooledTemporaryFile(max_size=4 << 20, mode="w+", encoding="utf-8", newline="")

    def write(self, text: str) -> None:
        self._file.write(text)

    def chunks(self) -> Iterator[str]:
        self._file.seek(0)
        while chunk := self._file.read(1 << 16):
            yield chunk
        self._file.close()


def array_item(item: str, pad: str, first: bool) -> str:
    """One JSON array item (a `json.dumps(..., indent=2)` value) as it
    renders at `pad` inside a larger `json.dumps(..., indent=2)` document,
    with the comma and line break before it unless it is the first."""
    return ("" if first else ",\n" + pad) + item.replace("\n", "\n" + pad)


class JsonArray:
    """A top-level JSON array written item by item, laid out exactly as
    `json.dumps(items, indent=2)` lays out the whole array."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, value: object) -> str:
        import json

        item = json.dumps(value, indent=2, ensure_ascii=False)
        first = self.count == 0
        self.count += 1
        return ("[\n  " if first else "") + array_item(item, "  ", first)

    def end(self) -> str:
        return "\n]\n" if self.count else "[]\n"
