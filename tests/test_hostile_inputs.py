"""Hostile input (issue 7): whatever a content repository holds, healthlint
keeps working and says clearly what it could not do.

Every bad document gives one line on stderr naming the path (the
FileReport's `error`), the other files are still linted, and nothing hangs
or crashes. Every bad rule file or config is one line with file:line and
what to do, and exit 2. Each test here is a row of the table in
docs/robustness.md.
"""
from __future__ import annotations

import codecs
import errno
import inspect
import itertools
import json
import os
import re
import socket
import sys
import textwrap
import time
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from healthlint.cli import ExitCode, cli
from healthlint.document import parse_document
from healthlint.findings import FileReport
from healthlint.runner import Runner
from rule_fixtures import DOSE_HYPE_RULES

RULES = DOSE_HYPE_RULES
GOOD = "good.md:1:3: TS501 [hype] 'miracle' is hype"


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


_FOLDERS = itertools.count()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One config and rule file for the module, so the compiled rule set is
    cached across tests; each test works in a folder of its own below."""
    path = tmp_path_factory.mktemp("hostile")
    write(path / "rules.yaml", textwrap.dedent(RULES))
    write(path / ".healthlint.yaml", "rules: [rules.yaml]\nselect: [TS]\n")
    return path


@pytest.fixture
def project(root: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Path:
    name = re.sub(r"\W+", "-", request.node.name)[:40]
    path = root / f"{next(_FOLDERS):03d}-{name}"
    path.mkdir()
    monkeypatch.chdir(path)
    for var in ("NO_COLOR", "FORCE_COLOR", "HEALTHLINT_DEBUG", "HEALTHLINT_MAX_FILE_SIZE", "GITHUB_ACTIONS"):
        monkeypatch.delenv(var, raising=False)
    write(path / "good.md", "A miracle.\n")
    return path


def check(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["check", "-q", *args], env=env, catch_exceptions=False)


def findings(result) -> list[str]:
    """The finding lines of quiet text output (no summary)."""
    return [line for line in result.stdout.splitlines() if line and not line.startswith(("Found ", "No "))]


def assert_reported(result, path: str, error: str, *found: str) -> None:
    """`path` has `error` on stderr (one line), good.md is still linted, exit 1."""
    assert result.stderr == f"healthlint: {path}: {error}\n"
    assert sorted(findings(result)) == sorted([*found, GOOD])
    assert result.exit_code == ExitCode.FINDINGS


# -- encodings ----------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


@pytest.mark.parametrize("data, error", [
    (PNG, "binary file (a NUL byte at offset 8); skipped"),
    # No NUL byte, but nothing a text file holds either.
    (bytes(b for b in range(1, 256) if b not in b"\t\n\r\x0b\x0c\x1b") * 40,
     "binary file (858 control bytes in the first 8192); skipped"),
])
def test_binary_file_is_skipped_with_a_note(project: Path, data: bytes, error: str) -> None:
    write(project / "image.md", data)
    assert_reported(check("image.md", "good.md"), "image.md", error)


def test_invalid_utf8_lints_what_decodes_and_says_where_it_failed(project: Path) -> None:
    # More valid multi-byte characters than bad sequences: UTF-8 with damage, not Latin-1.
    data = "Café crème brûlée, naïve.\n\n".encode() + b"Bad \xff\xfe byte: a miracle.\n\xc3 end\n"
    write(project / "bad.md", data)
    result = check("bad.md", "good.md")
    assert_reported(result, "bad.md",
                    "invalid UTF-8 (byte 0xff at line 3, column 5, offset 36, 3 bad sequences in all); "
                    "read as U+FFFD and linted the rest; save the file as UTF-8",
                    # one U+FFFD stands for each bad sequence, so the columns after it stay honest
                    "bad.md:3:16: TS501 [hype] 'miracle' is hype")


def test_one_stray_byte_in_utf8_is_not_read_as_windows_1252(project: Path) -> None:
    """A 0xE9 typed over the second byte of "ï" broke one character into two
    bad sequences, which outvoted the two good ones: the whole file was read
    as Windows-1252 ("â€” cafÃ©") and every column after "—" moved."""
    data = "— café naïve: a miracle.\n".encode().replace("ï".encode(), b"\xc3\xe9")
    write(project / "bad.md", data)
    assert_reported(check("bad.md", "good.md"), "bad.md",
                    "invalid UTF-8 (byte 0xc3 at line 1, column 10, offset 12, 2 bad sequences in all); "
                    "read as U+FFFD and linted the rest; save the file as UTF-8",
                    "bad.md:1:18: TS501 [hype] 'miracle' is hype")
    # A file that is mostly Windows-1252 stays Windows-1252, even with an
    # accidental well-formed pair in it ("É’" is 0xC9 0x92, UTF-8 for "ɒ").
    write(project / "old.md", "CAFÉ’S café crème: a miracle.\n".encode("cp1252"))
    assert check("old.md").stderr == ("healthlint: old.md: not UTF-8 (byte 0xe9 at line 1, column 11, offset 10); "
                                      "read as Windows-1252; save the file as UTF-8\n")


@pytest.mark.parametrize("data, column, byte, error_column", [
    ("Café au lait: a miracle.\n".encode("latin-1"), 17, "0xe9", 4),
    # Windows-1252's curly apostrophe (0x92), the classic Word export
    (b"It\x92s a miracle.\n", 8, "0x92", 3),
])
def test_latin1_and_windows_1252_fall_back_and_say_so(project: Path, data: bytes, column: int, byte: str,
                                                      error_column: int) -> None:
    write(project / "old.txt", data)
    assert_reported(check("old.txt", "good.md"), "old.txt",
                    f"not UTF-8 (byte {byte} at line 1, column {error_column}, offset {error_column - 1}); "
                    "read as Windows-1252; save the file as UTF-8",
                    f"old.txt:1:{column}: TS501 [hype] 'miracle' is hype")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_unicode_with_a_bom_is_read(project: Path, encoding: str) -> None:
    text = "Première ligne.\nA miracle.\n"
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) + data
    write(project / "u.md", data)
    result = check("u.md", "good.md")
    assert (result.exit_code, result.stderr) == (1, "")
    assert findings(result) == [GOOD, "u.md:2:3: TS501 [hype] 'miracle' is hype"]


def test_truncated_utf16_is_read_up_to_the_bad_byte(project: Path) -> None:
    write(project / "u.md", "A miracle.\n".encode("utf-16") + b"\x00")
    assert_reported(check("u.md", "good.md"), "u.md",
                    "invalid UTF-16 (byte 0x00 at line 2, column 1, offset 24); read as U+FFFD and linted the "
                    "rest; save the file as UTF-8", "u.md:1:3: TS501 [hype] 'miracle' is hype")


@pytest.mark.parametrize("data, error, found", [
    (PNG, "binary file (a NUL byte at offset 8); skipped", []),
    ("Café: a miracle.\n".encode("latin-1"),
     "not UTF-8 (byte 0xe9 at line 1, column 4, offset 3); read as Windows-1252; save the file as UTF-8",
     ["page.md:1:9: TS501 [hype] 'miracle' is hype"]),
])
def test_bad_bytes_on_stdin(project: Path, data: bytes, error: str, found: list[str]) -> None:
    result = CliRunner().invoke(cli, ["check", "-q", "--stdin-filename", "page.md", "-"], input=data,
                                catch_exceptions=False)
    assert result.exit_code == ExitCode.FINDINGS
    assert (result.stderr, findings(result)) == (f"healthlint: page.md: {error}\n", found)


# -- unusual but valid documents ------------------------------------------------------

@pytest.mark.parametrize("name, data, found", [
    ("empty.md", b"", []),
    ("only-front-matter.md", b"---\ntitle: A miracle\n---\n", ["only-front-matter.md:2:10"]),
    ("unterminated.md", b"---\ntitle: x\n\nA miracle.\n", ["unterminated.md:4:3"]),
    ("cr.md", b"# Title\rRest.\rA miracle.\r", ["cr.md:3:3"]),
    ("mixed.txt", b"One.\r\nTwo.\rThree.\nA miracle.", ["mixed.txt:4:3"]),
    ("blank.html", b"   \n\n", []),
    ("spaces.txt", b"\t \xc2\xa0\n", []),
])
def test_edge_documents_lint_cleanly(project: Path, name: str, data: bytes, found: list[str]) -> None:
    write(project / name, data)
    result = check(name, "good.md")
    assert (result.exit_code, result.stderr) == (1, "")
    assert [line.split(": ", 1)[0] for line in findings(result) if line != GOOD] == found


@pytest.mark.parametrize("html", [
    "<p>A miracle<div><<<<a href=\"x>unterminated <!-- <script>foo</p></td></tr></table>",
    "<p>A miracle</p>&#xZZZ; &#99999999999; &#0; &#x110000; &bogus",
    "<p>A miracle</p><table><tr><td><td><th></table></table></tr><li><li></ul>",
    "<p>A miracle</p><script>never closed",
    "<p>A miracle</p><!-- never closed",
    "<p>A miracle</p><![CDATA[ x <p> ]]><?php echo 1 ?><!DOCTYPE",
    "<p>A miracle</p><img alt='unclosed",
    "<p>A miracle</p>" + "<div>" * 10_000 + "</span>" * 10_000,
    "<title>A miracle</title><title><title>",
])
def test_malformed_html_never_fails(project: Path, html: str) -> None:
    write(project / "bad.html", html)
    result = check("bad.html", "good.md")
    assert (result.exit_code, result.stderr) == (1, "")
    assert any(line.startswith("bad.html:1:") and "miracle" in line for line in findings(result))


# -- depth and size -------------------------------------------------------------------

DEEP = 10_000


@pytest.mark.parametrize("source, line, column", [
    ("> " * DEEP + "A miracle.\n", 1, 2 * DEEP + 3),
    (">" * DEEP + " A miracle.\n", 1, DEEP + 4),
    ("- " * DEEP + "A miracle.\n", 1, 2 * DEEP + 3),
    ("1. " * DEEP + "A miracle.\n", 1, 3 * DEEP + 3),
    ("> - " * (DEEP // 2) + "A miracle.\n", 1, 2 * DEEP + 3),
    ("".join(">" * i + " x\n" for i in range(1, 301)) + ">" * 301 + " A miracle.\n", 301, 305),
    ("[" * DEEP + "A miracle." + "](x)" * DEEP + "\n", 1, DEEP + 3),
    ("*" * DEEP + "A miracle." + "*" * DEEP + "\n", 1, DEEP + 3),
    ("![" * DEEP + "A miracle.\n", 1, 2 * DEEP + 3),
    ("<" * DEEP + " A miracle.\n", 1, DEEP + 4),
])
def test_deep_markdown_nesting_keeps_every_word(project: Path, source: str, line: int, column: int) -> None:
    """markdown-it drops what nests deeper than its limit; healthlint reads
    that part as plain prose instead, and never recurses per level."""
    from healthlint import lint_text

    start = time.monotonic()
    found = lint_text(source, "deep.md", config=project.parent / ".healthlint.yaml")
    assert [(f.code, f.line, f.column, f.match) for f in found] == [("TS501", line, column, "miracle")]
    assert time.monotonic() - start < 30


def test_deep_nesting_survives_a_low_recursion_limit() -> None:
    """The parse needs a few hundred frames, not one per level."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + 450)
    try:
        doc = parse_document("> " * DEEP + "A miracle.\n\n" + "- " * DEEP + "Two.\n", "deep.md")
    finally:
        sys.setrecursionlimit(old)
    assert [r.text for r in doc.regions] == ["A miracle.", "Two."]


