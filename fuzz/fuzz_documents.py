"""Fuzz the document parsers and the rule engine for a fixed time (issue 7).

    python fuzz/fuzz_documents.py --seconds 60                 # hypothesis, or atheris when installed
    python fuzz/fuzz_documents.py --seconds 600 --engine hypothesis --seed 1
    python fuzz/fuzz_documents.py --seconds 600 --engine atheris  # coverage-guided (pip install atheris)
    python fuzz/fuzz_documents.py --replay fuzz/artifacts/crash-1a2b3c.md

Every input is linted with the built-in packs and must satisfy what the
property tests assert (tests/properties/support.py): no exception, every
region chunk and unit inside the source, every finding inside the file with
line/column/end agreeing with its offsets and slicing out its match, and
every output format rendering to valid UTF-8 (JSON and SARIF parse back).
Inputs are generated Markdown, HTML and text (tests/properties/strategies.py),
raw bytes through the file decoder, and arbitrary Unicode. A failing input
is saved under fuzz/artifacts/ (replay it with --replay) and the exit
status is 1. The last line says how many inputs were tried.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
ARTIFACTS = ROOT / "fuzz" / "artifacts"
EXTENSIONS = {"markdown": ".md", "html": ".html", "text": ".txt"}
SLOW_SECONDS = 20.0  # one input taking longer than this is a hang


# -- the target -------------------------------------------------------------------

def check_text(source: str, syntax: str) -> int:
    """Lint `source` as `syntax` and assert every invariant; returns the
    number of findings."""
    from properties.support import check_document, check_findings, default_plan

    from healthlint.findings import FileReport
    from healthlint.reporters import REPORTERS, RunContext
    from healthlint.runner import lint_document, parse

    path = "doc" + EXTENSIONS[syntax]
    doc = parse(source, path)
    check_document(doc)
    findings = lint_document(doc, default_plan())
    check_findings(doc.source, findings)
    reports = [FileReport(path, tuple(findings), source=doc.source)]
    for name, reporter in REPORTERS.items():
        out = reporter(reports, RunContext("0", rules=tuple(r.spec for r in default_plan().ruleset.rules)))
        out.encode("utf-8")
        if name in ("json", "sarif", "gitlab"):
            json.loads(out)
    return len(findings)


def check_bytes(data: bytes, syntax: str) -> int:
    """Decode `data` as a file on disk is decoded, then check_text."""
    from healthlint.document.encoding import BinaryFile, decode_file

    try:
        decoded = decode_file(data)
    except BinaryFile:
        return 0
    return check_text(decoded.text, syntax)


def save(data: bytes, syntax: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"crash-{hashlib.sha256(data).hexdigest()[:12]}{EXTENSIONS[syntax]}"
    path.write_bytes(data)
    return path


class Counter:
    def __init__(self) -> None:
        self.inputs = 0
        self.slowest = 0.0

    def timed(self, fn: Callable[[], Any]) -> None:
        start = time.monotonic()
        fn()
        self.inputs += 1
        elapsed = time.monotonic() - start
        self.slowest = max(self.slowest, elapsed)
        if elapsed > SLOW_SECONDS:
            raise AssertionError(f"one input took {elapsed:.1f} s (more than {SLOW_SECONDS:.0f} s)")


# -- hypothesis engine --------------------------------------------------------------

def run_hypothesis(seconds: float, seed: int | None) -> int:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hypothesis_seed
    from hypothesis import strategies as st
    from properties.strategies import DOCUMENTS, SYNTAXES, nasty

    counter = Counter()
    unicode = st.lists(st.one_of(nasty, st.characters(exclude_categories=("Cs",)),
                                 st.sampled_from("<>[]()*_`#|-!&;\n\r\t >")), max_size=400).map("".join)
    inputs = st.one_of(
        st.tuples(st.sampled_from(SYNTAXES), st.just("text")).flatmap(
            lambda t: st.tuples(st.just(t[0]), st.just("text"), DOCUMENTS[t[0]])),
        st.tuples(st.sampled_from(SYNTAXES), st.just("text"), unicode),
        st.tuples(st.sampled_from(SYNTAXES), st.just("bytes"), st.binary(max_size=600)),
        st.tuples(st.sampled_from(SYNTAXES), st.just("bytes"),
                  st.sampled_from(SYNTAXES).flatmap(lambda s: DOCUMENTS[s]).map(lambda s: s.encode("utf-8"))),
    )
    failure: list[tuple[bytes, str]] = []

    @settings(max_examples=100, deadline=None, database=None, phases=[Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(item=inputs)
    def target(item: tuple[str, str, Any]) -> None:
        syntax, kind, value = item
        try:
            if kind == "bytes":
                counter.timed(lambda: check_bytes(value, syntax))
            else:
                counter.timed(lambda: check_text(value, syntax))
        except Exception:
            data = value if kind == "bytes" else value.encode("utf-8", "surrogatepass")
            failure[:] = [(data, syntax)]
            raise

    from properties.support import default_plan

    default_plan()  # compile the packs before the clock starts
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    start = time.monotonic()
    while time.monotonic() < deadline:
        try:
            hypothesis_seed(rng.getrandbits(64))(target)()
        except Exception:  # hypothesis has shrunk it and printed the falsifying example
            traceback.print_exc()
            if failure:
                print(f"fuzz_documents: failing input saved to {save(*failure[-1])}", file=sys.stderr)
            _summary(counter.inputs, time.monotonic() - start, "hypothesis", counter.slowest, failed=True)
            return 1
    _summary(counter.inputs, time.monotonic() - start, "hypothesis", counter.slowest, failed=False)
    return 0


# -- atheris engine ---------------------------------------------------------------

def atheris_child() -> None:
    """Runs inside the child process libFuzzer owns (see run_atheris)."""
    import atheris

    with atheris.instrument_imports(include=["healthlint"]):
        import healthlint.document  # noqa: F401  (instrumented for coverage)
        import healthlint.engine  # noqa: F401
        import healthlint.runner  # noqa: F401
    from properties.support import default_plan

    default_plan()  # compile the packs before the clock matters
    syntaxes = list(EXTENSIONS)

    def one_input(data: bytes) -> None:
        if not data:
            return
        syntax = syntaxes[data[0] % 3]
        if data[0] & 4:
            check_bytes(data[1:], syntax)
        else:
            fdp = atheris.FuzzedDataProvider(data[1:])
            check_text(fdp.ConsumeUnicodeNoSurrogates(len(data)), syntax)

    atheris.Setup(sys.argv[:1] + [a for a in sys.argv[1:] if a.startswith("-") and a != "--atheris-child"]
                  + [a for a in sys.argv[1:] if not a.startswith("-")], one_input)
    atheris.Fuzz()


def _seed_corpus(folder: Path) -> None:
    """Start from the team's corpus and the examples (first byte: utf-8 text, each syntax)."""
    sources = sorted((ROOT / "tests" / "corpus" / "docs").glob("*")) + sorted((ROOT / "examples").glob("*"))
    for path in sources:
        if path.is_file():
            syntax = {".md": 0, ".html": 1, ".htm": 1}.get(path.suffix, 2)
            (folder / path.name).write_bytes(bytes([syntax | 4]) + path.read_bytes()[:20000])


