"""The language server, end to end: pytest-lsp starts `python -m healthlint
server` as a subprocess and speaks JSON-RPC to it over stdio, as an editor
does. The position helpers that need no client are tested directly first.
A few tests write raw frames instead: what a client cannot send, and exit.
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from healthlint.server import DEBOUNCE, Insert, client_column, disable_edit, disable_file_edit, path_for, syntax_of

pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is in the test extra")
from lsprotocol import types as t  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402

RULES = r"""
rules:
  - code: TS101
    name: test-dose
    category: dose
    severity: warning
    type: existence
    message: "Dose '{match}'"
    patterns: ['\btake \d+ mg\b']
    url: https://example.org/rules/TS101
    explanation: A dose with no source.
    examples: {flag: ["take 5 mg"], pass: ["rest well"]}
  - code: TS301
    name: test-proof
    category: evidence
    severity: info
    type: substitution
    message: "'{match}': say '{replacement}'"
    swap:
      '\bclinically proven\b': studied in [cite the trial]
    explanation: Proof claims need the study.
    examples: {flag: ["clinically proven"], pass: ["studied in a trial"]}
  - code: TS501
    name: test-miracle
    category: hype
    severity: error
    type: existence
    message: "'{match}' is hype"
    patterns: ['\bmiracle\b']
    explanation: Hype words promise more than any evidence supports.
    basis: [UK CAP Code 15.1]
    rewrite: Describe the effect with its size and source.
    examples: {flag: ["a miracle"], pass: ["rest well"]}