def test_a_50_mb_file_is_skipped_with_a_note(project: Path) -> None:
    with open(project / "huge.md", "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: nothing is written, nothing is read
    assert_reported(check("huge.md", "good.md"), "huge.md",
                    "file too large (50 MB; the limit is 10 MB); skipped; exclude it, or set "
                    "HEALTHLINT_MAX_FILE_SIZE=0 to lint it anyway")


def test_the_size_limit_can_be_changed(project: Path) -> None:
    write(project / "a.md", "Rest. " * 100 + "A miracle.\n")
    small = check("a.md", "good.md", env={"HEALTHLINT_MAX_FILE_SIZE": "100"})
    assert small.stderr == ("healthlint: a.md: file too large (611 bytes; the limit is 100 bytes); skipped; "
                            "exclude it, or set HEALTHLINT_MAX_FILE_SIZE=0 to lint it anyway\n")
    for value in ("0", "1000000"):
        result = check("a.md", env={"HEALTHLINT_MAX_FILE_SIZE": value})
        assert (result.stderr, findings(result)) == ("", ["a.md:1:603: TS501 [hype] 'miracle' is hype"])


@pytest.mark.parametrize("limit, expected", [("0", "whole"), ("", "whole"), ("100", "too large")])
def test_a_file_that_grew_since_it_was_sized_is_read_whole_or_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      limit: str, expected: str) -> None:
    # Files are read to their size, not to the limit (each read of the
    # limit allocated 10 MB); one that grew after fstat, or a /proc file
    # sized 0, must still be read to its end or to the limit.
    from healthlint import runner

    path = tmp_path / "a.md"
    path.write_bytes(b"Rest. " * 1000)
    real = os.fstat
    monkeypatch.setattr(runner.os, "fstat", lambda fd: os.stat_result((*real(fd)[:6], 0, *real(fd)[7:])))
    monkeypatch.setenv("HEALTHLINT_MAX_FILE_SIZE", limit)
    if expected == "whole":
        assert runner.read_bytes(str(path)) == b"Rest. " * 1000
    else:
        with pytest.raises(runner.FileTooLarge):
            runner.read_bytes(str(path))


