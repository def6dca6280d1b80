"""`healthlint server`: a Language Server over stdio, built on pygls.

- Diagnostics are published on open and save at once, and on change after
  DEBOUNCE seconds without further typing. Lints run one at a time in a
  worker thread (Worker), so that hovers, code actions and shutdown are
  answered while a long document is linted; a lint whose document has
  changed (or closed) since is not published, and one still queued for it
  is skipped, so only the latest version is shown. Diagnostics carry the
  document version when the client reads it. The buffer is linted in memory
  under the config that governs its path (the runner's resolver and plans),
  so an editor sees exactly what `healthlint check` would report for the file
  once saved; a path the config's `exclude` matches gets no diagnostics, as
  under pre-commit's `--force-exclude`.
- Each diagnostic carries the code, the category (as a message prefix, as in
  the text output), the severity, source `healthlint`, a link to the rule
  (`codeDescription.href`) and `data` with the code and the suggested wording.
- Hover over a diagnostic shows the rule's explanation, basis and rewrite,
  from the findings for the document's current version: while that lint
  is still running there is no hover (the client's diagnostics are for an
  older text then too). Linting for the hover instead would make it wait
  for the whole lint, which is what blocked hovers on large documents.
- Code actions: the finding's fix where `healthlint check --fix` or
  `--unsafe-fixes` would make one ("Replace with '...'", or inserting a
  configured notice), and "Disable HLxxx for this line". In Markdown that
  is a `disable-line` comment at the end of the line (in a table row,
  inside its last cell): a comment on a line of its own would end a
  paragraph, list or table and change the page. In HTML and plain text it
  is a `disable-next-line` directive above the line (`<!-- ... -->`,
  `# ...`). A document-level finding gets "Disable HLxxx for this file", a
  `disable-file` directive after any front matter (at the end of an HTML
  file).
- A change to `.healthlint.yaml`, `.healthlint.yml` or `pyproject.toml`
  (workspace/didChangeWatchedFiles, registered with clients that allow it;
  or saving one in the editor) drops every resolved config and plan and
  re-lints the open documents. Compiled rule sets stay cached (packs.py).
- A request whose params do not fit its type is answered with a JSON-RPC
  InvalidParams error, and a body that is not JSON with a ParseError (id
  null), where pygls would only show the user a message (Protocol).

Positions: healthlint counts code points; LSP clients count UTF-16 code units
unless they negotiate otherwise. The conversion happens here, and only here
(`client_column`). pygls is imported in `build_server` only, so that the
command line does not pay for it.
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import queue
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Protocol
from urllib.parse import unquote, urlparse

from .document.markdown import front_matter_end
from .document.sourcemap import LineIndex
from .errors import HealthlintError
from .findings import Finding, Severity

if TYPE_CHECKING:
    from .runner import Plan, Runner

DEBOUNCE = 0.3  # seconds of quiet after a change before the buffer is linted
SOURCE = "healthlint"
CONFIG_NAMES = frozenset({".healthlint.yaml", ".healthlint.yml", "pyproject.toml"})
LINTED_EXTENSIONS = (".md", ".markdown", ".mdx", ".html", ".htm", ".txt")
LANGUAGE_EXTENSIONS = {"markdown": ".md", "html": ".html", "plaintext": ".txt", "text": ".txt"}
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")

log = logging.getLogger(__name__)


# -- the parts that need no pygls (tested directly) ----------------------------------

def client_column(line_text: str, column: int, encoding: str = "utf-16") -> int:
    """0-based client character offset of 1-based code-point `column` in `line_text`."""
    prefix = line_text[:max(0, column - 1)]
    if encoding == "utf-32":
        return len(prefix)
    # A lone surrogate (an editor buffer can hold one) counts as one unit.
    if encoding == "utf-8":
        return len(prefix.encode("utf-8", "surrogatepass"))
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2


class Span(Protocol):
    """1-based code-point positions, end exclusive: a Finding or a Fix."""

    line: int
    column: int
    end_line: int
    end_column: int


def client_range(f: Span, text: str, lines: LineIndex, encoding: str = "utf-16") -> tuple[int, int, int, int]:
    """(start line, start char, end line, end char), 0-based, in client units."""
    def at(line: int, column: int) -> tuple[int, int]:
        start, end = lines.line_span(line, text)
        return line - 1, client_column(text[start:end], column, encoding)

    return (*at(f.line, f.column), *at(f.end_line, f.end_column))


def path_for(uri: str, language_id: str | None, root: str) -> str | None:
    """The file path a document lints as; None for documents healthlint skips."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        path = os.path.normpath(unquote(parsed.path))
        if os.name == "nt" and re.match(r"^[\\/][A-Za-z]:", path):
            path = path[1:]
    else:  # an unsaved buffer: name it by its language, in the workspace root
        ext = LANGUAGE_EXTENSIONS.get(language_id or "")
        if ext is None:
            return None
        path = os.path.join(root, "untitled" + ext)
    if path.lower().endswith(LINTED_EXTENSIONS) or language_id in LANGUAGE_EXTENSIONS:
        return path
    return None