"""
CONFIG = "rules: [rules.yaml]\nselect: [TS]\n"
# Seconds after which a server that has not answered is taken to hang. The
# first lint in each test compiles the packs (a new rules.yaml each time):
# some seconds on an idle machine, half a minute on a busy one.
HANG = 120


# -- helpers that need no client -------------------------------------------------------

@pytest.mark.parametrize("line, column, encoding, expected", [
    ("abc", 3, "utf-16", 2),
    ("😀 a miracle", 5, "utf-16", 5),   # the emoji is one code point, two UTF-16 units
    ("😀 a miracle", 5, "utf-8", 7),    # ... and four UTF-8 bytes
    ("😀 a miracle", 5, "utf-32", 4),
    ("é miracle", 3, "utf-16", 2),
    ("é miracle", 3, "utf-8", 3),
    ("short", 9, "utf-16", 5),          # past the end of the line clamps to it
    ("\ud83d a miracle", 4, "utf-16", 3),  # a lone surrogate in a buffer is one unit
    ("\ud83d a miracle", 4, "utf-8", 5),
])
def test_client_column(line: str, column: int, encoding: str, expected: int) -> None:
    assert client_column(line, column, encoding) == expected


@pytest.mark.parametrize("text, line, syntax, expected", [
    # Markdown: a comment at the end of the line, inline, so the block stays whole.
    ("# T\n\nA miracle.\n", 3, "markdown", Insert(2, 10, " <!-- healthlint-disable-line TS501 -->")),
    ("A line\nA miracle\nmore\n", 2, "markdown", Insert(1, 9, " <!-- healthlint-disable-line TS501 -->")),
    ("- a\n  - a miracle\n", 2, "markdown", Insert(1, 13, " <!-- healthlint-disable-line TS501 -->")),
    ("> a\n> a miracle\n> b\n", 2, "markdown", Insert(1, 11, " <!-- healthlint-disable-line TS501 -->")),
    ("A miracle  \nnext\n", 1, "markdown", Insert(0, 9, " <!-- healthlint-disable-line TS501 -->")),  # hard break kept
    ("A miracle\\\nnext\n", 1, "markdown", Insert(0, 9, " <!-- healthlint-disable-line TS501 -->")),
    ("A 😀 miracle.\n", 1, "markdown", Insert(0, 13, " <!-- healthlint-disable-line TS501 -->")),
    # The line ends inside a code span: a comment there would be code; a line of its own.
    ("A miracle `x\ny` z\n", 1, "markdown", Insert(0, 0, "<!-- healthlint-disable-next-line TS501 -->\n")),
    ("A miracle.\r\n", 1, "html", Insert(0, 0, "<!-- healthlint-disable-next-line TS501 -->\r\n")),
    ("Notes\nA miracle.\n", 2, "text", Insert(1, 0, "# healthlint-disable-next-line TS501\n")),
    ("A miracle.", 1, "text", Insert(0, 0, "# healthlint-disable-next-line TS501\n")),  # no final newline
    # A line of its own would end a Markdown table: the comment goes in the last cell.
    ("| a | b |\n|---|---|\n| x | a miracle |\n", 3, "markdown",
     Insert(2, 16, "<!-- healthlint-disable-line TS501 --> ")),
    ("| a | b |\n|---|---|\n| x | a miracle|\n", 3, "markdown",
     Insert(2, 15, " <!-- healthlint-disable-line TS501 --> ")),
])
def test_disable_edit(text: str, line: int, syntax: str, expected: Insert) -> None:
    assert disable_edit(text, line, "TS501", syntax) == expected


@pytest.mark.parametrize("text, syntax, expected", [
    ("# T\n", "markdown", Insert(0, 0, "<!-- healthlint-disable-file HL701 -->\n")),
    # after the front matter, which must stay on line 1 for site generators
    ("---\ntitle: T\n---\n# T\n", "markdown", Insert(3, 0, "<!-- healthlint-disable-file HL701 -->\n")),
    ("<p>x</p>\n", "html", Insert(1, 0, "<!-- healthlint-disable-file HL701 -->\n")),
    ("<p>x</p>", "html", Insert(0, 8, "\n<!-- healthlint-disable-file HL701 -->\n")),
    ("<p>😀</p>", "html", Insert(0, 9, "\n<!-- healthlint-disable-file HL701 -->\n")),  # UTF-16 units
    ("Notes\r\n", "text", Insert(0, 0, "# healthlint-disable-file HL701\r\n")),
])
def test_disable_file_edit(text: str, syntax: str, expected: Insert) -> None:
    assert disable_file_edit(text, "HL701", syntax) == expected


@pytest.mark.parametrize("uri, language, expected", [
    ("file:///w/docs/a%20b.md", "markdown", "/w/docs/a b.md"),
    ("file:///w/page.html", "html", "/w/page.html"),
    ("file:///w/notes.txt", "plaintext", "/w/notes.txt"),
    ("file:///w/app.py", "python", None),
    ("untitled:Untitled-1", "markdown", "/w/untitled.md"),
    ("untitled:Untitled-2", "python", None),
])
def test_path_for(uri: str, language: str, expected: str | None) -> None:
    assert path_for(uri, language, "/w") == expected


@pytest.mark.parametrize("path, language, expected", [
    ("/w/a.md", "markdown", "markdown"),
    ("/w/a.txt", "markdown", "text"),          # the extension wins, as on the command line
    ("/w/README", "markdown", "markdown"),     # no known extension: the editor's language
    ("/w/page", "html", "html"),
    ("/w/notes", "plaintext", "text"),
])
def test_syntax_of(path: str, language: str, expected: str) -> None:
    assert syntax_of(path, language) == expected


# -- end to end --------------------------------------------------------------------------

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "healthlint", "server"])

# The server, but a lint first appends the buffer (as a JSON line) to `linted`
# beside the document, and the lint of a buffer with a line "GATE" then
# waits until the test creates `release` there: a lint as slow as a test
# needs, with no timing involved.
GATED = textwrap.dedent("""
    import json, os, sys, time
    from healthlint import server

    lint_buffer = server.lint_buffer

    def gated(runner, path, text, syntax=None):
        folder = os.path.dirname(path)
        with open(os.path.join(folder, "linted"), "a", encoding="utf-8") as log:
            log.write(json.dumps(text) + "\\n")
        deadline = time.monotonic() + 600  # well past HANG; a server a failed test left behind ends anyway
        while "GATE" in text.splitlines() and not os.path.exists(os.path.join(folder, "release")):
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        return lint_buffer(runner, path, text, syntax)

    server.lint_buffer = gated

    # A code action on a buffer with a line "HOLD <flag>" waits in
    # disable_edit until the test creates <flag> (it creates <flag>.reached
    # first, so the test knows the action is under way).
    disable_edit = server.disable_edit

    def held(text, *args, **kwargs):
        for line in text.splitlines():
            if line.startswith("HOLD "):
                flag = line[5:]
                open(flag + ".reached", "w").close()
                deadline = time.monotonic() + 600
                while not os.path.exists(flag) and time.monotonic() < deadline:
                    time.sleep(0.01)
        return disable_edit(text, *args, **kwargs)

    server.disable_edit = held
    sys.exit(server.serve())