def test_a_5_mb_single_line_is_linted(project: Path) -> None:
    write(project / "line.md", "word " * 1_000_000 + "a miracle.\n")
    start = time.monotonic()
    result = check("line.md")
    assert findings(result) == ["line.md:1:5000003: TS501 [hype] 'miracle' is hype"]
    assert time.monotonic() - start < 60


@pytest.mark.parametrize("name, source", [
    ("line.txt", "word. " * 800_000 + "A miracle.\n"),
    ("line.html", "<p>" + "word " * 1_000_000 + "a miracle.</p>\n"),
    ("dots.md", "." * 5_000_000 + " A miracle.\n"),
    # markdown-it's slowest input: about 8 s per MB of brackets (docs/robustness.md)
    ("brackets.md", "[" * 250_000 + "A miracle." + "]" * 250_000 + "\n"),
])
def test_5_mb_single_lines_parse_in_linear_time(name: str, source: str) -> None:
    start = time.monotonic()
    doc = parse_document(source, name)
    assert any("miracle" in u.text for u in doc.units)
    assert time.monotonic() - start < 20


# Shapes a timing sweep found super-linear (docs/robustness.md); each took
# between 20 s and several minutes before, at these sizes.
@pytest.mark.parametrize("name, source", [
    ("directive.txt", "# healthlint-disable a" + " " * 8000 + "b\nA miracle.\n"),
    ("indent.txt", " " * 200_000 + "A miracle.\n"),
    ("shortcodes.md", "[a" + " b=[a" * 40_000 + "\n\nA miracle.\n"),
    ("pandoc.md", "{#a" + " b={#a" * 35_000 + "\n\nA miracle.\n"),
    ("kramdown.md", "{:" * 200_000 + "\n\nA miracle.\n"),
    ("addresses.txt", "a.com/," * 60_000 + " A miracle.\n"),
    ("html-in-lists.md", "- <div>\n  A miracle example.com/a\n  </div>\n\n" * 16_000),
    # HTMLParser scanned from every "<" after the last ">" to the end.
    ("open-tags.html", "<p>A miracle.</p>" + "<a " * 40_000),
    ("open-tags-in-text.html", "<p>x</p>" + "<a A miracle " * 20_000),
    ("open-tags-in-a-block.md", "<div>\n" + "<a" * 200_000 + "\n\nA miracle.\n"),
])
def test_hostile_markup_parses_in_linear_time(name: str, source: str) -> None:
    start = time.monotonic()
    doc = parse_document(source, name)
    assert any("miracle" in u.text for u in doc.units)
    assert time.monotonic() - start < 20