def syntax_of(path: str, language_id: str | None) -> str:
    """The path's extension decides, as on the command line; for a name with
    no known extension (a `README` shown as Markdown) the editor's language."""
    from .document import syntax_for

    if not path.lower().endswith(LINTED_EXTENSIONS) and language_id in ("markdown", "html"):
        return language_id
    return syntax_for(path)


def lint_buffer(runner: Runner, path: str, text: str, syntax: str | None = None) -> tuple[list[Finding], Plan]:
    """The findings `healthlint check` would report for `text` saved at `path`."""
    from .config import PathPattern, matches_any, relative_to_root
    from .runner import lint_document, parse

    plan = runner.plan_for(runner.resolver.for_file(path))
    config = plan.config
    if config.exclude and matches_any(tuple(PathPattern.compile(g) for g in config.exclude),
                                      relative_to_root(path, config.root)):
        return [], plan
    return lint_document(parse(text, path, syntax, html_metadata=config.html_metadata), plan), plan


def directive_comment(syntax: str, code: str, kind: str = "disable-next-line") -> str:
    if syntax == "text":
        return f"# healthlint-{kind} {code}"
    return f"<!-- healthlint-{kind} {code} -->"


@dataclass(frozen=True)
class Insert:
    """Insert `text` at 0-based (line, client character)."""

    line: int
    character: int
    text: str


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def disable_edit(text: str, line: int, code: str, syntax: str, encoding: str = "utf-16") -> Insert:
    """The edit that silences `code` on 1-based `line` of `text`."""
    lines = LineIndex(text)
    start, end = lines.line_span(line, text)
    line_text = text[start:end]
    if syntax == "markdown":
        inline = _inline_disable(text, start, line_text, line, code, encoding)
        if inline is not None:
            return inline
    indent = line_text[:len(line_text) - len(line_text.lstrip(" \t"))]
    after = lines.starts[line] if line < lines.line_count else len(text)
    newline = text[end:after] or _newline(text)
    return Insert(line - 1, 0, indent + directive_comment(syntax, code) + newline)


def _inline_disable(text: str, start: int, line_text: str, line: int, code: str, encoding: str) -> Insert | None:
    """A `disable-line` comment at the end of a Markdown line: inline HTML,
    so the paragraph, list item or table row it sits in stays whole. None
    when the comment would not be one there (the line ends inside a code
    span or a tag) or would change the prose."""
    comment = directive_comment("markdown", code, "disable-line")
    if _TABLE_ROW.match(line_text):
        # After the last pipe it would be a cell of its own: put it in the last cell.
        at = line_text.rstrip().rfind("|")
        piece = ("" if line_text[at - 1:at].isspace() else " ") + comment + " "
    else:
        content = line_text.rstrip(" \t")
        if content.endswith("\\"):
            content = content[:-1]  # a backslash line break stays last on its line
        at = len(content)
        piece = ("" if not content or content[-1].isspace() else " ") + comment
    if not _only_adds_a_comment(text, text[:start + at] + piece + text[start + at:]):
        return None
    return Insert(line - 1, client_column(line_text, at + 1, encoding), piece)