""")
GATED_SERVER = ClientServerConfig(server_command=[sys.executable, "-c", GATED])


def linted(workspace: Path) -> list[str]:
    """The buffers the gated server has begun to lint, in order."""
    log = workspace / "linted"
    records = log.read_text(encoding="utf-8").split("\n")[:-1] if log.exists() else []
    return [json.loads(r) for r in records]  # [:-1]: a line still being written is not one yet


async def gate_reached(workspace: Path) -> None:
    """Wait until the gated server is in the lint of a GATE buffer."""
    async def poll() -> None:
        while not any("GATE" in text.splitlines() for text in linted(workspace)):
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), HANG)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "rules.yaml").write_text(textwrap.dedent(RULES), encoding="utf-8")
    (tmp_path / ".healthlint.yaml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def _client_fixture(name: str, spec: str, server: ClientServerConfig = SERVER, version_support: bool = False) -> Any:
    @pytest_lsp.fixture(config=server, name=name)
    async def fixture(lsp_client: LanguageClient, workspace: Path):
        lsp_client.registrations = []  # type: ignore[attr-defined]

        @lsp_client.feature(t.CLIENT_REGISTER_CAPABILITY)
        def register(params: t.RegistrationParams) -> None:
            lsp_client.registrations.extend(params.registrations)  # type: ignore[attr-defined]

        # Every publishDiagnostics in order (pytest-lsp keeps the last per
        # URI, without its version): wrap the handler it registered.
        lsp_client.published = []  # type: ignore[attr-defined]
        features = lsp_client.protocol.fm.features
        keep = features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

        def publish(params: t.PublishDiagnosticsParams) -> None:
            lsp_client.published.append(params)  # type: ignore[attr-defined]
            keep(params)

        features[t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
        capabilities = client_capabilities(spec)
        if version_support:
            capabilities.text_document.publish_diagnostics.version_support = True
        await lsp_client.initialize_session(t.InitializeParams(
            capabilities=capabilities, root_uri=workspace.as_uri(),
            workspace_folders=[t.WorkspaceFolder(uri=workspace.as_uri(), name="w")]))
        yield
        await lsp_client.shutdown_session()

    return fixture


client = _client_fixture("client", "visual-studio-code")  # UTF-16 positions, dynamic file watching
nvim = _client_fixture("nvim", "neovim@v0.11.0")          # negotiates UTF-8 positions
# Reads the version in publishDiagnostics; lints wait at a GATE line.
gated = _client_fixture("gated", "visual-studio-code", GATED_SERVER, version_support=True)


class Doc:
    """One open document on the client side: its text, version and URI."""

    def __init__(self, lsp: LanguageClient, path: Path, text: str, language: str = "markdown") -> None:
        self.lsp, self.uri, self.text, self.version = lsp, path.as_uri(), text, 1
        path.write_text(text, encoding="utf-8")
        lsp.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
            uri=self.uri, language_id=language, version=1, text=text)))

    async def diagnostics(self) -> list[t.Diagnostic]:
        """Wait for the next diagnostics published for this document."""
        while True:
            await asyncio.wait_for(self.lsp.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), HANG)
            if self.uri in self.lsp.diagnostics:
                return list(self.lsp.diagnostics.pop(self.uri))

    def replace(self, text: str) -> None:
        self.text, self.version = text, self.version + 1
        self.lsp.text_document_did_change(t.DidChangeTextDocumentParams(
            text_document=t.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)]))

    def apply(self, edits: list[t.TextEdit], encoding: str = "utf-16") -> None:
        """Apply `edits` the way an editor would, then send the new text."""
        lines = self.text.splitlines(keepends=True) or [""]

        def offset(p: t.Position) -> int:
            line = lines[p.line] if p.line < len(lines) else ""
            units = line.encode("utf-16-le" if encoding == "utf-16" else "utf-8")
            width = 2 if encoding == "utf-16" else 1
            chars = len(units[:p.character * width].decode("utf-16-le" if encoding == "utf-16" else "utf-8"))
            return sum(len(x) for x in lines[:p.line]) + chars

        text = self.text
        for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
        self.replace(text)

    async def actions(self, diagnostic: t.Diagnostic) -> list[t.CodeAction]:
        result = await self.lsp.text_document_code_action_async(t.CodeActionParams(
            text_document=t.TextDocumentIdentifier(uri=self.uri), range=diagnostic.range,
            context=t.CodeActionContext(diagnostics=[diagnostic])))
        return [a for a in result or [] if isinstance(a, t.CodeAction)]


def pos(line: int, character: int) -> t.Position:
    return t.Position(line=line, character=character)


async def hover(lsp: LanguageClient, doc: Doc, position: t.Position) -> t.Hover | None:
    """The hover at `position`; a server that does not answer fails the test."""
    return await asyncio.wait_for(lsp.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=doc.uri), position=position)), HANG)


def span(d: t.Diagnostic) -> tuple[int, int, int, int]:
    return d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character


ARTICLE = "# Sleep 😀\n\nIt is 😀 a miracle. Take 5 mg daily.\n\nClinically proven to work.\n"


@pytest.mark.asyncio
async def test_open_publishes_diagnostics_in_utf16_ranges(client: LanguageClient, workspace: Path) -> None:
    doc = Doc(client, workspace / "a.md", ARTICLE)
    found = await doc.diagnostics()
    assert [(d.code, span(d)) for d in found] == [
        # "It is 😀 a " is 10 code points but 11 UTF-16 units.
        ("TS501", (2, 11, 2, 18)),
        ("TS101", (2, 20, 2, 29)),
        ("TS301", (4, 0, 4, 17)),
    ]
    miracle, dose, proof = found
    assert (miracle.source, miracle.severity, miracle.message) == (
        "healthlint", t.DiagnosticSeverity.Error, "[hype] 'miracle' is hype")
    assert dose.severity == t.DiagnosticSeverity.Warning
    assert dose.code_description == t.CodeDescription(href="https://example.org/rules/TS101")
    assert proof.severity == t.DiagnosticSeverity.Information
    assert proof.data == {"code": "TS301", "name": "test-proof", "category": "evidence",
                          "replacement": "studied in [cite the trial]", "version": 1,
                          "fix": {"range": [4, 0, 4, 17], "content": "Studied in [cite the trial]",
                                  "title": "Replace 'Clinically proven' with 'Studied in [cite the trial]'"}}
    # The file watcher for config files was registered with the client.
    watchers = [w["globPattern"] for r in client.registrations for w in r.register_options["watchers"]]
    assert watchers == ["**/.healthlint.yaml", "**/.healthlint.yml", "**/pyproject.toml"]
    # VS Code does not read the document version in publishDiagnostics: none is sent.
    assert [p.version for p in client.published] == [None]


@pytest.mark.asyncio
async def test_utf8_positions_when_the_client_negotiates_them(nvim: LanguageClient, workspace: Path) -> None:
    doc = Doc(nvim, workspace / "a.md", ARTICLE)
    found = await doc.diagnostics()
    # "It is 😀 a " is 13 UTF-8 bytes.
    assert [(d.code, span(d)) for d in found][:2] == [("TS501", (2, 13, 2, 20)), ("TS101", (2, 22, 2, 31))]


@pytest.mark.asyncio
async def test_disable_action_inserts_the_directive_and_the_diagnostic_goes(
        client: LanguageClient, workspace: Path) -> None:
    doc = Doc(client, workspace / "a.md", ARTICLE)
    miracle = (await doc.diagnostics())[0]
    actions = await doc.actions(miracle)
    assert [a.title for a in actions] == ["Disable TS501 for this line"]
    doc.apply(actions[0].edit.changes[doc.uri])
    # At the end of the line: a comment line of its own would split the paragraph.
    assert doc.text.splitlines()[2] == "It is 😀 a miracle. Take 5 mg daily. <!-- healthlint-disable-line TS501 -->"
    assert [(d.code, span(d)) for d in await doc.diagnostics()] == [
        ("TS101", (2, 20, 2, 29)), ("TS301", (4, 0, 4, 17))]


@pytest.mark.asyncio
async def test_replace_action_uses_the_suggested_wording(client: LanguageClient, workspace: Path) -> None:
    doc = Doc(client, workspace / "a.md", ARTICLE)
    proof = (await doc.diagnostics())[2]
    actions = await doc.actions(proof)
    assert [a.title for a in actions] == ["Replace with 'Studied in [cite the trial]'", "Disable TS301 for this line"]
    assert actions[0].is_preferred
    doc.apply(actions[0].edit.changes[doc.uri])
    assert doc.text.endswith("\nStudied in [cite the trial] to work.\n")
    assert [d.code for d in await doc.diagnostics()] == ["TS501", "TS101"]


@pytest.mark.asyncio
async def test_no_replace_action_where_the_match_spans_markup(client: LanguageClient, workspace: Path) -> None:
    # As `--unsafe-fixes` would not: replacing the words would drop the emphasis markers.
    doc = Doc(client, workspace / "a.md", "Our clinically *proven* blend.\n")
    [proof] = await doc.diagnostics()
    assert "fix" not in proof.data
    assert [a.title for a in await doc.actions(proof)] == ["Disable TS301 for this line"]


@pytest.mark.asyncio
async def test_a_document_level_finding_is_disabled_for_the_file(client: LanguageClient, workspace: Path) -> None:
    (workspace / ".healthlint.yaml").write_text("rules: [rules.yaml]\nselect: [TS, HL701]\n", encoding="utf-8")
    doc = Doc(client, workspace / "a.md", "---\ntitle: Sleep\n---\n\nTake 5 mg daily.\n")
    found = await doc.diagnostics()
    [notice] = [d for d in found if d.code == "HL701"]
    actions = await doc.actions(notice)
    assert [a.title for a in actions] == ["Disable HL701 for this file"]
    doc.apply(actions[0].edit.changes[doc.uri])
    assert doc.text.startswith("---\ntitle: Sleep\n---\n<!-- healthlint-disable-file HL701 -->\n")
    assert [d.code for d in await doc.diagnostics()] == ["TS101"]


@pytest.mark.asyncio
async def test_a_finding_in_front_matter_is_disabled_for_the_file(client: LanguageClient, workspace: Path) -> None:
    # A comment inside YAML front matter would not be one; after it, it covers the file.
    doc = Doc(client, workspace / "a.md", "---\ntitle: A miracle\n---\n\nRest.\n")
    [miracle] = await doc.diagnostics()
    actions = await doc.actions(miracle)
    assert [a.title for a in actions] == ["Disable TS501 for this file"]
    doc.apply(actions[0].edit.changes[doc.uri])
    assert doc.text == "---\ntitle: A miracle\n---\n<!-- healthlint-disable-file TS501 -->\n\nRest.\n"
    assert await doc.diagnostics() == []


@pytest.mark.asyncio
async def test_a_uri_with_escapes_gets_its_diagnostics(client: LanguageClient, workspace: Path) -> None:
    # "my doc.md" is file:///.../my%20doc.md; pygls files it under the decoded form.
    doc = Doc(client, workspace / "my doc é.md", ARTICLE)
    assert "%20" in doc.uri
    found = await doc.diagnostics()
    assert [d.code for d in found] == ["TS501", "TS101", "TS301"]
    assert [a.title for a in await doc.actions(found[0])] == ["Disable TS501 for this line"]


@pytest.mark.asyncio
async def test_a_lone_surrogate_in_the_buffer_does_not_stop_diagnostics(
        client: LanguageClient, workspace: Path) -> None:
    doc = Doc(client, workspace / "a.md", "Rest.\n")
    assert await doc.diagnostics() == []
    doc.replace("\ud83d It is a miracle.\n")
    assert [(d.code, span(d)) for d in await doc.diagnostics()] == [("TS501", (0, 10, 0, 17))]


@pytest.mark.asyncio
async def test_disable_action_in_plain_text_uses_a_hash_comment(client: LanguageClient, workspace: Path) -> None:
    doc = Doc(client, workspace / "notes.txt", "Notes\nA miracle, they say.\n", language="plaintext")
    miracle = (await doc.diagnostics())[0]
    doc.apply((await doc.actions(miracle))[0].edit.changes[doc.uri])
    assert doc.text == "Notes\n# healthlint-disable-next-line TS501\nA miracle, they say.\n"
    assert await doc.diagnostics() == []


@pytest.mark.asyncio
async def test_hover_shows_the_rule_explanation(client: LanguageClient, workspace: Path) -> None:
    doc = Doc(client, workspace / "a.md", ARTICLE)
    await doc.diagnostics()
    hover = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=doc.uri), position=pos(2, 13)))
    assert hover is not None and isinstance(hover.contents, t.MarkupContent)
    assert hover.contents.kind == t.MarkupKind.Markdown
    assert hover.contents.value == (
        "**TS501** `test-miracle` (hype, error)\n\n"
        "Hype words promise more than any evidence supports.\n\n"
        "**Basis**\n\n- UK CAP Code 15.1\n\n"
        "**How to fix**\n\nDescribe the effect with its size and source.")
    nothing = await client.text_document_hover_async(t.HoverParams(
        text_document=t.TextDocumentIdentifier(uri=doc.uri), position=pos(0, 0)))
    assert nothing is None


@pytest.mark.asyncio
async def test_changes_are_debounced(client: LanguageClient, workspace: Path) -> None:
    doc = Doc(client, workspace / "a.md", "Rest well.\n")
    assert await doc.diagnostics() == []
    for i in range(5):  # typing: five changes in quick succession
        doc.replace("Rest well." + " A miracle." * (i + 1) + "\n")
    typed = time.monotonic()
    found = await doc.diagnostics()
    assert time.monotonic() - typed >= DEBOUNCE * 0.8
    assert [span(d) for d in found] == [(0, 13 + 11 * i, 0, 20 + 11 * i) for i in range(5)]  # the last text only
    with pytest.raises(asyncio.TimeoutError):  # and only once
        await asyncio.wait_for(client.wait_for_notification(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), DEBOUNCE * 3)


@pytest.mark.asyncio
async def test_hover_and_code_actions_are_answered_while_a_lint_runs(gated: LanguageClient, workspace: Path) -> None:
    doc = Doc(gated, workspace / "a.md", ARTICLE)
    _, _, proof = await doc.diagnostics()
    doc.replace(ARTICLE + "GATE\n")  # version 2; the findings above keep their places
    await gate_reached(workspace)
    try:
        # Answered while version 2 is being linted, and not from version 1's
        # findings: their positions are for another text.
        assert await hover(gated, doc, pos(2, 13)) is None
        actions = await asyncio.wait_for(doc.actions(proof), HANG)
        assert [a.title for a in actions] == ["Disable TS301 for this line"]  # no Replace for an old range
    finally:
        (workspace / "release").touch()
    found = await doc.diagnostics()
    assert [d.code for d in found] == ["TS501", "TS101", "TS301"]
    assert gated.published[-1].version == 2
    shown = await hover(gated, doc, pos(2, 13))
    assert shown is not None and shown.contents.value.startswith("**TS501** `test-miracle`")
    assert [a.title for a in await doc.actions(found[2])] == [
        "Replace with 'Studied in [cite the trial]'", "Disable TS301 for this line"]


@pytest.mark.asyncio
async def test_hovers_are_answered_while_a_code_action_is_worked_out(gated: LanguageClient, workspace: Path) -> None:
    """Placing a directive parses the buffer (a second for 600 KB); the
    server must not stop answering while it does."""
    flag = workspace / "release-action"
    doc = Doc(gated, workspace / "a.md", ARTICLE + f"\nHOLD {flag}\n")
    miracle = (await doc.diagnostics())[0]
    pending = asyncio.ensure_future(doc.actions(miracle))

    async def reached() -> None:
        while not (workspace / "release-action.reached").exists():
            await asyncio.sleep(0.01)

    try:
        await asyncio.wait_for(reached(), HANG)
        shown = await hover(gated, doc, pos(2, 13))
        assert shown is not None and shown.contents.value.startswith("**TS501** `test-miracle`")
        assert not pending.done()
    finally:
        flag.touch()
    actions = await asyncio.wait_for(pending, HANG)
    assert [a.title for a in actions] == ["Disable TS501 for this line"]


@pytest.mark.asyncio
async def test_only_the_latest_of_rapid_changes_is_linted_and_published(
        gated: LanguageClient, workspace: Path) -> None:
    doc = Doc(gated, workspace / "a.md", "Rest well.\n")
    assert await doc.diagnostics() == []
    doc.replace("GATE\nA miracle.\n")  # version 2, held at the gate
    await gate_reached(workspace)
    try:
        for i in range(1, 4):  # versions 3 to 5, typed while version 2 is linted
            doc.replace("Rest well." + " A miracle." * i + "\n")
            if i == 1:  # an autosave: version 3's lint is queued at once, behind version 2's
                gated.text_document_did_save(t.DidSaveTextDocumentParams(
                    text_document=t.TextDocumentIdentifier(uri=doc.uri)))
        # Answered meanwhile; and once it is, the server has read every change.
        assert await hover(gated, doc, pos(0, 0)) is None
    finally:
        (workspace / "release").touch()
    found = await doc.diagnostics()
    assert [span(d) for d in found] == [(0, 13 + 11 * i, 0, 20 + 11 * i) for i in range(3)]
    # Version 2's diagnostics, ready after versions 3 to 5 came, never went
    # out; versions 3 and 4 were never linted, not even the one queued.
    assert [(p.version, len(p.diagnostics)) for p in gated.published if p.uri == doc.uri] == [(1, 0), (5, 3)]
    assert linted(workspace) == ["Rest well.\n", "GATE\nA miracle.\n",
                                 "Rest well. A miracle. A miracle. A miracle.\n"]


@pytest.mark.asyncio
async def test_save_relints(client: LanguageClient, workspace: Path) -> None:
    doc = Doc(client, workspace / "a.md", "A miracle.\n")
    assert [d.code for d in await doc.diagnostics()] == ["TS501"]
    client.text_document_did_save(t.DidSaveTextDocumentParams(text_document=t.TextDocumentIdentifier(uri=doc.uri)))
    assert [d.code for d in await doc.diagnostics()] == ["TS501"]


@pytest.mark.asyncio
async def test_config_change_reloads(client: LanguageClient, workspace: Path) -> None:
    doc = Doc(client, workspace / "a.md", ARTICLE)
    assert [d.code for d in await doc.diagnostics()] == ["TS501", "TS101", "TS301"]
    config = workspace / ".healthlint.yaml"
    config.write_text(CONFIG + "ignore: [hype]\n", encoding="utf-8")
    client.workspace_did_change_watched_files(t.DidChangeWatchedFilesParams(changes=[
        t.FileEvent(uri=config.as_uri(), type=t.FileChangeType.Changed)]))
    assert [d.code for d in await doc.diagnostics()] == ["TS101", "TS301"]


@pytest.mark.asyncio
async def test_excluded_files_get_no_diagnostics(client: LanguageClient, workspace: Path) -> None:
    (workspace / ".healthlint.yaml").write_text(CONFIG + "exclude: [drafts/]\n", encoding="utf-8")
    (workspace / "drafts").mkdir()
    doc = Doc(client, workspace / "drafts" / "a.md", "A miracle.\n")
    assert await doc.diagnostics() == []


@pytest.mark.asyncio
async def test_a_broken_config_is_one_diagnostic_on_line_1(client: LanguageClient, workspace: Path) -> None:
    (workspace / ".healthlint.yaml").write_text("rules: [rules.yaml]\nselect: [TS9]\n", encoding="utf-8")
    doc = Doc(client, workspace / "a.md", "A miracle.\n")
    [error] = await doc.diagnostics()
    assert span(error) == (0, 0, 0, 0)
    assert error.severity == t.DiagnosticSeverity.Error
    assert error.message.startswith("healthlint: .healthlint.yaml:2:")
    assert "'TS9'" in error.message


def frame(message: dict[str, Any] | bytes) -> bytes:
    """One JSON-RPC message as it goes over stdio; bytes are sent as they are."""
    body = message if isinstance(message, bytes) else json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def replies(stdout: bytes) -> list[dict[str, Any]]:
    """The messages in the server's output."""
    found = []
    while stdout:
        head, _, rest = stdout.partition(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        found.append(json.loads(rest[:length]))
        stdout = rest[length:]
    return found


def initialize(root: Path | None = None) -> bytes:
    return frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"processId": None, "rootUri": root.as_uri() if root else None, "capabilities": {}}})