@pytest.mark.parametrize("source, found", [
    ("<!-- healthlint-disable-next-line TS501 -->\nA miracle.\n\n" * 20_000 + "A miracle.\n", 1),
    ("<!-- healthlint-disable TS501 -->\nA miracle.\n\n" * 20_000, 0),
])
def test_thousands_of_directives_apply_in_linear_time(project: Path, source: str, found: int) -> None:
    write(project / "many.md", source)
    start = time.monotonic()
    assert len(findings(check("many.md"))) == found
    assert time.monotonic() - start < 30


def test_a_line_that_opens_like_a_reference_is_read_in_linear_time(project: Path) -> None:
    from healthlint import lint_text

    # "Smith J." starts a bibliography entry only with a year later on the
    # line; every sentence of it asked, and the answer was forgotten.
    start = time.monotonic()
    found = lint_text("Smith J. " + "A miracle. " * 20_000 + "\n", "line.md",
                      config=project.parent / ".healthlint.yaml")
    assert len(found) == 20_000
    assert time.monotonic() - start < 30


# -- the file system ----------------------------------------------------------------------

def _denying(real, name: str):
    """`real` (os.open, os.scandir) refusing paths that end in `name`, as a
    missing read permission would: tests run as root, where chmod 000 does
    not stop a read."""
    def call(path=".", *args, **kwargs):
        if os.fspath(path).endswith(name):
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real(path, *args, **kwargs)
    return call


def test_unreadable_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(project / "secret.md", "A miracle.\n")
    monkeypatch.setattr(os, "open", _denying(os.open, "secret.md"))
    assert_reported(check("secret.md", "good.md"), "secret.md",
                    "cannot read: permission denied; skipped; check its permissions")