def _only_adds_a_comment(before: str, after: str) -> bool:
    """Whether `after` reads as `before` plus one comment: the same prose."""
    old_comments, old_prose = _reading(before)
    new_comments, new_prose = _reading(after, keep=False)
    return new_comments == old_comments + 1 and old_prose == new_prose


# One code-action request offers a disable edit per diagnostic, all on the
# same buffer: the buffer is read once for all of them.
_READING: list[tuple[str, tuple[int, list[tuple[str, list[str]]]]]] = []


def _reading(text: str, keep: bool = True) -> tuple[int, list[tuple[str, list[str]]]]:
    """How many comments `text` has as Markdown, and its prose (units' kind
    and words); with `keep`, remembered for the next call on the same text."""
    kept = _READING[0] if _READING else None  # one read: code actions run on worker threads
    if kept is not None and kept[0] is text:
        return kept[1]
    from .document import parse_document

    doc = parse_document(text, "page.md")
    reading = (len(doc.comments), [(u.kind, u.text.split()) for u in doc.units])
    if keep:
        _READING[:] = [(text, reading)]
    return reading


def disable_file_edit(text: str, code: str, syntax: str, encoding: str = "utf-16") -> Insert:
    """The edit that silences a document-level finding of `code`: a
    `disable-file` directive after any front matter (HTML: at the end)."""
    directive = directive_comment(syntax, code, "disable-file")
    newline = _newline(text)
    at = len(text) if syntax == "html" else front_matter_end(text) if syntax == "markdown" else 0
    lines = LineIndex(text)
    line, col = lines.position(at)
    if col == 1:  # a line start: the directive is a line of its own there
        return Insert(line - 1, 0, directive + newline)
    start, _ = lines.line_span(line, text)  # the text ends mid-line
    return Insert(line - 1, client_column(text[start:at], at - start + 1, encoding), newline + directive + newline)


def hover_markdown(spec: Any) -> str:
    """A rule's documentation as Markdown, for a hover."""
    from .reporters.sarif import help_text

    category = getattr(spec, "category", "internal")
    head = f"**{spec.code}** `{spec.name}` ({category}, {spec.severity})"
    parts = [head, help_text(spec)[1]]
    if getattr(spec, "url", None):
        parts.append(f"[More about {spec.code}]({spec.url})")
    return "\n\n".join(parts)


def rule_spec(plan: Plan, code: str) -> Any:
    from .selection import INTERNAL_RULES

    for internal in INTERNAL_RULES:
        if internal.code == code:
            return internal
    found = plan.ruleset.find(code)
    return found.spec if found is not None else None


# -- the server ---------------------------------------------------------------------

class Worker:
    """Runs jobs one at a time in a daemon thread and hands each result back
    to the event loop that submitted it.

    One thread: lints are CPU-bound, so more threads would only share the
    GIL, and the runner's caches are then built by one thread only. A daemon
    thread rather than a ThreadPoolExecutor, whose threads the interpreter
    joins at exit: `exit` would wait for the lint of a large document."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Any, Callable[[], Any], Callable[[Any], None]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    def submit(self, job: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run `job()` in the thread, then `done(result)` on the running loop."""
        import asyncio

        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="healthlint-lint", daemon=True)
            self._thread.start()
        self._jobs.put((asyncio.get_running_loop(), job, done))

    def _run(self) -> None:
        while True:
            loop, job, done = self._jobs.get()
            try:
                result = job()
            except Exception:  # noqa: BLE001 - a bug: keep the thread for the next job
                log.exception("a lint job failed")
                continue
            try:
                loop.call_soon_threadsafe(done, result)
            except RuntimeError:  # the loop has closed: the server is exiting
                return


