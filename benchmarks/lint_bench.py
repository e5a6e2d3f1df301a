"""feedlint against check-jsonschema, side by side in one run.

    pip install '.[test]' -r benchmarks/requirements.txt
    python benchmarks/lint_bench.py                 # cold, warm and one file: 2,000 articles
    python benchmarks/lint_bench.py --scaling       # also 1k, 10k, 100k articles, with peak RSS
    python benchmarks/lint_bench.py --threshold     # where several processes start to pay
    python benchmarks/lint_bench.py --against REV   # this tree against an earlier commit

Both tools run as ``python -m <tool>`` with this interpreter (no shell wrapper in
front of either), on the same deterministic corpus (``benchmarks/corpus.py``):
feedlint lints the article files with every rule on; check-jsonschema validates
the same front matter, written as bare YAML files, against feedlint's own
``schemas/article.schema.json``. Each case is timed several times and the median
is reported (wall-clock time of the whole command, start-up included).

- cold: ``feedlint check --no-cache -q CORPUS``;
- warm: ``feedlint check -q --cache-dir DIR CORPUS`` after one run that filled DIR;
- one file: ``feedlint check --cache-dir DIR one.md`` where DIR is kept from an
  earlier run but holds no result for the file (the pre-commit case: a file
  that just changed, linted and stored);
- scaling: ``feedlint check --no-cache -q CORPUS`` at each size, with the peak RSS
  of the largest process, and the peaks of the RSS and of the PSS summed over
  all of feedlint's processes (the RSS sum counts each page the forked workers
  share with the main process once per process; PSS counts it once in all).

- against: the cold, warm and one-file cases again, for this tree and for the
  feedlint of commit REV (its sources exported from git into the work folder),
  the two timed in turn, run after run, so that both see the same machine.

Other work on the machine skews every figure: the load average is printed
before and after; run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCHEMA = ROOT / "schemas" / "article.schema.json"
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402 - benchmarks/ is not a package


def environment(root: Path = ROOT) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FEEDLINT_")}
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NO_COLOR", None)
    # Both tools run with their bytecode cached, as an installed package has it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def feedlint(*args: str) -> list[str]:
    return [sys.executable, "-m", "feedlint", *args]


def peer(files: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA), *files]


def timed(command: list[str], cwd: Path, expect: int = 0, root: Path = ROOT) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, env=environment(root), capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != expect:
        sys.exit(f"{' '.join(command[:6])} ... exited {proc.returncode}, expected {expect}:\n"
                 f"{proc.stdout.decode()[-2000:]}{proc.stderr.decode()[-2000:]}")
    return elapsed


def median_of(runs: int, command: list[str], cwd: Path, before: object = None) -> float:
    times = []
    for _ in range(runs):
        if callable(before):
            before()
        times.append(timed(command, cwd))
    return statistics.median(times)


def peak_memory(command: list[str], cwd: Path) -> tuple[float, int, int, int]:
    """Wall time, the peak RSS of the largest process (getrusage of the children),
    and the peaks of the sums over the process tree (sampled from /proc) of RSS
    and of PSS, in KiB.

    Forked workers share the pages they inherit, which the RSS of each counts in
    full: the RSS sum counts a shared page once per process. PSS divides each
    shared page among the processes sharing it, so its sum is the memory the run
    takes from the machine.
    """
    sampler = (
        "import os, resource, subprocess, sys, time, json\n"
        "def field(path, name):\n"
        "    for line in open(path):\n"
        "        if line.startswith(name):\n"
        "            return int(line.split()[1])\n"
        "    return 0\n"
        "def tree(pid):\n"
        "    rss = pss = 0\n"
        "    stack = [pid]\n"
        "    while stack:\n"
        "        p = stack.pop()\n"
        "        try:\n"
        "            rss += field(f'/proc/{p}/status', 'VmRSS:')\n"
        "            pss += field(f'/proc/{p}/smaps_rollup', 'Pss:')\n"
        "            for task in os.listdir(f'/proc/{p}/task'):\n"
        "                stack += [int(c) for c in open(f'/proc/{p}/task/{task}/children')"
        ".read().split()]\n"
        "        except OSError:\n"
        "            pass\n"
        "    return rss, pss\n"
        "start = time.perf_counter()\n"
        "proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "peak_rss = peak_pss = 0\n"
        "while proc.poll() is None:\n"
        "    rss, pss = tree(proc.pid)\n"
        "    peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)\n"
        "    time.sleep(0.02)\n"
        "wall = time.perf_counter() - start\n"
        "largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([wall, largest, peak_rss, peak_pss, proc.returncode]))\n"
    )
    import json

    out = subprocess.run([sys.executable, "-c", sampler, *command], cwd=cwd, env=environment(),
                         capture_output=True, text=True, check=True)
    wall, largest, total_rss, total_pss, code = json.loads(out.stdout)
    if code != 0:
        sys.exit(f"{' '.join(command)} exited {code}")
    return wall, largest, max(total_rss, largest), total_pss


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{model}, {os.cpu_count()} CPUs{memory}; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}")


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def row(tool: str, case: str, files: int, wall: float, ratio: str) -> str:
    return f"| {tool} | {case} | {files:,} | {wall:.3f} | {files / wall:,.0f} | {ratio} |"


def compare(args: argparse.Namespace, work: Path) -> list[str]:
    paths = corpus.generate(str(work / "corpus"), args.files)
    bare = corpus.write_bare_yaml(paths, str(work / "bare"))
    one_md, one_yaml = Path(paths[0]), Path(bare[0])
    rel = [os.path.relpath(p, work) for p in bare]
    cache = work / "cache"

    # The corpus must lint clean: a benchmark of linting, not of reporting. These
    # first runs also leave both tools' bytecode compiled.
    timed(feedlint("check", "--no-cache", "-q", "corpus"), work)
    if not args.skip_peer:
        timed(peer([str(one_yaml)]), work)

    lines = [
        "| tool | case | files | wall (s, median) | files/s | check-jsonschema / feedlint |",
        "|---|---|---:|---:|---:|---:|",
    ]
    cold = median_of(args.runs, feedlint("check", "--no-cache", "-q", "corpus"), work)
    timed(feedlint("check", "-q", "--cache-dir", str(cache), "corpus"), work)
    warm = median_of(args.runs, feedlint("check", "-q", "--cache-dir", str(cache), "corpus"),
                     work)
    # The pre-commit case: the cache folder is there from earlier commits (with the
    # data derived once, such as the parsed Public Suffix List), but the file has
    # just changed, so its result is not: it is linted and stored.
    hook_cache = work / "hook-cache"
    timed(feedlint("check", "--cache-dir", str(hook_cache), str(one_md)), work)

    def forget_results() -> None:
        shutil.rmtree(hook_cache / "lint", ignore_errors=True)

    single = median_of(args.runs * 2, feedlint("check", "--cache-dir", str(hook_cache),
                                               str(one_md)), work, before=forget_results)
    if args.skip_peer:
        lines.append(row("feedlint", "cold, every rule, --no-cache", args.files, cold, "-"))
        lines.append(row("feedlint", "warm (cache, unchanged files)", args.files, warm, "-"))
        lines.append(row("feedlint", "one file (pre-commit)", 1, single, "-"))
        return lines
    peer_many = median_of(args.peer_runs, peer(rel), work)
    peer_one = median_of(args.runs * 2, peer([str(one_yaml)]), work)
    lines.append(row("check-jsonschema", "schema only", args.files, peer_many, "1"))
    lines.append(row("feedlint", "cold, every rule, --no-cache", args.files, cold,
                     f"**{peer_many / cold:.1f}x**"))
    lines.append(row("feedlint", "warm (cache, unchanged files)", args.files, warm,
                     f"**{peer_many / warm:.1f}x**"))
    lines.append(row("check-jsonschema", "one file", 1, peer_one, "1"))
    lines.append(row("feedlint", "one file (pre-commit)", 1, single,
                     f"**{peer_one / single:.1f}x**"))
    return lines


def against(args: argparse.Namespace, work: Path) -> list[str]:
    """Cold, warm and one file: this tree and commit ``args.against``, in turn."""
    old_root = work / "against"
    old_root.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against, "feedlint"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(old_root)], input=archive, check=True)
    paths = corpus.generate(str(work / "corpus"), args.files)
    one_md = paths[0]
    roots = {"this tree": ROOT, args.against: old_root}
    for root in roots.values():  # compiled bytecode, and the outputs agree
        timed(feedlint("check", "--no-cache", "-q", "corpus"), work, root=root)

    def cases(name: str, root: Path) -> dict[str, tuple[list[str], object]]:
        cache = work / f"cache-{abs(hash(name))}"
        hook = work / f"hook-{abs(hash(name))}"
        timed(feedlint("check", "-q", "--cache-dir", str(cache), "corpus"), work, root=root)
        timed(feedlint("check", "--cache-dir", str(hook), one_md), work, root=root)
        return {
            "cold": (feedlint("check", "--no-cache", "-q", "corpus"), None),
            "warm": (feedlint("check", "-q", "--cache-dir", str(cache), "corpus"), None),
            "one file": (feedlint("check", "--cache-dir", str(hook), one_md),
                         lambda: shutil.rmtree(hook / "lint", ignore_errors=True)),
        }

    plans = {name: cases(name, root) for name, root in roots.items()}
    lines = [f"| case | this tree (s, median) | {args.against} (s, median) | change |",
             "|---|---:|---:|---:|"]
    for case in ("cold", "warm", "one file"):
        times: dict[str, list[float]] = {name: [] for name in roots}
        runs = args.runs * (2 if case == "one file" else 1)
        for _ in range(runs):
            for name, root in roots.items():
                command, before = plans[name][case]
                if callable(before):
                    before()
                times[name].append(timed(command, work, root=root))
        new, old = (statistics.median(times[name]) for name in roots)
        lines.append(f"| {case} | {new:.3f} | {old:.3f} | {(new / old - 1) * 100:+.1f}% |")
    return lines


def scaling(args: argparse.Namespace, work: Path) -> list[str]:
    lines = [
        "| files | wall (s) | files/s | s per 1k files | peak RSS, largest process | "
        "peak RSS summed over processes | peak PSS summed over processes |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in args.sizes:
        folder = work / f"scale-{size}"
        corpus.generate(str(folder), size)
        wall, largest, rss, pss = peak_memory(
            feedlint("check", "--no-cache", "-q", folder.name), work
        )
        lines.append(f"| {size:,} | {wall:.2f} | {size / wall:,.0f} | {wall / size * 1000:.3f} "
                     f"| {largest / 1024:.0f} MiB | {rss / 1024:.0f} MiB "
                     f"| {pss / 1024:.0f} MiB |")
        shutil.rmtree(folder, ignore_errors=True)
    return lines


def threshold(args: argparse.Namespace, work: Path) -> list[str]:
    """One process against two, in-process (start-up is the same for both), by size."""
    sys.path.insert(0, str(ROOT))
    from feedlint import parallel
    from feedlint.discovery import discover
    from feedlint.engine import Linter
    from feedlint.settings import Settings

    paths = corpus.generate(str(work / "threshold"), max(args.threshold_sizes))
    linter = Linter(Settings())
    saved = parallel.PARALLEL_THRESHOLD
    parallel.PARALLEL_THRESHOLD = 0
    lines = ["| files | one process (ms) | two processes (ms) |", "|---:|---:|---:|"]
    try:
        for size in args.threshold_sizes:
            candidates = discover(paths[:size])
            cells = []
            for jobs in (1, 2):
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    list(parallel.lint_many(linter, candidates, jobs=jobs))
                    times.append(time.perf_counter() - start)
                cells.append(f"{statistics.median(times) * 1000:.0f}")
            lines.append(f"| {size} | {cells[0]} | {cells[1]} |")
    finally:
        parallel.PARALLEL_THRESHOLD = saved
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of feedlint per case")
    parser.add_argument("--peer-runs", type=int, default=3,
                        help="timed runs of check-jsonschema on the whole corpus")
    parser.add_argument("--skip-peer", action="store_true", help="feedlint alone")
    parser.add_argument("--scaling", action="store_true", help="also 1k, 10k and 100k files")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                        default=[1000, 10000, 100000], help="sizes for --scaling")
    parser.add_argument("--threshold", action="store_true",
                        help="one process against two, by number of files")
    parser.add_argument("--threshold-sizes", type=lambda s: [int(x) for x in s.split(",")],
                        default=[25, 50, 100, 150, 200, 300, 500])
    parser.add_argument("--against", metavar="REV",
                        help="time this tree against the feedlint of git commit REV only")
    parser.add_argument("--workdir", help="keep the corpus here (default: a temporary folder)")
    args = parser.parse_args()

    if not args.skip_peer and not args.against and shutil.which("check-jsonschema") is None:
        try:
            import check_jsonschema  # noqa: F401
        except ImportError:
            sys.exit("check-jsonschema is not installed: pip install -r "
                     "benchmarks/requirements.txt (or pass --skip-peer)")
    work = Path(args.workdir or tempfile.mkdtemp(prefix="feedlint-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    print(f"load average before: {load()}")
    print(f"command: python benchmarks/lint_bench.py {' '.join(sys.argv[1:])}".rstrip())
    print()
    try:
        if args.against:
            print("\n".join(against(args, work)))
            return
        print("\n".join(compare(args, work)))
        if args.threshold:
            print()
            print("\n".join(threshold(args, work)))
        if args.scaling:
            print()
            print("\n".join(scaling(args, work)))
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