def test_unlistable_folder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.walk skips a folder it cannot list without a word; healthlint names it."""
    write(project / "private" / "a.md", "A miracle.\n")
    monkeypatch.setattr(os, "scandir", _denying(os.scandir, "private"))
    monkeypatch.setattr(os, "open", _denying(os.open, "private"))
    assert_reported(check(".", "good.md"), "private",
                    "cannot read: permission denied; skipped; check its permissions")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_for_real(project: Path) -> None:  # pragma: no cover - not as root
    path = write(project / "secret.md", "A miracle.\n")
    path.chmod(0)
    try:
        assert_reported(check("secret.md", "good.md"), "secret.md",
                        "cannot read: permission denied; skipped; check its permissions")
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("named", [True, False])
def test_broken_symlink_and_symlink_loop(project: Path, named: bool) -> None:
    os.symlink("nowhere.md", project / "broken.md")
    os.symlink("loop-b.md", project / "loop-a.md")
    os.symlink("loop-a.md", project / "loop-b.md")
    result = check(*(["broken.md", "loop-a.md", "good.md"] if named else ["."]))
    expected = ["healthlint: broken.md: cannot read: broken symbolic link to 'nowhere.md'; skipped",
                "healthlint: loop-a.md: cannot read: a symbolic link loop; skipped"]
    if not named:
        expected.append("healthlint: loop-b.md: cannot read: a symbolic link loop; skipped")
    assert result.stderr.splitlines() == expected
    assert (findings(result), result.exit_code) == ([GOOD], ExitCode.FINDINGS)


def test_folder_named_like_a_file(project: Path) -> None:
    write(project / "x.md" / "inner.md", "A miracle.\n")
    for args in (["x.md", "good.md"], ["."]):
        result = check(*args)
        assert (result.stderr, result.exit_code) == ("", 1)
        assert findings(result) == [GOOD, "x.md/inner.md:1:3: TS501 [hype] 'miracle' is hype"]


def test_names_with_spaces_and_non_ascii(project: Path) -> None:
    write(project / "my notes" / "crème brûlée 🍮.md", "A miracle.\n")
    result = check("my notes", "good.md")
    assert findings(result) == [GOOD, "my notes/crème brûlée 🍮.md:1:3: TS501 [hype] 'miracle' is hype"]


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="the file system insists on UTF-8 names")
@pytest.mark.parametrize("fmt", ["text", "json", "json-lines", "sarif", "github", "junit", "gitlab"])
def test_a_name_that_is_not_utf8_is_shown_with_a_replacement_character(project: Path, fmt: str) -> None:
    """A surrogate-escaped name used to crash --output-file (UnicodeEncodeError)."""
    from healthlint.reporters import REPORTERS

    if fmt not in REPORTERS:
        pytest.skip(f"no {fmt} reporter yet")
    with open(os.path.join(os.fsencode(project), b"caf\xe9.md"), "wb") as fh:
        fh.write(b"A miracle.\n")
    result = check("--format", fmt, "-o", "out.txt", ".")
    assert (result.exit_code, result.stderr) == (1, "")
    written = (project / "out.txt").read_text(encoding="utf-8")
    assert "caf\ufffd.md" in urllib.parse.unquote(written)  # SARIF names files by URI


def test_a_path_given_twice_is_linted_once(project: Path) -> None:
    result = check("good.md", "./good.md", str(project / "good.md"), ".", "good.md")
    assert findings(result) == [GOOD]
    assert [r.path for r in Runner().run(["good.md", "./good.md", "."]).reports] == ["good.md"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_and_endless_device_do_not_hang(project: Path) -> None:
    os.mkfifo(project / "pipe.md")
    os.symlink("/dev/zero", project / "zero.md")
    start = time.monotonic()
    result = check("pipe.md", "zero.md", "good.md")
    assert result.stderr == ("healthlint: zero.md: file too large (over the limit of 10 MB); skipped; exclude it, "
                             "or set HEALTHLINT_MAX_FILE_SIZE=0 to lint it anyway\n")
    assert findings(result) == [GOOD]
    assert time.monotonic() - start < 30


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_folder_walk_never_opens_a_pipe(project: Path) -> None:
    """A pipe whose writer stays silent blocked `check .` forever. A folder
    walk (documents, and a rules folder) now skips pipes, sockets and
    devices, as git does; a pipe named on the command line is still read."""
    import subprocess

    write(project / ".healthlint.yaml", "rules: [../rules.yaml, house]\nselect: [TS]\n")
    (project / "house").mkdir()
    for fifo in (project / "pipe.md", project / "house" / "pipe.yaml"):
        os.mkfifo(fifo)
    # Hold each pipe open for writing and write nothing: a reader blocks.
    writers = [os.open(fifo, os.O_RDWR | os.O_NONBLOCK) for fifo in (project / "pipe.md",
                                                                      project / "house" / "pipe.yaml")]
    try:
        assert Runner().files(["."]) == ["good.md"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        result = subprocess.run([sys.executable, "-m", "healthlint", "check", "-q", "--no-cache", "."],
                                capture_output=True, text=True, timeout=120, env=env)
        assert (result.returncode, result.stdout.splitlines()[0], result.stderr) == (1, GOOD, "")
    finally:
        for fd in writers:
            os.close(fd)


def test_a_crash_in_one_file_does_not_stop_the_others(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import healthlint.runner as runner

    real = runner.parse

    def flaky(text, path, *args, **kwargs):
        if path == "bad.md":
            raise RuntimeError("boom")
        return real(text, path, *args, **kwargs)

    monkeypatch.setattr(runner, "parse", flaky)
    write(project / "bad.md", "Anything.\n")
    assert_reported(check("bad.md", "good.md"), "bad.md",
                    "internal error while linting this file (RuntimeError: boom); the other files were linted; "
                    "this is a bug in healthlint, please report it (HEALTHLINT_DEBUG=1 prints a traceback)")
    debug = check("bad.md", env={"HEALTHLINT_DEBUG": "1"})  # the top-level handler shows the traceback
    assert debug.exit_code == ExitCode.USAGE and "RuntimeError: boom" in debug.stderr


def test_every_bad_document_at_once(project: Path) -> None:
    """One run over a folder of all of them: one line each, the good file linted."""
    write(project / "docs" / "binary.md", PNG)
    write(project / "docs" / "latin1.txt", "Café: a miracle.\n".encode("latin-1"))
    write(project / "docs" / "empty.md", b"")
    write(project / "docs" / "deep.md", "> " * DEEP + "A miracle.\n")
    write(project / "docs" / "x.md" / "inner.md", "Rest.\n")
    os.symlink("nowhere.md", project / "docs" / "broken.md")
    with open(project / "docs" / "huge.md", "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    result = check("docs", "good.md", "docs/empty.md")
    assert result.stderr.splitlines() == [
        "healthlint: docs/binary.md: binary file (a NUL byte at offset 8); skipped",
        "healthlint: docs/broken.md: cannot read: broken symbolic link to 'nowhere.md'; skipped",
        "healthlint: docs/huge.md: file too large (50 MB; the limit is 10 MB); skipped; exclude it, or set "
        "HEALTHLINT_MAX_FILE_SIZE=0 to lint it anyway",
        "healthlint: docs/latin1.txt: not UTF-8 (byte 0xe9 at line 1, column 4, offset 3); read as Windows-1252; "
        "save the file as UTF-8",
    ]
    assert findings(result) == [
        f"docs/deep.md:1:{2 * DEEP + 3}: TS501 [hype] 'miracle' is hype",
        "docs/latin1.txt:1:9: TS501 [hype] 'miracle' is hype",
        GOOD,
    ]
    assert result.exit_code == ExitCode.FINDINGS


# -- bad rules and config --------------------------------------------------------------

RULE = """\
rules:
  - code: T101
    name: miracle
    category: hype
    type: existence
    message: hype
    patterns: ['\\bmiracle\\b']
    examples:
      flag: [a miracle]
      pass: [no wonder]