@dataclass
class _Linted:
    """What the last lint of one document produced, for hover and actions."""

    path: str
    version: int | None  # of the document the findings are for
    plan: Plan | None
    findings: list[Finding]


class State:
    """The runner (config and rule-set caches) and what each document showed."""

    def __init__(self, make_runner: Callable[[], Runner]) -> None:
        self.make_runner = make_runner
        self._runner: Runner | None = None
        self.linted: dict[str, _Linted] = {}
        self.pending: dict[str, Any] = {}  # uri -> the debounce timer of its next lint
        # uri -> the ticket of the newest lint asked for: a result with an
        # older ticket is for a text the editor no longer shows. One counter
        # for all, so that a document closed and opened again starts afresh.
        self.latest: dict[str, int] = {}
        self.tickets = itertools.count(1)
        self.worker = Worker()
        # 1 until an exit notification after a shutdown request: the input
        # ending or an exit without shutdown is a failure (LSP).
        self.exit_status = 1

    @property
    def runner(self) -> Runner:
        """Built on first use, so a broken `--config` file is reported as a
        diagnostic (HealthlintError) rather than killing the server. Read
        once: reload() on the event loop may clear it meanwhile."""
        runner = self._runner
        if runner is None:
            runner = self._runner = self.make_runner()
        return runner

    def reload(self) -> None:
        """Forget every resolved config and plan (a fresh Runner). Compiled
        rule sets stay cached in packs.py: they are keyed by the packs and
        rule files a config names, so a config that names others loads them."""
        self._runner = None


class _Answered(Exception):
    """A request pygls could not read, already answered with an error."""


