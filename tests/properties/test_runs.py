"""Generated files on disk through the runner and every reporter: results do
not depend on which files share a run (or a worker process), and every
output format parses back."""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthlint.findings import FileReport
from healthlint.reporters import REPORTERS, RunContext
from healthlint.runner import Options, Runner, RunResult

from .strategies import EXTENSIONS, document
from .support import budget, check_findings

_RUNS = itertools.count()
SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@st.composite
def file_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    """(extension, bytes): a generated document as a file, mostly UTF-8,
    sometimes in another encoding, damaged, or not text at all."""
    syntax, source = draw(document())
    how = draw(st.sampled_from(("utf-8",) * 6 + ("utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252",
                                                 "damaged", "binary", "empty")))
    if how in ("latin-1", "cp1252"):
        data = source.encode(how, errors="replace")
    elif how == "damaged":
        raw = bytearray(source.encode("utf-8"))
        at = draw(st.integers(0, len(raw)))
        raw[at:at] = draw(st.sampled_from((b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82", b"\x80\x80")))
        data = bytes(raw)
    elif how == "binary":
        data = b"\x89PNG\r\n\x1a\n\x00" + source.encode("utf-8")
    elif how == "empty":
        data = b""
    else:
        data = source.encode(how, errors="surrogatepass")
    return EXTENSIONS[syntax], data


files = st.lists(file_bytes(), min_size=1, max_size=5)


def _write(base: Path, entries: list[tuple[str, bytes]]) -> list[str]:
    folder = base / f"run{next(_RUNS)}"
    folder.mkdir()
    names = []
    for i, (ext, data) in enumerate(entries):
        name = f"run{folder.name[3:]}/{'sub/' if i % 2 else ''}doc {i}{ext}"
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        (base / name).write_bytes(data)
        names.append(name)
    return names


def _key(reports: tuple[FileReport, ...]) -> list[tuple[str, list[dict[str, Any]], str | None]]:
    return [(r.path, [f.as_dict() for f in r.findings], r.error) for r in reports]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runs")


@pytest.fixture
def here(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(workdir)
    monkeypatch.delenv("HEALTHLINT_MAX_FILE_SIZE", raising=False)
    return workdir


@budget(15)
@given(entries=files)
def test_results_do_not_depend_on_the_batch_or_the_order(here: Path, entries: list[tuple[str, bytes]]) -> None:
    names = _write(here, entries)
    together = Runner().run(names).reports
    assert _key(together) == _key(Runner().run(names[::-1]).reports)
    one_by_one = tuple(r for name in names for r in Runner().run([name]).reports)
    assert _key(together) == _key(tuple(sorted(one_by_one, key=lambda r: r.path)))
    for report in together:
        if report.source is not None:
            check_findings(report.source, report.findings)


@pytest.mark.skipif("jobs" not in Options.__dataclass_fields__, reason="no --jobs option yet")
@budget(4)
@given(entries=st.lists(file_bytes(), min_size=9, max_size=14))
def test_parallel_workers_give_the_same_results(here: Path, entries: list[tuple[str, bytes]]) -> None:
    from healthlint.parallel import BATCH_FILES, workers_for

    names = _write(here, entries)
    assert workers_for(2, len(names)) == 2 and len(names) > BATCH_FILES  # really two processes
    serial = Runner().run(names).reports
    parallel = Runner(Options(jobs=2)).run(names).reports  # type: ignore[call-arg]
    assert _key(serial) == _key(parallel)


# -- every format parses back ---------------------------------------------------------

def _render(fmt: str, result: RunResult) -> str:
    return REPORTERS[fmt](list(result.reports), RunContext("1.2.3", rules=tuple(result.rules)))


def _findings(result: RunResult) -> list[Any]:
    return sorted((f for r in result.reports for f in r.findings), key=lambda f: f.sort_key)


def _same(objects: list[dict[str, Any]], result: RunResult) -> None:
    keys = ("path", "line", "column", "end_line", "end_column", "code", "severity", "message", "match")
    assert [{k: o[k] for k in keys} for o in objects] == \
        [{k: f.as_dict()[k] for k in keys} for f in _findings(result)]


def parse_text(out: str, result: RunResult) -> None:
    headers = [line for line in out.splitlines() if re.match(r"^.+:\d+:\d+: [A-Z]+\d+ \[[\w-]+\] ", line)]
    assert len(headers) >= len(_findings(result))
    for f in _findings(result):
        assert f"{f.path}:{f.line}:{f.column}: {f.code} [{f.category}] " in out


def parse_json(out: str, result: RunResult) -> None:
    _same(json.loads(out), result)


def parse_json_lines(out: str, result: RunResult) -> None:
    # JSON Lines ends records at "\n" only; a raw U+0085 or U+2028 inside a string is valid JSON
    _same([json.loads(line) for line in out.split("\n") if line.strip()], result)


def parse_sarif(out: str, result: RunResult) -> None:
    log = json.loads(out)
    if SCHEMA.is_file():
        import jsonschema

        schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
        errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))
        assert not errors, [e.message for e in errors[:3]]
    [run] = log["runs"]
    assert len(run["results"]) == len(_findings(result))


def parse_github(out: str, result: RunResult) -> None:
    commands = [line for line in out.splitlines() if line.startswith("::")]
    pattern = re.compile(r"^::(error|warning|notice) file=[^,:]*,(line=\d+,col=\d+,endLine=\d+,endColumn=\d+,)?"
                         r"title=[^,:]*::[^\r\n]*$")
    assert all(pattern.match(c) for c in commands), commands
    assert len(commands) == len(_findings(result)) + sum(1 for r in result.reports if r.error)


def parse_junit(out: str, result: RunResult) -> None:
    junitparser = pytest.importorskip("junitparser")
    xml = junitparser.JUnitXml.fromstring(out)
    suites = list(xml) if isinstance(xml, junitparser.JUnitXml) else [xml]
    assert sum(s.failures for s in suites) == len(_findings(result))
    assert sum(s.errors for s in suites) == sum(1 for r in result.reports if r.error)


def parse_gitlab(out: str, result: RunResult) -> None:
    issues = json.loads(out)
    assert len(issues) == len(_findings(result))
    assert len({i["fingerprint"] for i in issues}) == len(issues)


PARSERS = {"text": parse_text, "json": parse_json, "json-lines": parse_json_lines, "sarif": parse_sarif,
           "github": parse_github, "junit": parse_junit, "gitlab": parse_gitlab}


def test_every_format_has_a_parser() -> None:
    assert set(REPORTERS) <= set(PARSERS), "add a parse-back check for the new format"


@budget(15)
@given(entries=files)
def test_every_output_format_parses_back(here: Path, entries: list[tuple[str, bytes]]) -> None:
    result = Runner().run(_write(here, entries))
    for fmt in REPORTERS:
        out = _render(fmt, result)
        out.encode("utf-8")  # no lone surrogates: every format is written as UTF-8
        PARSERS[fmt](out, result)

