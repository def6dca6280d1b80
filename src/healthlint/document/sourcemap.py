"""Offsets to 1-based line/column, the one place positions become user-facing.

Offsets and columns count code points of the decoded text (the BOM is not
part of it). "\\r\\n", "\\r" and "\\n" each end a line. The language server
converts columns to UTF-16 units itself; nothing else does.
"""
from __future__ import annotations

from bisect import bisect_right

import re

_LINE_END = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Precomputed line starts; lookups are a bisect, never a re-scan."""

    __slots__ = ("starts", "length")

    def __init__(self, text: str) -> None:
        starts = [0]
        starts.extend(m.end() for m in _LINE_END.finditer(text))
        self.starts = starts
        self.length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of `offset`; offsets past the end clamp to it."""
        offset = max(0, min(offset, self.length))
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def line_span(self, line: int, text: str) -> tuple[int, int]:
        """Start and end offsets of 1-based `line`, without its line break."""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else self.length
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        return start, end

    @property
    def line_count(self) -> int:
        return len(self.starts)
