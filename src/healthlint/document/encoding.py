"""File bytes -> text, with a one-line note whenever the bytes were not clean UTF-8.

healthlint runs unattended over whatever a content repository holds, so a
file is never refused for its encoding when its words can still be read
(issue 7: "lint what decodes, report where it failed"):

- a BOM picks UTF-8, UTF-16 or UTF-32 and is not part of the text;
- a NUL byte (without a UTF-16/32 BOM), or more than 5% control characters
  in the first 8 KiB, mean a binary file: `BinaryFile` is raised and the file is skipped;
- valid UTF-8 is the normal case and carries no note;
- UTF-8 with some bad byte sequences (most non-ASCII bytes still belong to
  well-formed multi-byte characters) is decoded with each bad sequence read
  as U+FFFD, and the note names the first one by line, column and byte offset;
- bytes that are mostly not UTF-8 (a legacy 8-bit file, where a well-formed
  multi-byte sequence is an accident like "É’") are read as Windows-1252
  (Latin-1 where Windows-1252 has a hole), and the note says so.

Decoding never fails and never drops a character: every byte becomes one
code point or part of one, so offsets after a bad byte stay meaningful.
"""
from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from .sourcemap import LineIndex

__all__ = ["BinaryFile", "Decoded", "decode_file"]

# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# Well-formed UTF-8 multi-byte sequences (Unicode Table 3-7): no overlong
# forms, surrogates or code points past U+10FFFF, which decoding rejects.
_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))
# C0 controls that never occur in text (tab, line breaks, form feed and
# escape are allowed); more than this share of a file's head means binary.
_CONTROL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]")
_HEAD = 8192
_CONTROL_SHARE = 0.05  # random bytes hold about 9%; text close to none
_MIN_CONTROLS = 16  # a stray backspace or two never makes a short file binary
_FALLBACK = "Windows-1252"


class BinaryFile(ValueError):
    """The bytes are not text; the message says why, in a few words."""


class Decoded(NamedTuple):
    text: str
    bom: bool = False
    # One line on what was not clean UTF-8 and what healthlint did about it.
    note: str | None = None


def decode_file(data: bytes) -> Decoded:
    """Decode a file's bytes (see the module docstring); raises BinaryFile."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _decode_lenient(data[len(bom):], codec, name, bom=True, skip=len(bom))
    nul = data.find(b"\x00")
    if nul >= 0:
        raise BinaryFile(f"binary file (a NUL byte at offset {nul}); skipped")
    _check_not_binary(data)
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        first = exc
    if _mostly_utf8(data):
        return _decode_lenient(data, "utf-8", "UTF-8", bom=False, skip=0, first=first)
    text = _legacy(data)
    line, col = _position(text, first.start)
    return Decoded(text, False, f"not UTF-8 (byte 0x{data[first.start]:02x} at line {line}, column {col}, "
                                f"offset {first.start}); read as {_FALLBACK}; save the file as UTF-8")


def _decode_lenient(data: bytes, codec: str, name: str, *, bom: bool, skip: int,
                    first: UnicodeDecodeError | None = None) -> Decoded:
    """Decode with U+FFFD for bad sequences; the note names the first one."""
    if first is None:
        try:
            return Decoded(data.decode(codec), bom)
        except UnicodeDecodeError as exc:
            first = exc
    text = data.decode(codec, errors="replace")
    # Each bad sequence becomes one U+FFFD; those already in the file are not errors.
    bad = max(1, text.count("\ufffd") - data.decode(codec, errors="ignore").count("\ufffd"))
    line, col = _position(text, len(data[:first.start].decode(codec, errors="replace")))
    more = f", {bad} bad sequences in all" if bad > 1 else ""
    return Decoded(text, bom, f"invalid {name} (byte 0x{data[first.start]:02x} at line {line}, column {col}, "
                              f"offset {first.start + skip}{more}); read as U+FFFD and linted the rest; "
                              f"save the file as UTF-8")


def _mostly_utf8(data: bytes) -> bool:
    """Whether most non-ASCII bytes belong to well-formed UTF-8 sequences.

    Bytes are counted, not sequences: one stray byte inside a character
    breaks it into two bad sequences, so counting sequences let a single
    0xE9 in "— café naïve" outvote the good characters and read the whole
    file as Windows-1252, mangling every other accent."""
    valid = sum(map(len, _MULTIBYTE.findall(data)))
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    return 2 * valid > high


def _check_not_binary(data: bytes) -> None:
    head = data[:_HEAD]
    controls = len(_CONTROL.findall(head))
    if controls > max(_MIN_CONTROLS, _CONTROL_SHARE * len(head)):
        raise BinaryFile(f"binary file ({controls} control bytes in the first {len(head)}); skipped")


def _legacy(data: bytes) -> str:
    """Windows-1252, with its five undefined bytes read as Latin-1."""
    return data.decode("cp1252", errors="healthlint-latin1")


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start:exc.end].decode("latin-1"), exc.end


codecs.register_error("healthlint-latin1", _latin1_fallback)


def _position(text: str, offset: int) -> tuple[int, int]:
    return LineIndex(text).position(offset)