def _send_error(protocol: Any, msg_id: int | str | None, code: int, message: str) -> None:
    # A dict, not lsprotocol's ResponseErrorMessage: that would leave out an
    # id of None, and JSON-RPC 2.0 wants `"id": null` on a ParseError. pygls
    # has no public way to answer outside a handler; _send_data frames and
    # writes one message, on the event loop like every other write.
    protocol._send_data({"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}})


def _pygls_classes() -> tuple[Any, Any]:
    """pygls's LanguageServer and its protocol, answering what they cannot read.

    pygls structures each message inside json.loads (as its object_hook). A
    message that does not fit its type, or a body that is not JSON, raises
    there, before any handler: no response is sent, only a
    window/showMessage for the user, and the client's request waits forever.
    JSON-RPC 2.0 wants an error response: InvalidParams (-32602) with the
    request's id, and ParseError (-32700) with id null, since a body that
    is not JSON has no id to read. A notification with bad params has
    nobody to answer and keeps pygls's message."""
    from cattrs import transform_error
    from cattrs.errors import ClassValidationError
    from pygls.exceptions import JsonRpcException, JsonRpcParseError
    from pygls.lsp.server import LanguageServer
    from pygls.protocol import LanguageServerProtocol

    class Protocol(LanguageServerProtocol):
        def structure_message(self, data: dict[str, Any]) -> Any:
            try:
                return super().structure_message(data)
            except JsonRpcException as exc:
                msg_id = data.get("id")
                if "method" not in data or isinstance(msg_id, bool) or not isinstance(msg_id, (int, str)):
                    raise  # a notification, or a client's response: nobody waits for an answer
                cause = exc.__cause__
                detail = "; ".join(transform_error(cause)) if isinstance(cause, ClassValidationError) else ""
                _send_error(self, msg_id, exc.code, f"{exc.message}: {detail}" if detail else exc.message)
                raise _Answered(data.get("method")) from exc

    class Server(LanguageServer):
        def report_server_error(self, error: Exception, source: Any) -> None:
            if isinstance(error, _Answered):
                return
            if source is JsonRpcException and isinstance(error, (json.JSONDecodeError, UnicodeDecodeError)):
                _send_error(self.protocol, None, JsonRpcParseError.CODE, f"Parse error: {error}")
                return
            super().report_server_error(error, source)

    return Server, Protocol


def build_server(config: str | None = None) -> Any:
    """A pygls LanguageServer with healthlint's features registered."""
    from functools import partial

    from lsprotocol import types as t
    from pygls.lsp.server import LanguageServer

    from . import __version__
    from .runner import Options, Runner

    from .cache import default_dir

    server_class, protocol_class = _pygls_classes()
    server = server_class("healthlint", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental,
                          protocol_cls=protocol_class)
    # The compiled packs come from the same cache as the command line's, so
    # a server start does not compile them again.
    state = State(lambda: Runner(Options(config=config, cache_dir=default_dir()), cwd=_root(server)))
    severity = {Severity.ERROR: t.DiagnosticSeverity.Error, Severity.WARNING: t.DiagnosticSeverity.Warning,
                Severity.INFO: t.DiagnosticSeverity.Information}

    def encoding() -> str:
        kind = server.workspace.position_encoding
        return str(getattr(kind, "value", kind) or "utf-16")

    def diagnostic(f: Finding, text: str, lines: LineIndex, version: int | None, units: str) -> t.Diagnostic:
        sl, sc, el, ec = client_range(f, text, lines, units)
        # `version`: the fix's range is for that text; code_action offers it for no other.
        data: dict[str, Any] = {"code": f.code, "name": f.name, "category": f.category,
                                "replacement": f.replacement, "version": version}
        if f.document_level:
            data["document"] = True
        if f.fix is not None:
            # The edit `--fix`/`--unsafe-fixes` would make, in client units.
            data["fix"] = {"range": list(client_range(f.fix, text, lines, units)),
                           "content": f.fix.content, "title": f.fix.description}
        return t.Diagnostic(
            range=t.Range(start=t.Position(line=sl, character=sc), end=t.Position(line=el, character=ec)),
            message=f"[{f.category}] {f.message}", severity=severity[f.severity], code=f.code,
            code_description=t.CodeDescription(href=f.url) if f.url else None, source=SOURCE, data=data)

    def document(uri: str) -> Any:
        # pygls files documents under the percent-decoded URI; diagnostics
        # must go out under the URI the client sent.
        docs = server.workspace.text_documents
        return docs.get(uri) or docs.get(unquote(uri))

    Result = tuple[_Linted, list[t.Diagnostic]]

    def lint(uri: str, ticket: int, path: str, text: str, syntax: str, version: int | None,
             units: str) -> Result | None:
        """In the worker thread: one snapshot of a buffer, linted, as diagnostics."""
        if state.latest.get(uri) != ticket:
            return None  # superseded while it waited its turn: not worth linting
        try:
            findings, plan = lint_buffer(state.runner, path, text, syntax)
        except HealthlintError as exc:  # a broken config or pack: say so on line 1
            return _fail(path, version, f"healthlint: {exc}")
        except Exception as exc:  # noqa: BLE001 - a bug: keep serving, tell the user and the log
            log.exception("linting %s failed", path)
            return _fail(path, version, f"healthlint: internal error: {type(exc).__name__}: {exc}; "
                                        "this is a bug in healthlint, please report it")
        lines = LineIndex(text)
        return _Linted(path, version, plan, findings), [diagnostic(f, text, lines, version, units) for f in findings]

    def _fail(path: str, version: int | None, message: str) -> Result:
        """One error diagnostic at the top of the document instead of findings."""
        start = t.Position(line=0, character=0)
        return _Linted(path, version, None, []), [t.Diagnostic(
            range=t.Range(start=start, end=start), message=message, severity=t.DiagnosticSeverity.Error,
            source=SOURCE)]

    def start(uri: str, ticket: int) -> None:
        """On the event loop: hand the buffer as it is now to the worker."""
        state.pending.pop(uri, None)
        doc = document(uri)
        path = None if doc is None else path_for(uri, doc.language_id, _root(server))
        if path is None:
            return
        # The text, version and language are read here, not in the thread:
        # pygls applies the next change to the same document object.
        job = partial(lint, uri, ticket, path, doc.source, syntax_of(path, doc.language_id), doc.version,
                      encoding())
        state.worker.submit(job, partial(finish, uri, ticket))

    def finish(uri: str, ticket: int, result: Result | None) -> None:
        """On the event loop: publish, unless a newer lint or a close superseded this one."""
        if result is None or state.latest.get(uri) != ticket:
            return
        linted, diagnostics = result
        state.linted[uri] = linted
        _publish(uri, linted.version, diagnostics)

    def _publish(uri: str, version: int | None, diagnostics: list[t.Diagnostic]) -> None:
        text_caps = server.client_capabilities.text_document
        publish_caps = text_caps.publish_diagnostics if text_caps is not None else None
        if not (publish_caps is not None and publish_caps.version_support):
            version = None  # the client does not read it (LSP: versionSupport)
        server.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics))

    def cancel(uri: str) -> None:
        """Drop the pending lint of `uri`; one running is not published."""
        handle = state.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        state.latest.pop(uri, None)

    def schedule(uri: str, delay: float) -> None:
        import asyncio

        cancel(uri)
        # The ticket is taken now, not when the lint starts: from this change
        # on, a lint of an older text that is still running is stale.
        ticket = state.latest[uri] = next(state.tickets)
        if delay <= 0:
            start(uri, ticket)
        else:
            state.pending[uri] = asyncio.get_running_loop().call_later(delay, start, uri, ticket)

    def relint_all() -> None:
        state.reload()
        for doc in list(server.workspace.text_documents.values()):
            schedule(doc.uri, 0)

    @server.feature(t.INITIALIZED)
    def initialized(ls: LanguageServer, params: t.InitializedParams) -> None:
        state.reload()  # the workspace root is known now: resolve configs from it
        watch = ls.client_capabilities.workspace
        dynamic = getattr(getattr(watch, "did_change_watched_files", None), "dynamic_registration", False)
        if dynamic:
            ls.client_register_capability(t.RegistrationParams(registrations=[t.Registration(
                id="healthlint-config", method=t.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=t.DidChangeWatchedFilesRegistrationOptions(watchers=[
                    t.FileSystemWatcher(glob_pattern=f"**/{name}") for name in sorted(CONFIG_NAMES)]))]))

    @server.feature(t.EXIT)
    def on_exit(ls: LanguageServer, params: Any) -> None:
        # LSP: exit with 1 unless a shutdown request came first. pygls's own
        # sys.exit does not reach serve(), so remember which it is.
        state.exit_status = 0 if getattr(ls.protocol, "_shutdown", True) else 1

    @server.feature(t.SHUTDOWN)
    def on_shutdown(ls: LanguageServer, params: Any) -> None:
        # No diagnostics after the answer to shutdown: the client may be gone.
        for uri in list(state.pending) + list(state.latest):
            cancel(uri)

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: t.DidOpenTextDocumentParams) -> None:
        schedule(params.text_document.uri, 0)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: t.DidChangeTextDocumentParams) -> None:
        schedule(params.text_document.uri, DEBOUNCE)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LanguageServer, params: t.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if os.path.basename(urlparse(uri).path) in CONFIG_NAMES:
            relint_all()
        else:
            schedule(uri, 0)

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LanguageServer, params: t.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        cancel(uri)
        state.linted.pop(uri, None)
        _publish(uri, None, [])

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: LanguageServer, params: t.DidChangeWatchedFilesParams) -> None:
        if any(os.path.basename(urlparse(c.uri).path) in CONFIG_NAMES for c in params.changes):
            relint_all()

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(ls: LanguageServer, params: t.HoverParams) -> t.Hover | None:
        linted = state.linted.get(params.text_document.uri)
        doc = document(params.text_document.uri)
        # Findings for another version would name the rule of other words;
        # those for this one are on their way (module docstring: Hover).
        if linted is None or linted.plan is None or doc is None or linted.version != doc.version:
            return None
        text, lines = doc.source, LineIndex(doc.source)
        pos = (params.position.line, params.position.character)
        shown: list[str] = []
        for f in linted.findings:
            sl, sc, el, ec = client_range(f, text, lines, encoding())
            if (sl, sc) <= pos <= (el, ec) and f.code not in shown:
                shown.append(f.code)
        specs = [s for s in (rule_spec(linted.plan, c) for c in shown) if s is not None]
        if not specs:
            return None
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown,
                                                value="\n\n---\n\n".join(hover_markdown(s) for s in specs)))

    @server.feature(t.TEXT_DOCUMENT_CODE_ACTION,
                    t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))
    async def code_action(ls: LanguageServer, params: t.CodeActionParams) -> list[t.CodeAction]:
        uri = params.text_document.uri
        doc = document(uri)
        if doc is None:
            return []
        syntax = syntax_of(path_for(uri, doc.language_id, _root(ls)) or uri, doc.language_id)
        # Working out where a directive can go parses the buffer (about a
        # second for 600 KB); on another thread, hovers and diagnostics
        # are not held up behind it.
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(
            None, code_actions, uri, doc.source, doc.version, syntax, encoding(), params.context.diagnostics)

    server.healthlint_state = state
    return server