def run_atheris(seconds: float, seed: int | None, corpus: str | None) -> int:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="healthlint-fuzz-") as tmp:
        folder = Path(corpus) if corpus else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            _seed_corpus(folder)
        args = [sys.executable, __file__, "--atheris-child", f"-max_total_time={int(seconds)}",
                f"-timeout={int(SLOW_SECONDS)}", f"-artifact_prefix={ARTIFACTS}/", "-print_final_stats=1",
                "-rss_limit_mb=4096", str(folder)]
        if seed is not None:
            args.append(f"-seed={seed}")
        start = time.monotonic()
        proc = subprocess.run(args, stderr=subprocess.PIPE, text=True, errors="replace")
        elapsed = time.monotonic() - start
    sys.stderr.write(_tail(proc.stderr, proc.returncode))
    m = re.search(r"Done (\d+) runs in", proc.stderr) or re.search(r"stat::number_of_executed_units:\s*(\d+)",
                                                                    proc.stderr)
    _summary(int(m.group(1)) if m else 0, elapsed, "atheris", None, failed=proc.returncode != 0)
    return 0 if proc.returncode == 0 else 1


def _tail(stderr: str, code: int) -> str:
    """libFuzzer's progress lines are noise on success; a failure shows all."""
    if code != 0:
        return stderr
    return "".join(line + "\n" for line in stderr.splitlines() if line.startswith(("Done", "stat::", "INFO: Seed")))


# -- entry point ---------------------------------------------------------------------

def _summary(inputs: int, seconds: float, engine: str, slowest: float | None, failed: bool) -> None:
    rate = inputs / seconds if seconds > 0 else 0.0
    slow = f", slowest input {slowest:.2f} s" if slowest is not None else ""
    verdict = "FAILED" if failed else "no failures"
    print(f"fuzz_documents: {inputs} inputs tried in {seconds:.1f} s ({rate:.0f}/s, {engine}{slow}); {verdict}")


def replay(path: str) -> int:
    data = Path(path).read_bytes()
    syntax = {".md": "markdown", ".html": "html"}.get(Path(path).suffix, "text")
    check_bytes(data, syntax)
    print(f"fuzz_documents: {path} passes")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to fuzz (default 60)")
    parser.add_argument("--engine", choices=("auto", "hypothesis", "atheris"), default="auto",
                        help="auto: atheris when it is installed, else hypothesis")
    parser.add_argument("--seed", type=int, help="make a hypothesis run repeatable")
    parser.add_argument("--corpus", help="atheris: keep the corpus in this folder between runs")
    parser.add_argument("--replay", metavar="FILE", help="check one saved input and exit")
    args = parser.parse_args(argv)
    if args.replay:
        return replay(args.replay)
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
        except ImportError:
            engine = "hypothesis"
        else:
            engine = "atheris"
    if engine == "atheris":
        return run_atheris(args.seconds, args.seed, args.corpus)
    return run_hypothesis(args.seconds, args.seed)


if __name__ == "__main__":
    if "--atheris-child" in sys.argv:
        atheris_child()
    else:
        os.environ.setdefault("PYTHONHASHSEED", "0")
        sys.exit(main())
