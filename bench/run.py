"""healthlint's benchmark: throughput, start-up, cache, workers, memory,
side by side with proselint and ripgrep (issue 6).

    python bench/run.py [--work DIR] [--runs 3] [--external-runs 1]
                        [--corpora a,b,c] [--folder DIR]... [--scaling] [--json FILE]

Generates the corpora (bench/corpus.py, fixed seed) under --work if they
are not there, then for each corpus, and each --folder of your own
articles, times, as separate processes:

  healthlint first run  `healthlint check DIR` with an empty cache folder,
                        as on a new machine or a CI runner without a cache
  healthlint cold       `healthlint check DIR` with an empty results cache
                        (compiled packs cached, as after the first run ever)
  healthlint -j 1       the same on one process
  healthlint cached     the same again, nothing changed (the results cache)
  healthlint no cache   `--no-cache`: no results read or kept (compiled packs
                        are, as after the first run ever)
  proselint             `proselint check DIR`, if it is installed
  ripgrep               `rg -i -F -f triggers.txt DIR`, the packs' literals

and the start-up of `healthlint check one.md` (a ~1 KB file changed before
each run, so the results cache misses as in an editor). Times are the
median wall time of --runs runs (--external-runs for proselint, which is
slow); memory is the peak resident set of the process and its workers.
Output goes to /dev/null; each tool prints its default format. The caches
live in --work, never in the user's cache folder. Benchmarks measure:
nothing here runs in the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable


def _tool(env_name: str, *candidates: str) -> str | None:
    found = os.environ.get(env_name)
    if found:
        return found
    for c in candidates:
        path = shutil.which(c) if os.sep not in c else (c if os.path.exists(c) else None)
        if path:
            return path
    return None


def measure(cmd: list[str], env: dict[str, str], cwd: str | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in MB of the process tree)."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(cmd, stdout=devnull, stderr=devnull, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def median_of(runs: int, cmd: list[str], env: dict[str, str], before=None) -> dict[str, float]:
    walls, cpus, rss = [], [], 0
    for _ in range(runs):
        if before is not None:
            before()
        wall, cpu, peak = measure(cmd, env)
        walls.append(wall)
        cpus.append(cpu)
        rss = max(rss, peak)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "rss": rss,
            "runs": runs, "walls": walls}


def corpus_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def ensure_corpora(work: Path, names: list[str], scale: float = 1.0) -> None:
    missing = [n for n in names if not (work / n).exists()]
    if missing:
        subprocess.run([PYTHON, str(HERE / "corpus.py"), str(work), "--only", ",".join(missing),
                        "--scale", str(scale)], check=True)


def healthlint_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["HEALTHLINT_CACHE_DIR"] = str(cache)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # installed packages have their bytecode
    env.setdefault("NO_COLOR", "1")
    return env


def bench_corpus(name: str, folder: Path, args: argparse.Namespace, work: Path,
                 tools: dict[str, str | None]) -> dict[str, object]:
    files, size = corpus_size(folder)
    mb = size / 1e6
    cache = work / "cache"
    env = healthlint_env(cache)
    hl = [PYTHON, "-m", "healthlint", "check"]

    def clear() -> None:
        _clear_results(cache)

    out: dict[str, object] = {"files": files, "mb": mb}
    print(f"[{name}] {files} files, {mb:.1f} MB", flush=True)
    fresh = work / f"cache-first-{name}"
    shutil.rmtree(fresh, ignore_errors=True)
    out["first"] = median_of(1, hl + [str(folder)], healthlint_env(fresh))
    shutil.rmtree(fresh, ignore_errors=True)
    # Built-in patterns are compiled as texts first need them: one run over
    # the corpus leaves every pattern it uses compiled in the cache.
    clear()
    measure(hl + [str(folder)], env)
    out["cold"] = median_of(args.runs, hl + [str(folder)], env, before=clear)
    out["cold-j1"] = median_of(args.runs, hl + ["-j", "1", str(folder)], env, before=clear)
    clear()
    measure(hl + [str(folder)], env)  # fill the results cache
    out["cached"] = median_of(args.runs, hl + [str(folder)], env)
    out["no-cache"] = median_of(1, hl + ["--no-cache", str(folder)], env)
    if args.without_re2:
        # What a plain `pip install .` gets where google-re2 has no wheel.
        plain = [PYTHON, str(HERE / "without.py"), "re2", "check"]
        out["cold-no-re2"] = median_of(args.runs, plain + [str(folder)], env, before=clear)
        out["cold-j1-no-re2"] = median_of(args.runs, plain + ["-j", "1", str(folder)], env, before=clear)
    if tools.get("proselint") and args.external_runs > 0:
        out["proselint"] = median_of(args.external_runs, [tools["proselint"], "check", str(folder)], dict(os.environ))
    if tools.get("rg"):
        out["ripgrep"] = median_of(args.runs, [tools["rg"], "-i", "-F", "-f", str(work / "triggers.txt"),
                                               str(folder)], dict(os.environ))
    for key, value in out.items():
        if isinstance(value, dict):
            print(f"  {key:10} {value['wall']:8.2f} s  {mb / value['wall']:7.2f} MB/s  "
                  f"{value['rss']:5d} MB", flush=True)
    return out


def _clear_results(cache: Path) -> None:
    for code in cache.glob("*/results"):
        shutil.rmtree(code, ignore_errors=True)


def startup(work: Path, args: argparse.Namespace) -> dict[str, float]:
    """`healthlint check one.md`, the file edited before each run."""
    one = work / "one.md"
    sample = sorted((work / "c").rglob("*.md"))[0].read_text(encoding="utf-8")
    env = healthlint_env(work / "cache")
    cmd = [PYTHON, "-m", "healthlint", "check", str(one)]
    counter = iter(range(10**6))

    def edit() -> None:
        one.write_text(sample + f"\n<!-- edit {next(counter)} -->\n", encoding="utf-8")

    edit()
    measure(cmd, env)  # compile the packs once
    return median_of(max(args.runs, 10), cmd, env, before=edit)


def table(results: dict[str, dict[str, object]], start: dict[str, float], tools: dict[str, str | None]) -> str:
    lines = ["| corpus | files | MB | first run (empty cache) | healthlint cold (default jobs) | healthlint -j 1 "
             "| parallel speed-up "
             "| cached re-run (% of cold) | --no-cache | proselint | ripgrep | vs proselint (default / -j 1) "
             "| vs ripgrep | peak RSS MB (healthlint / proselint) |",
             "| --- | ---: | ---: | --- | --- | --- | ---: | --- | --- | --- | --- | --- | ---: | --- |"]

    def cell(r: dict[str, float] | None, mb: float) -> str:
        return "—" if r is None else f"{r['wall']:.2f} s ({mb / r['wall']:.2f} MB/s)"

    for name, r in results.items():
        mb = r["mb"]
        cold, j1, cached = r["cold"], r["cold-j1"], r["cached"]
        pl, rg = r.get("proselint"), r.get("ripgrep")
        ratio_pl = f"{pl['wall'] / cold['wall']:.1f}× / {pl['wall'] / j1['wall']:.1f}×" if pl else "—"
        ratio_rg = f"{cold['wall'] / rg['wall']:.1f}× slower" if rg else "—"
        lines.append(
            f"| {name} | {r['files']} | {mb:.1f} | {cell(r.get('first'), mb)} | {cell(cold, mb)} | {cell(j1, mb)} | "
            f"{j1['wall'] / cold['wall']:.2f}× | {cached['wall']:.2f} s ({100 * cached['wall'] / cold['wall']:.0f} %) | "
            f"{cell(r['no-cache'], mb)} | {cell(pl, mb)} | {cell(rg, mb)} | {ratio_pl} | {ratio_rg} | "
            f"{max(cold['rss'], j1['rss'])} / {pl['rss'] if pl else '—'} |")
    plain = {name: r for name, r in results.items() if "cold-no-re2" in r}
    if plain:
        lines += ["", "Without google-re2 (a plain `pip install .` where it has no wheel; bench/without.py):", "",
                  "| corpus | cold (default jobs) | -j 1 | vs with it (default / -j 1) | vs proselint (default / -j 1) |",
                  "| --- | --- | --- | --- | --- |"]
        for name, r in plain.items():
            mb, pl = r["mb"], r.get("proselint")
            cold, j1 = r["cold-no-re2"], r["cold-j1-no-re2"]
            ratio_pl = f"{pl['wall'] / cold['wall']:.1f}× / {pl['wall'] / j1['wall']:.1f}×" if pl else "—"
            lines.append(f"| {name} | {cell(cold, mb)} | {cell(j1, mb)} | "
                         f"{cold['wall'] / r['cold']['wall']:.2f}× / {j1['wall'] / r['cold-j1']['wall']:.2f}× slower | "
                         f"{ratio_pl} |")
    lines.append("")
    lines.append(f"Start-up, `healthlint check one.md` (1 KB, edited before each run): median "
                 f"{1000 * start['wall']:.0f} ms wall, {1000 * start['cpu']:.0f} ms CPU, {start['rss']} MB "
                 f"({start['runs']} runs).")
    lines.append(f"Machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; "
                 f"proselint {'yes' if tools.get('proselint') else 'not installed'}, "
                 f"ripgrep {'yes' if tools.get('rg') else 'not installed'}; "
                 f"accelerators: {accelerators()}.")
    return "\n".join(lines)


def accelerators() -> str:
    """Which optional matchers healthlint's interpreter can import: a run
    without them gives the same findings, slower, so a table must say."""
    import importlib.util

    have = [name for name, module in (("pyahocorasick", "ahocorasick"), ("google-re2", "re2"))
            if importlib.util.find_spec(module) is not None]
    return ", ".join(have) or "none"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "healthlint-bench")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--external-runs", type=int, default=1, help="runs of proselint (slow; 0 skips it)")
    ap.add_argument("--corpora", default="a,b,c")
    ap.add_argument("--folder", type=Path, action="append", default=[],
                    help="also time this folder of your own articles (repeatable), "
                         "e.g. tests/corpus/docs, the team's labelled articles")
    ap.add_argument("--scaling", action="store_true", help="also time 1x, 2x and 4x corpus (a)")
    ap.add_argument("--json", type=Path, help="write the raw numbers here")
    ap.add_argument("--without-re2", action="store_true",
                    help="also time cold runs with google-re2 blocked (bench/without.py)")
    args = ap.parse_args(argv)
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    names = [n.strip() for n in args.corpora.split(",") if n.strip()]
    ensure_corpora(work, names + (["c"] if "c" not in names else []))
    tools = {"proselint": _tool("PROSELINT", "proselint", "/tmp/proselint-venv/bin/proselint"),
             "rg": _tool("RG", "rg")}
    (work / "triggers.txt").write_text(
        subprocess.run([PYTHON, str(HERE / "triggers.py")], check=True, capture_output=True, text=True).stdout,
        encoding="utf-8")
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(__import__("healthlint").__file__).parent)],
                   check=False, capture_output=True)
    start = startup(work, args)
    results = {name: bench_corpus(name, work / name, args, work, tools) for name in names}
    for folder in args.folder:
        if not folder.is_dir():
            ap.error(f"--folder {folder}: not a folder")
        name = folder.name if folder.name not in results else str(folder)  # two folders named alike
        results[name] = bench_corpus(name, folder.resolve(), args, work, tools)
    if args.scaling:
        results.update(scaling(work, args, tools))
    text = table(results, start, tools)
    print()
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"results": results, "startup": start, "accelerators": accelerators()}, indent=2), encoding="utf-8")
    return 0


def scaling(work: Path, args: argparse.Namespace, tools: dict[str, str | None]) -> dict[str, dict[str, object]]:
    """Corpus (a) at 2x and 4x: time should grow linearly, memory stay flat."""
    out = {}
    for scale in (2, 4):
        folder = work / f"a{scale}x"
        if not folder.exists():
            tmp = work / f".gen{scale}"
            subprocess.run([PYTHON, str(HERE / "corpus.py"), str(tmp), "--only", "a", "--scale", str(scale)],
                           check=True)
            (tmp / "a").rename(folder)
            shutil.rmtree(tmp, ignore_errors=True)
        quick = argparse.Namespace(**{**vars(args), "runs": 1, "external_runs": 0})
        out[f"a×{scale}"] = bench_corpus(f"a×{scale}", folder, quick, work, {"rg": tools.get("rg")})
    return out


if __name__ == "__main__":
    raise SystemExit(main())