def methods(*names: str, first_id: int = 2) -> bytes:
    """`shutdown` as a request, anything else as a notification; `initialized` with its (empty) params."""
    def message(k: int, name: str) -> dict[str, Any]:
        if name == "shutdown":
            return {"jsonrpc": "2.0", "id": k, "method": name}
        return {"jsonrpc": "2.0", "method": name, **({"params": {}} if name == "initialized" else {})}

    return b"".join(frame(message(k, name)) for k, name in enumerate(names, start=first_id))


def _exit_status(*names: str) -> int:
    """The server's exit status after initialize and then `names`."""
    proc = subprocess.run([sys.executable, "-m", "healthlint", "server"], input=initialize() + methods(*names),
                          capture_output=True, timeout=60, check=False)
    return proc.returncode


def test_exit_after_shutdown_is_status_0_and_without_it_1() -> None:
    # LSP: "The server should exit with success code 0 if the shutdown
    # request has been received before; otherwise with error code 1."
    assert _exit_status("initialized", "shutdown", "exit") == 0
    assert _exit_status("initialized", "exit") == 1


@pytest.mark.parametrize("names, status", [(("shutdown", "exit"), 0), (("exit",), 1)])
def test_shutdown_and_exit_do_not_wait_for_a_running_lint(
        workspace: Path, names: tuple[str, ...], status: int) -> None:
    path = workspace / "a.md"
    proc = subprocess.Popen([sys.executable, "-c", GATED], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(initialize(workspace) + methods("initialized") + frame({
            "jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": path.as_uri(), "languageId": "markdown", "version": 1, "text": "GATE\nA miracle.\n"}}}))
        proc.stdin.flush()
        asyncio.run(gate_reached(workspace))
        proc.stdin.write(methods(*names))  # stdin stays open, as an editor may keep it
        proc.stdin.flush()
        assert proc.wait(timeout=HANG) == status
    finally:
        (workspace / "release").touch()
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    answered = [r for r in replies(proc.stdout.read()) if r.get("id") == 2]
    assert answered == ([{"jsonrpc": "2.0", "id": 2, "result": None}] if "shutdown" in names else [])
    proc.stdout.close()
    proc.stdin.close()


