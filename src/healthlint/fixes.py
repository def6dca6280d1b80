"""Fixes and suggestions (issue 5): build them, resolve overlaps, apply
them in passes, and write files without ever losing data.

Two kinds, as in ruff:

- *safe* fixes cannot change what a health claim means: inserting the
  project's notice where a document-level rule names one with `fix:`
  (HL701 `fix: consult-notice`, USF106 `fix: dshea-disclaimer`), in the
  config's wording (`consult-notice`, `dshea-disclaimer`; the disclaimer
  falls back to the text of 21 CFR 101.93(c)) at the config's position
  (`end`, or `after-first-heading`). A notice is only offered when the
  document with it inserted satisfies the rule (so a notice that does not
  match the rule's pattern, or an end of file inside a code block, gives no
  fix rather than a fix that repeats on every run).
- *suggestions* change the words: a substitution rule's replacement
  (HL402 "clinically proven" -> "studied in [cite the trial]"). Offered
  only where the match is a verbatim copy of the source (no markup or
  entity inside it), so replacing it cannot break the markup around it.

`apply_fixes` resolves overlaps deterministically (by start, end, code; a
later edit that overlaps an earlier one, or a second insertion at the same
point, waits for the next pass), applies what is left, re-lints, and stops
when nothing changes or after MAX_PASSES (ruff's loop). Files are written
through `write_bytes_atomic`: same encoding and BOM as read, inserted lines
use the file's dominant newline, a temporary file in the same folder is
fsynced, given the original's mode, and renamed over it with os.replace, so
each file is either untouched or fully fixed, whatever fails.
"""
from __future__ import annotations

import codecs
import contextlib
import html
import os
import re
import stat
from bisect import bisect_right
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from .findings import FileReport, Finding, Fix

if TYPE_CHECKING:
    from .config import Notice
    from .document.model import Document
    from .runner import Plan

MAX_PASSES = 10
# 21 CFR 101.93(c)(1), plural form; an asterisk ties it to the claims.
DSHEA_TEXT = ("*These statements have not been evaluated by the Food and Drug Administration. "
              "This product is not intended to diagnose, treat, cure, or prevent any disease.")
NOTICE_KEYS = {"consult-notice": "consult_notice", "dshea-disclaimer": "dshea_disclaimer"}
_NEWLINES = re.compile(r"\r\n|\r|\n")
_TRAILING_NEWLINES = re.compile(r"(?:\r\n|\r|\n)*\Z")
_ATX = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*$")
_H_CLOSE = re.compile(r"</h[1-6]\s*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


class FixError(Exception):
    """A file could not be fixed (its str() is the one-line reason)."""


# -- encodings, newlines, atomic writes ---------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True)
class Encoding:
    """How a file was stored: the codec and the BOM in front of it."""

    codec: str = "utf-8"
    bom: bytes = b""

    @classmethod
    def sniff(cls, data: bytes) -> Encoding:
        for bom, codec in _BOMS:
            if data.startswith(bom):
                return cls(codec, bom)
        return cls()

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


def dominant_newline(text: str) -> str:
    """The most common line break in `text` (`\\n` when none or tied)."""
    counts = {"\n": 0, "\r\n": 0, "\r": 0}
    for m in _NEWLINES.finditer(text):
        counts[m.group()] += 1
    best = max(counts.values())
    return "\n" if best == counts["\n"] else max(counts, key=lambda k: counts[k])


def write_bytes_atomic(path: str, data: bytes, expected: bytes | None = None) -> None:
    """Replace the file at `path` with `data` in one rename.

    The temporary file sits in the target's own folder (so os.replace never
    crosses filesystems), is fsynced, and gets the original's permission
    bits (and owner, where allowed). A symlink is followed: its target is
    replaced, the link stays. With `expected`, the file must still hold
    those bytes, or nothing is written (an editor saved it meanwhile).
    """
    import tempfile  # only a fix writes files

    real = os.path.realpath(path)
    try:
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    # The rename below needs only the folder to be writable: ask about the
    # file itself, as an editor would, before replacing it.
    if st is not None and not os.access(real, os.W_OK):
        raise FixError("no permission to write the file")
    if expected is not None:
        with open(real, "rb") as fh:
            if fh.read() != expected:
                raise FixError("the file changed while it was being fixed; run again")
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".healthlint-tmp",
                               dir=os.path.dirname(real))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            with contextlib.suppress(OSError, AttributeError):
                os.chown(tmp, st.st_uid, st.st_gid)
            mine = os.stat(tmp)
            if (mine.st_uid, mine.st_gid) != (st.st_uid, st.st_gid):
                # Another user's (or group's) file we may write to: a new
                # file would take it over. Rewrite it where it is instead.
                os.unlink(tmp)
                _write_in_place(real, data)
                return
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(os.path.dirname(real))


