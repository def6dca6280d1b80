"""Line index, decoding, and the region offset map (model.Region/RegionBuilder)."""
import codecs

import pytest

from healthlint.document import decode, parse_document, syntax_for
from healthlint.document.model import Chunk, Region, RegionBuilder
from healthlint.document.sourcemap import LineIndex


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("ab\ncd", 0, (1, 1)),
        ("ab\ncd", 3, (2, 1)),
        ("ab\r\ncd", 4, (2, 1)),
        ("ab\r\ncd", 2, (1, 3)),  # the "\r" still belongs to line 1
        ("ab\rcd", 3, (2, 1)),
        ("ab\n\ncd", 4, (3, 1)),
        ("µg – “x” 😀 y", 11, (1, 12)),  # code points, not bytes or UTF-16 units
        ("ab", 99, (1, 3)),  # clamps to the end
        ("ab", -5, (1, 1)),
    ],
)
def test_position(text, offset, expected):
    assert LineIndex(text).position(offset) == expected


def test_line_span_excludes_line_break():
    text = "one\r\ntwo\rthree\n"
    lines = LineIndex(text)
    assert lines.line_count == 4
    assert [text[slice(*lines.line_span(n, text))] for n in (1, 2, 3, 4)] == ["one", "two", "three", ""]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"plain", ("plain", False)),
        (codecs.BOM_UTF8 + "µg".encode(), ("µg", True)),
        (codecs.BOM_UTF16_LE + "µg\r\n".encode("utf-16-le"), ("µg\r\n", True)),
        (codecs.BOM_UTF16_BE + "µg".encode("utf-16-be"), ("µg", True)),
        (b"caf\xe9", ("caf\ufffd", False)),  # Latin-1 bytes never fail the file
    ],
)
def test_decode(data, expected):
    assert decode(data) == expected


@pytest.mark.parametrize(
    ("path", "syntax"),
    [("a.md", "markdown"), ("a.MARKDOWN", "markdown"), ("a.mdx", "markdown"), ("a.html", "html"),
     ("a.htm", "html"), ("a.txt", "text"), ("README", "text"), ("a.rst", "text")],
)
def test_syntax_for(path, syntax):
    assert syntax_for(path) == syntax


def test_unknown_syntax_is_rejected():
    with pytest.raises(ValueError, match="unknown syntax 'rst'"):
        parse_document("x", "a.rst", syntax="rst")


def test_bom_file_positions(tmp_path):
    from healthlint.document import read_document

    path = tmp_path / "a.md"
    path.write_bytes(codecs.BOM_UTF8 + "# Title\r\n\r\nTake **5 mg** daily.\r\n".encode())
    doc = read_document(path)
    assert doc.bom is True
    region = doc.regions[1]
    offset = region.to_source(region.text.index("mg"))
    assert doc.lines.position(offset) == (3, 10)


def _region(source, *pieces):
    """Build a region from ("src", a, b) and ("map", text, a, n) pieces."""
    builder = RegionBuilder(source)
    for piece in pieces:
        if piece[0] == "src":
            builder.add_source(piece[1], piece[2])
        else:
            builder.add_mapped(*piece[1:])
    return builder.build("paragraph")


def test_builder_merges_contiguous_source():
    region = _region("abcdef", ("src", 0, 2), ("src", 2, 4))
    assert region.text == "abcd"
    assert region.chunks == (Chunk(0, 0, 4, 4),)


def test_entity_maps_as_one_chunk():
    source = "a &amp; b"
    region = _region(source, ("src", 0, 2), ("map", "&", 2, 5), ("src", 7, 9))
    assert region.text == "a & b"
    i = region.text.index("&")
    assert region.source_span(i, i + 1) == (2, 7)
    assert region.source_span(0, len(region.text)) == (0, 9)


def test_same_length_decoding_is_not_read_as_verbatim():
    # A lone "\r" shown as "\n" must not claim a char-by-char copy.
    region = _region("a\rb", ("src", 0, 1), ("map", "\n", 1, 1), ("src", 2, 3))
    assert region.text == "a\nb"
    assert all(source_slice_matches(region, "a\rb", c) for c in region.chunks if c.linear)


def source_slice_matches(region, source, c):
    return source[c.src_start:c.src_start + c.src_len] == region.text[c.text_start:c.text_start + c.text_len]


def test_build_trims_whitespace_and_drops_empty():
    source = "  hello  "
    region = _region(source, ("src", 0, 9))
    assert region.text == "hello"
    assert region.chunks == (Chunk(0, 2, 5, 5),)
    assert _region("   ", ("src", 0, 3)) is None


def test_chunk_lookup_is_a_bisect_over_many_chunks():
    chunks = tuple(Chunk(i, 2 * i, 1, 1) for i in range(10_000))
    region = Region("paragraph", "x" * 10_000, chunks)
    assert region.to_source(9_999) == 19_998
    assert region.to_source_end(10_000) == 19_999
    assert region.to_source(0) == 0