"""
SECOND = RULE.split("rules:\n", 1)[1].replace("name: miracle", "name: other")


@pytest.mark.parametrize("text, message", [
    ("rules:\n  - code: [\n", "r.yaml:3:1: invalid YAML: expected the node content, but found '<stream end>'"),
    ("rules:\n\t- code: x\n", "r.yaml:2:1: invalid YAML: found character '\\t' that cannot start any token"),
    (RULE.replace("    patterns:", "    pattern:"),
     "r.yaml:7: unknown key 'pattern' in rule T101; did you mean 'patterns'?"),
    (RULE.replace("message: hype", "message: [hype]"), "r.yaml:6: key 'message' must be a string, got a list"),
    (RULE.replace("code: T101", "code: 101"), "r.yaml:2: key 'code' must be a string, got a number"),
    ("rules: {a: 1}\n", "r.yaml:1: 'rules' must be a list"),
    ("rules:\n  -\n", "r.yaml:2: each entry of 'rules' must be a mapping; start each rule with '- code: ...'"),
    (RULE + SECOND, "r.yaml:11: rule T101 is defined twice; first defined at r.yaml:2"),
    (RULE.replace("    message: hype\n", "    message: hype\n    message: again\n"),
     "r.yaml:7:5: invalid YAML: found duplicate key \"message\" with value \"again\" (original value: \"hype\")"),
    (RULE.replace("'\\bmiracle\\b'", "'{loop}'") + "fragments:\n  loop: 'a{loop}'\n",
     "r.yaml:7: fragment cycle: loop -> loop"),
    (RULE.replace("'\\bmiracle\\b'", "'(unclosed'"), "r.yaml:7: invalid regex '(unclosed': missing ) at position 9"),
    ("rules: " + "[" * 1000 + "]" * 1000 + "\n",
     "r.yaml: invalid YAML: nested too deeply; a rule file needs only a few levels of nesting"),
    ("\x00\x01", "r.yaml: invalid YAML: unacceptable character #x0000: special characters are not allowed"),
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n",
     "r.yaml:1: unknown top-level key 'a'; a rule file holds only 'rules', 'fragments' and "
     "'override-fragments'"),
])
def test_bad_rule_file_is_one_line_and_exit_2(project: Path, text: str, message: str) -> None:
    write(project / "r.yaml", text)
    write(project / ".healthlint.yaml", "rules: [r.yaml]\n")
    result = check("good.md")
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr == f"healthlint: {message}\n".replace("r.yaml", str(project / "r.yaml"))


def test_rule_file_that_is_not_utf8(project: Path) -> None:
    write(project / "r.yaml", RULE.encode("utf-16"))
    write(project / ".healthlint.yaml", "rules: [r.yaml]\n")
    result = check("good.md")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (f"healthlint: {project / 'r.yaml'}:1: cannot read rule file: not UTF-8 (byte 0xff at "
                             f"offset 0); save it as UTF-8\n")


@pytest.mark.parametrize("text, message", [
    ("select: [\n", ".healthlint.yaml:2:1: invalid YAML: expected the node content, but found '<stream end>'"),
    ("selct: [TS]\n", ".healthlint.yaml:1:1: unknown key 'selct'; did you mean 'select'?"),
    ("select: TS501\n", ".healthlint.yaml:1:9: 'select' must be a list of strings, got a string"),
    ("fail-on: 3\n", ".healthlint.yaml:1:10: 'fail-on' must be error, warning or info, got a number"),
    ("packs: [nopack]\n", ".healthlint.yaml:1:9: unknown pack 'nopack' in 'packs'; built-in packs: "),
    ("packs: [cor]\n", ".healthlint.yaml:1:9: unknown pack 'cor' in 'packs'; did you mean 'core'?"),
    ("rules: [nothere.yaml]\n", ".healthlint.yaml:1:9: rule file or folder 'nothere.yaml' does not exist; "
                                "paths in 'rules' are relative to "),
    ("select: [miracel]\nrules: [../rules.yaml]\n",
     ".healthlint.yaml:1:10: unknown rule code, name, prefix or category 'miracel' in 'select'; "),
    ("select: " + "[" * 1000 + "]" * 1000 + "\n",
     ".healthlint.yaml: invalid YAML: nested too deeply; the configuration needs only two levels of nesting"),
    ("- a\n", ".healthlint.yaml:1:1: the configuration must be a mapping of keys to values"),
])
def test_bad_config_is_one_line_and_exit_2(project: Path, text: str, message: str) -> None:
    write(project / ".healthlint.yaml", text)
    result = check("good.md")
    assert (result.exit_code, result.stdout) == (ExitCode.USAGE, "")
    assert result.stderr.startswith(f"healthlint: {message}")
    assert result.stderr.count("\n") == 1


def test_config_that_is_not_utf8(project: Path) -> None:
    write(project / ".healthlint.yaml", "select: [TS]\n".encode("utf-16"))
    result = check("good.md")
    assert (result.exit_code, result.stderr) == (
        ExitCode.USAGE,
        "healthlint: .healthlint.yaml:1: cannot read config file: not UTF-8 (byte 0xff at offset 0); "
        "save it as UTF-8\n")


def test_deeply_nested_toml(project: Path) -> None:
    write(project / "pyproject.toml", "[tool.healthlint]\nselect = " + "[" * 5000 + "]" * 5000 + "\n")
    result = check("good.md")
    assert (result.exit_code, result.stderr) == (ExitCode.USAGE,
                                                 "healthlint: pyproject.toml: invalid TOML: nested too deeply\n")


def test_missing_config_file(project: Path) -> None:
    result = check("--config", "nope.yaml", "good.md")
    assert (result.exit_code, result.stderr) == (
        ExitCode.USAGE, "healthlint: nope.yaml: config file not found; check the --config path\n")


@pytest.mark.parametrize("where", ["rule", "config"])
def test_yaml_tags_never_run_code(project: Path, where: str) -> None:
    marker = project / "pwned"
    payload = f"!!python/object/apply:os.system ['touch {marker}']"
    if where == "rule":
        write(project / "r.yaml", RULE.replace("message: hype", f"message: {payload}"))
        write(project / ".healthlint.yaml", "rules: [r.yaml]\n")
    else:
        write(project / ".healthlint.yaml", f"select: {payload}\nrules: [../rules.yaml]\n")
    result = check("good.md")
    assert result.exit_code == ExitCode.USAGE and result.stderr.count("\n") == 1
    assert not marker.exists()


def test_catastrophic_pattern_times_out_per_file_and_names_the_rule(project: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """`(a|a)+b` backtracks 2**n steps on a run of a's that is not followed
    by b; each file costs one search timeout, then the rule is skipped."""
    monkeypatch.setattr("healthlint.rules.base.SEARCH_TIMEOUT", 0.2)
    write(project / "slow.yaml", RULE.replace("'\\bmiracle\\b'", "'(a|a)+b'").replace("T101", "T901")
          .replace("name: miracle", "name: slow"))
    write(project / ".healthlint.yaml", "rules: [../rules.yaml, slow.yaml]\nselect: [TS, T901]\n")
    line = "a" * 40 + "c b\n\n"
    for name in ("one.md", "two.md"):
        write(project / name, line * 5 + "A miracle.\n")
    assert check("good.md").exit_code == ExitCode.FINDINGS  # compile the packs outside the timing
    start = time.monotonic()
    result = check("one.md", "two.md")
    elapsed = time.monotonic() - start
    slow = project / "slow.yaml"
    assert findings(result) == [
        f"one.md:1:1: HL002 [internal] rule T901 ({slow}:2) timed out here and was skipped",
        "one.md:11:3: TS501 [hype] 'miracle' is hype",
        f"two.md:1:1: HL002 [internal] rule T901 ({slow}:2) timed out here and was skipped",
        "two.md:11:3: TS501 [hype] 'miracle' is hype",
    ]
    assert result.exit_code == ExitCode.FINDINGS
    assert elapsed < 2 * 0.2 * 10  # one timeout per file (with slack), not one per unit


def test_nothing_reaches_the_network(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("healthlint opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    write(project / "page.html", '<p>A miracle. See <a href="https://example.org/study">the study</a>.</p>'
                                 '<img src="https://example.org/x.png" alt="x">')
    for fmt in ("text", "json", "sarif"):
        assert check("--format", fmt, "page.html", "good.md").exit_code == ExitCode.FINDINGS


def test_reports_of_bad_documents_round_trip_through_json(project: Path) -> None:
    write(project / "latin1.txt", "Café: a miracle.\n".encode("latin-1"))
    write(project / "image.md", PNG)
    reports = Runner().run(["latin1.txt", "image.md", "good.md"]).reports
    assert [(r.path, len(r.findings), r.error is not None) for r in reports] == [
        ("good.md", 1, False), ("image.md", 0, True), ("latin1.txt", 1, True)]
    assert all(isinstance(r, FileReport) for r in reports)
    out = json.loads(check("--format", "json", "latin1.txt", "image.md", "good.md").stdout)
    assert [f["path"] for f in out] == ["good.md", "latin1.txt"]


# -- reports, registers and baselines that cannot be written or read (session 12) ------

def test_a_report_that_cannot_be_written_is_one_line_and_exit_2(project: Path) -> None:
    for target, error in (("good.md/report.txt", "cannot write the report: File exists"),
                          ("/dev/full", "cannot write the report: No space left on device")):
        if target.startswith("/dev/") and not os.path.exists(target):
            continue
        for fmt in ("text", "json"):  # streamed as linted, and written at the end
            result = check("--format", fmt, "-o", target, "good.md")
            assert (result.exit_code, result.stderr) == (ExitCode.USAGE, f"healthlint: {target}: {error}\n")
    assert (project / "good.md").read_text(encoding="utf-8") == "A miracle.\n"


def test_a_date_that_does_not_exist_in_the_claims_register(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [../rules.yaml]\nselect: [TS]\napproved-claims: claims.yaml\n")
    write(project / "claims.yaml", "claims:\n  - rule: TS501\n    pattern: miracle\n    reference: R1\n"
                                   "    approved-by: J\n    jurisdictions: [US]\n    expires: 2099-02-30\n")
    result = check("good.md")
    assert (result.exit_code, result.stderr) == (
        ExitCode.USAGE, "healthlint: claims.yaml: invalid YAML: day is out of range for month\n")


def test_a_baseline_nested_too_deeply(project: Path) -> None:
    write(project / ".healthlint.yaml", "rules: [../rules.yaml]\nselect: [TS]\nbaseline: base.json\n")
    write(project / "base.json", "[" * 100_000 + "]" * 100_000)
    result = check("good.md")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(f"healthlint: {project / 'base.json'}: cannot read baseline: maximum recursion")
    assert result.stderr.count("\n") == 1


def test_unclosed_comments_by_the_thousand(project: Path) -> None:
    # 50,000 unclosed "<!--" took a regex 30 s (it searched to the end from
    # each one); now one pass. Nothing closes them, so none is a comment: in
    # Markdown they open an HTML block to the end, in plain text they are text.
    write(project / "many.txt", "<!--" * 50_000 + "\nIt is a miracle.\n")
    write(project / "many.md", "<!--" * 50_000 + "\nIt is a miracle.\n")
    result = check("many.txt", "many.md", "good.md")
    assert sorted(findings(result)) == sorted(["many.txt:2:9: TS501 [hype] 'miracle' is hype", GOOD])