def _write_in_place(path: str, data: bytes) -> None:
    with open(path, "r+b") as fh:
        fh.write(data)
        fh.truncate()
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(folder: str) -> None:
    # Make the rename itself durable; not possible on every platform.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder or ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_text_atomic(path: str, text: str) -> None:
    """A UTF-8 file (the baseline), written the same careful way."""
    write_bytes_atomic(path, text.encode("utf-8"))


# -- building fixes -----------------------------------------------------------

def _verbatim(doc: Document, start: int, end: int) -> bool:
    """Whether source[start:end] is copied verbatim into one prose region."""
    # Issue 6: scanning every chunk for every finding was quadratic (hours
    # for a 10 MB file); bisect the verbatim chunks sorted by source start
    # instead: some chunk with src_start <= start reaches `end` exactly when
    # the furthest-reaching of them does.
    starts, reach = _verbatim_index(doc)
    i = bisect_right(starts, start) - 1
    return i >= 0 and reach[i] >= end


_VERBATIM: dict[int, tuple[Document, list[int], list[int]]] = {}


def _verbatim_index(doc: Document) -> tuple[list[int], list[int]]:
    """Source starts of the document's verbatim chunks, sorted, and the
    furthest source end reached by any chunk up to each."""
    cached = _VERBATIM.get(id(doc))
    if cached is not None and cached[0] is doc:
        return cached[1], cached[2]
    spans = sorted((c.src_start, c.src_start + c.src_len) for r in doc.regions for c in r.chunks if c.linear)
    starts, reach, furthest = [], [], -1
    for a, b in spans:
        furthest = max(furthest, b)
        starts.append(a)
        reach.append(furthest)
    if len(_VERBATIM) >= 8:
        _VERBATIM.clear()
    _VERBATIM[id(doc)] = (doc, starts, reach)
    return starts, reach


# A suggestion's placeholders to fill in ("[cite the trial]") and the
# wording between them.
_PLACEHOLDER_OR_WORDING = re.compile(r"\[[^\]]*\]?|[^\[]+")


