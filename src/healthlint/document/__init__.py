"""Reading a file into a `Document`: decode, pick a front end, segment.

The front ends (markdown-it-py, HTMLParser) are imported on first use so that
commands which never parse a document start quickly.
"""
from __future__ import annotations

import codecs
import os
import re
from dataclasses import replace

from .model import Document
from .sourcemap import LineIndex

__all__ = ["SYNTAXES", "decode", "parse_document", "read_document", "syntax_for"]

SYNTAXES = ("markdown", "html", "text")
_EXTENSIONS = {
    ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown",
    ".html": "html", ".htm": "html",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def syntax_for(path: str) -> str:
    """The syntax implied by `path`'s extension: markdown, html, or text."""
    return _EXTENSIONS.get(os.path.splitext(path)[1].lower(), "text")


def decode(data: bytes) -> tuple[str, bool]:
    """Decode file bytes; returns (text, had_bom). A BOM selects UTF-8 or
    UTF-16 and is not part of the text; without one, UTF-8, with undecodable
    bytes replaced by U+FFFD rather than failing the file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), True
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), False


def parse_document(source: str, path: str, syntax: str | None = None, html_metadata: bool = False) -> Document:
    """Parse decoded `source` into regions, units and comments.

    `syntax` is "markdown", "html" or "text"; None picks it from `path`.
    `html_metadata` (config `html-metadata`): HTML also yields its social-card
    metas, JSON-LD descriptions and the attributes a reader sees.
    """
    syntax = syntax or syntax_for(path)
    source = _without_surrogates(source)
    if syntax not in SYNTAXES:
        raise ValueError(f"unknown syntax {syntax!r}; expected one of {', '.join(SYNTAXES)}")
    from .segment import segment

    lines = LineIndex(source)
    if syntax == "markdown":
        from .markdown import extract as markdown

        # MDX is Markdown everywhere else in healthlint; only what is prose
        # differs, so the extension says so rather than a syntax of its own.
        regions, comments = markdown(source, lines, mdx=path.lower().endswith(".mdx"), metadata=html_metadata)
    elif syntax == "html":
        from .html import extract as html

        regions, comments = html(source, lines, html_metadata)
    else:
        from .text import extract as text

        regions, comments = text(source, lines)
    return Document(path, source, syntax, lines, regions, segment(regions), comments)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(source: str) -> str:
    """`source` with each lone surrogate replaced by U+FFFD, one code point
    for one so no offset moves. No file decodes to them, but the Python API
    and an editor's JSON-RPC can pass them, and neither the RE2 prefilter
    nor any UTF-8 output can take them (issue 7; found by tests/properties)."""
    if source.isascii() or not _SURROGATE.search(source):
        return source
    return _SURROGATE.sub("\ufffd", source)


def read_document(path: str | os.PathLike[str]) -> Document:
    """Read, decode and parse the file at `path` (OSError propagates)."""
    with open(path, "rb") as f:
        source, bom = decode(f.read())
    doc = parse_document(source, os.fspath(path))
    return replace(doc, bom=bom) if bom else doc