def test_a_request_the_server_cannot_read_gets_a_json_rpc_error() -> None:
    # pygls on its own answers none of these; it shows the user a message.
    hover = {"jsonrpc": "2.0", "method": "textDocument/hover"}
    session = initialize() + methods("initialized") + b"".join([
        frame({**hover, "id": 2, "params": {"textDocument": {"uri": "file:///w/a.md"}}}),
        frame({**hover, "id": "three", "params": "nonsense"}),
        frame(b'{"jsonrpc": "2.0", "id": 4, "method": "textDocument/hover", "params": {'),  # not JSON
    ]) + methods("shutdown", "exit", first_id=5)
    proc = subprocess.run([sys.executable, "-m", "healthlint", "server"], input=session,
                          capture_output=True, timeout=60, check=False)
    found = replies(proc.stdout)
    errors = {r["id"]: r["error"] for r in found if "error" in r}
    assert {k: e["code"] for k, e in errors.items()} == {2: -32602, "three": -32602, None: -32700}
    assert "@ $.params.position" in errors[2]["message"]  # what is wrong, as cattrs words it
    assert [r["method"] for r in found if r.get("method") == "window/showMessage"] == []
    assert {"jsonrpc": "2.0", "id": 5, "result": None} in found  # and it kept serving
    assert proc.returncode == 0