def _match_case(match: str, wording: str) -> str:
    letters = [c for c in match if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        # A shouted headline or banner stays shouted; a placeholder keeps
        # its case.
        return _PLACEHOLDER_OR_WORDING.sub(lambda m: m[0] if m[0][0] == "[" else m[0].upper(), wording)
    if match[:1].isupper() and wording[:1].islower():
        return wording[0].upper() + wording[1:]
    return wording


def _fix(doc: Document, content: str, start: int, end: int, safe: bool, description: str) -> Fix:
    line, col = doc.lines.position(start)
    end_line, end_col = doc.lines.position(end)
    return Fix(content, start, end, line, col, end_line, end_col, safe, description)


def suggestion(doc: Document, f: Finding) -> Fix | None:
    """The unsafe fix for a finding with a replacement, where it is safe to splice."""
    if f.replacement is None or f.document_level or f.end <= f.start or not _verbatim(doc, f.start, f.end):
        return None
    content = _match_case(f.match, f.replacement)
    if content == f.match:
        return None
    return _fix(doc, content, f.start, f.end, False, f"Replace '{f.match}' with '{content}'")


def notice_for(kind: str, plan: Plan) -> Notice | None:
    """The config's notice for a rule's `fix:` (the disclaimer has a default)."""
    from .config import Notice

    configured: Notice | None = getattr(plan.config, NOTICE_KEYS[kind], None)
    if configured is None and kind == "dshea-disclaimer":
        return Notice(DSHEA_TEXT, "end")
    return configured


def _next_line_start(doc: Document, line: int) -> int:
    return doc.lines.starts[line] if line < doc.lines.line_count else len(doc.source)


def _first_heading_end(doc: Document) -> int | None:
    """Where the line after the first top-level Markdown heading starts."""
    from .document.model import HEADING

    src = doc.source
    for region in doc.regions:
        if region.kind != HEADING:
            continue
        start = region.to_source(0)
        line, _ = doc.lines.position(start)
        lo, hi = doc.lines.line_span(line, src)
        if _ATX.match(src[lo:hi]):
            return _next_line_start(doc, line)
        end_line, _ = doc.lines.position(region.to_source_end(len(region.text)))
        if start - lo <= 3 and end_line < doc.lines.line_count:
            ulo, uhi = doc.lines.line_span(end_line + 1, src)
            if _SETEXT.match(src[ulo:uhi]):
                return _next_line_start(doc, end_line + 1)
    return None


def _paragraph_at(src: str, at: int, text: str, nl: str) -> str:
    """`text` as its own paragraph inserted at line start `at`."""
    before, after = src[:at], src[at:]
    tail = _TRAILING_NEWLINES.search(before)
    breaks = len(_NEWLINES.findall(tail.group())) if before and tail else 2
    lead = nl * max(0, 2 - breaks)
    # A blank line after it, unless the file ends or a blank line follows.
    trail = nl if not after or _NEWLINES.match(after) else nl + nl
    return lead + text + trail


def _html_insertion(doc: Document, notice: Notice, nl: str) -> tuple[int, str]:
    src = doc.source
    para = f"<p>{html.escape(notice.text, quote=False)}</p>"
    if notice.position == "after-first-heading":
        from .document.model import HEADING

        heading = next((r for r in doc.regions if r.kind == HEADING), None)
        m = _H_CLOSE.search(src, heading.to_source_end(len(heading.text))) if heading else None
        if m:
            return m.end(), nl + para
    closes = list(_BODY_CLOSE.finditer(src))
    if closes:
        at = closes[0].start()
        line_start = src.rfind("\n", 0, at) + 1
        if not src[line_start:at].strip():
            return line_start, para + nl
        return at, para + nl
    return len(src), _paragraph_at(src, len(src), para, nl)


def insertion(doc: Document, notice: Notice) -> tuple[int, str]:
    """(offset, content) that inserts `notice` where the config says."""
    nl = dominant_newline(doc.source)
    text = nl.join(line.rstrip() for line in notice.text.strip().splitlines())
    if doc.syntax == "html":
        return _html_insertion(doc, notice._replace(text=text), nl)
    at = _first_heading_end(doc) if notice.position == "after-first-heading" and doc.syntax == "markdown" else None
    at = len(doc.source) if at is None else at
    return at, _paragraph_at(doc.source, at, text, nl)


def _satisfied(doc: Document, rule: object, at: int, content: str) -> bool:
    """Whether the document with `content` inserted satisfies the rule."""
    from .document import parse_document
    from .findings import CATEGORIES
    from .rules.base import RuleTimeout

    fixed = parse_document(doc.source[:at] + content + doc.source[at:], doc.path, doc.syntax)
    try:
        return not any(True for _ in rule.impl.check_document(fixed, set(CATEGORIES)))  # type: ignore[attr-defined]
    except RuleTimeout:
        return False


def notice_fix(doc: Document, plan: Plan, f: Finding) -> Fix | None:
    """The safe fix for a document-level finding whose rule names a notice."""
    rule = next((r for r in plan.active if r.spec.code == f.code), None)  # type: ignore[attr-defined]
    kind = rule.spec.params.get("fix") if rule is not None else None  # type: ignore[attr-defined]
    notice = notice_for(kind, plan) if kind in NOTICE_KEYS else None
    if notice is None:
        return None
    at, content = insertion(doc, notice)
    if not _satisfied(doc, rule, at, content):
        return None
    where = "after the first heading" if notice.position == "after-first-heading" else "at the end"
    return _fix(doc, content, at, at, True, f"Insert the {kind} {where}")


def attach(doc: Document, plan: Plan, findings: Iterable[Finding]) -> list[Finding]:
    """The findings with the fix each one offers (if any) set."""
    out = []
    for f in findings:
        fix = notice_fix(doc, plan, f) if f.document_level else suggestion(doc, f)
        out.append(f if fix is None else replace(f, fix=fix))
    return out


def unfixed_notice(plan: Plan, f: Finding) -> str | None:
    """Why a document-level finding whose rule names a notice has no fix."""
    if not f.document_level or f.fix is not None:
        return None
    rule = next((r for r in plan.active if r.spec.code == f.code), None)  # type: ignore[attr-defined]
    kind = rule.spec.params.get("fix") if rule is not None else None  # type: ignore[attr-defined]
    if kind not in NOTICE_KEYS:
        return None
    if notice_for(kind, plan) is None:
        return f"{f.code} can be fixed once the config sets {kind!r} (the project's wording)"
    return (f"the configured {kind!r} would not satisfy {f.code} where it would be inserted "
            "(does its wording match the rule, or does the file end inside a code block?); not inserted")


# -- applying -----------------------------------------------------------------

def eligible(findings: Iterable[Finding], unsafe: bool) -> list[Finding]:
    return [f for f in findings if f.fix is not None and (f.fix.safe or unsafe)]


def select_edits(findings: Iterable[Finding], unsafe: bool) -> list[Finding]:
    """The findings whose fixes one pass applies: sorted by (start, end,
    code); an edit overlapping an earlier one, or a second insertion at the
    same point (their order would be a guess), is left for the next pass,
    where it is recomputed against the new text; identical edits apply once."""
    chosen: list[Finding] = []
    for f in sorted(eligible(findings, unsafe), key=lambda f: (f.fix.start, f.fix.end, f.code)):  # type: ignore[union-attr]
        fx = f.fix
        assert fx is not None
        if chosen:
            last = chosen[-1].fix
            assert last is not None
            if (fx.start, fx.end, fx.content) == (last.start, last.end, last.content):
                continue
            if fx.start < last.end or fx.start == fx.end == last.start == last.end:
                continue
        chosen.append(f)
    return chosen


def apply_edits(text: str, findings: Sequence[Finding]) -> str:
    """`text` with the (non-overlapping) fixes of `findings` applied."""
    out = text
    # Back to front, so earlier offsets stay valid; at one point the
    # replacement goes first and the insertion then lands in front of it.
    for f in sorted(findings, key=lambda f: (f.fix.start, f.fix.end), reverse=True):  # type: ignore[union-attr]
        fx = f.fix
        assert fx is not None
        out = out[:fx.start] + fx.content + out[fx.end:]
    return out


@dataclass(frozen=True)
class Fixed:
    """The outcome of fixing one text: the text, how many fixes were
    applied, the report of the last lint, and whether fixes converged."""

    text: str
    applied: int
    report: FileReport
    converged: bool = True


def apply_fixes(text: str, lint: Callable[[str], FileReport], unsafe: bool = False,
                max_passes: int = MAX_PASSES) -> Fixed:
    """Fix, re-lint, repeat until nothing changes (at most `max_passes`)."""
    report = lint(text)
    applied = 0
    seen = {text}
    for _ in range(max_passes):
        edits = select_edits(report.findings, unsafe)
        if not edits:
            return Fixed(text, applied, report)
        new = apply_edits(text, edits)
        if new in seen:  # a no-op or a cycle: stop where we are
            return Fixed(text, applied, report, converged=False)
        text, applied = new, applied + len(edits)
        seen.add(text)
        report = lint(text)
    return Fixed(text, applied, report, converged=not select_edits(report.findings, unsafe))


# -- files --------------------------------------------------------------------

@dataclass(frozen=True)
class FileFix:
    """One file's fix, computed in memory before anything is written."""

    path: str
    before: str
    after: str
    applied: int
    encoding: Encoding
    original: bytes
    report: FileReport
    converged: bool = True

    @property
    def changed(self) -> bool:
        return self.after != self.before

    def diff(self) -> str:
        import difflib

        a = self.before.splitlines(keepends=True)
        b = self.after.splitlines(keepends=True)
        lines = difflib.unified_diff(a, b, f"a/{self.path}", f"b/{self.path}")
        out = []
        for line in lines:
            out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
        return "".join(out)


def fix_report(report: FileReport, data: bytes, lint: Callable[[str, bool], FileReport],
               unsafe: bool) -> FileFix | None:
    """Fix one linted file from its bytes; None when there is nothing to do."""
    from .runner import decode_bytes

    if report.error is not None or not eligible(report.findings, unsafe):
        return None
    text, bom = decode_bytes(data)
    encoding = Encoding.sniff(data)
    if encoding.encode(text) != data:
        raise FixError("the file would not re-encode to the same bytes; not fixed")
    fixed = apply_fixes(text, lambda t: lint(t, bom), unsafe)
    return FileFix(report.path, text, fixed.text, fixed.applied, encoding, data, fixed.report, fixed.converged)


def write(fix: FileFix) -> None:
    """Write one fixed file (atomically, as read); raises FixError/OSError."""
    write_bytes_atomic(fix.path, fix.encoding.encode(fix.after), expected=fix.original)


def counts(reports: Iterable[FileReport]) -> tuple[int, int]:
    """(safe fixes, suggestions) available in `reports`."""
    safe = unsafe = 0
    for r in reports:
        for f in r.findings:
            if f.fix is not None:
                safe += f.fix.safe
                unsafe += not f.fix.safe
    return safe, unsafe