def code_actions(uri: str, source: str, version: int | None, syntax: str, encoding: str,
                 diagnostics: list[Any]) -> list[Any]:
    """The quick fixes for `diagnostics` of the buffer `source`: a rule's
    suggested wording, and a directive that silences the finding."""
    from lsprotocol import types as t

    actions: list[t.CodeAction] = []
    disabled: set[tuple[str, int]] = set()
    for d in diagnostics:
        data = d.data if isinstance(d.data, dict) else None
        if d.source != SOURCE or not data or not data.get("code"):
            continue
        code = str(data["code"])
        fix = data.get("fix")
        # A fix's range is for the text it was linted from: once the
        # document has changed it could replace other words.
        if isinstance(fix, dict) and data.get("version") == version:
            sl, sc, el, ec = fix["range"]
            content = str(fix["content"])
            title = f"Replace with '{content}'" if (sl, sc) != (el, ec) else str(fix["title"])
            actions.append(t.CodeAction(
                title=title, kind=t.CodeActionKind.QuickFix, diagnostics=[d], is_preferred=True,
                edit=t.WorkspaceEdit(changes={uri: [t.TextEdit(
                    range=t.Range(start=t.Position(line=sl, character=sc), end=t.Position(line=el, character=ec)),
                    new_text=content)]})))
        line = d.range.start.line + 1
        # A document-level finding, or one in front matter (YAML, where
        # no comment can go): the directive is for the whole file.
        whole = bool(data.get("document")) or (
            syntax == "markdown" and line < LineIndex(source).position(front_matter_end(source))[0])
        line = 0 if whole else line
        if (code, line) in disabled:
            continue
        disabled.add((code, line))
        if whole:
            ins, title = disable_file_edit(source, code, syntax, encoding), f"Disable {code} for this file"
        else:
            ins, title = disable_edit(source, line, code, syntax, encoding), f"Disable {code} for this line"
        at = t.Position(line=ins.line, character=ins.character)
        actions.append(t.CodeAction(
            title=title, kind=t.CodeActionKind.QuickFix, diagnostics=[d],
            edit=t.WorkspaceEdit(changes={uri: [t.TextEdit(range=t.Range(start=at, end=at), new_text=ins.text)]})))
    return actions


def _root(server: Any) -> str:
    try:
        root = server.workspace.root_path
    except (RuntimeError, AttributeError):  # before initialize
        root = None
    return os.path.abspath(root or os.getcwd())


def serve(config: str | None = None, stdin: Any = None, stdout: Any = None) -> int:
    """Run the server over stdio until the client says exit."""
    server = build_server(config)
    server.start_io(stdin, stdout)
    return server.healthlint_state.exit_status


