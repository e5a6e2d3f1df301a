"""``feedlint server`` through the real protocol: how long an edit takes to show, and
what the server holds with a large workspace open; side by side with linting each
edit by starting ``feedlint check`` (what an editor's generic "run a linter"
plugin does without a server).

    pip install '.[test]'
    python benchmarks/lsp_bench.py                  # 10,000 articles, 200 edits
    python benchmarks/lsp_bench.py --write-docs     # also put the table in docs/editors.md

The server is started as an editor starts it (``python -m feedlint server``, LSP over
its stdin and stdout) by pytest-lsp's client, on a workspace of ``--files``
articles from the benchmarks' deterministic corpus (``benchmarks/corpus.py``). It
reads the workspace's articles in the background (for the duplicate check across
files), once with an empty result cache and once with it warm; the time it takes
is what the server logs, and its memory is read from ``/proc/PID/status`` once
the workspace is read (VmRSS) and at the end (VmHWM, the peak); a workspace of
the edited article alone gives the server's own memory.

Then one typical article of the corpus is opened and edited ``--edits`` times, each
edit a new value typed into a field (the article turns invalid and valid again).
Each is timed from sending ``textDocument/didChange`` to receiving the
``textDocument/publishDiagnostics`` of that version: the server's debounce (50 ms)
is included, as an editor sees it. The lint alone is what the server logs for
each. The peer: ``feedlint check - --stdin-filename PATH`` run for the same edits
(``--peer-edits`` of them), a process started per edit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

import corpus  # noqa: E402
from lint_bench import environment, load, machine  # noqa: E402
from lsprotocol import types  # noqa: E402

from tests.lsp_client import log_line, open_file, replace_all, started  # noqa: E402

DOCS = ROOT / "docs" / "editors.md"
DOCS_START = "<!-- lsp-bench:start -->"
DOCS_END = "<!-- lsp-bench:end -->"


def memory(pid: int) -> tuple[float, float]:
    """The process's resident and peak resident memory, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def edits(text: str, count: int) -> list[str]:
    """``count`` versions of ``text``, each a new value typed into a field: the
    quality score (valid, then out of range) and the excerpt."""
    versions = []
    for number in range(count):
        quality = 150 + number if number % 2 else number % 100
        changed = re.sub(r"(?m)^quality: .*$", f"quality: {quality}", text, count=1)
        if changed == text:
            changed = text.replace("\n---\n", f"\nquality: {quality}\n---\n", 1)
        versions.append(changed.replace("excerpt: ", f"excerpt: {'x' * (number % 7)}", 1))
    return versions


async def server_run(workspace: Path, article: Path, count: int) -> dict[str, float]:
    """One server on ``workspace``: the workspace read, then ``count`` edits of
    ``article``."""
    figures: dict[str, float] = {}
    async with started(workspace) as client:
        pid = client._server.pid  # type: ignore[attr-defined]
        line = await log_line(client, "read ", timeout=3600)
        match = re.search(r"read (\d+) articles .* in ([0-9.]+) s", line)
        assert match is not None, line
        figures["articles"] = float(match[1])
        figures["read"] = float(match[2])
        figures["rss_read"], _ = memory(pid)

        text = article.read_text("utf-8")
        address = open_file(client, article, text)
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        latencies = []
        for version, changed in enumerate(edits(text, count), start=2):
            started_at = time.perf_counter()
            replace_all(client, address, changed, version)
            while True:  # the notification of this version (the loop reads nothing before)
                params = await asyncio.wait_for(client.wait_for_notification(
                    types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 10)
                if params.uri == address and params.version == version:
                    break
            latencies.append(time.perf_counter() - started_at)
        lints = [float(m) for m in re.findall(
            r"linted .* in ([0-9.]+) ms",
            "\n".join(message.message for message in client.log_messages))][1:]
        figures["latency_median"] = statistics.median(latencies) * 1000
        figures["latency_p95"] = percentile(latencies, 0.95) * 1000
        figures["lint_median"] = statistics.median(lints)
        figures["lint_p95"] = percentile(lints, 0.95)
        figures["rss_end"], figures["hwm"] = memory(pid)
    return figures


def peer_run(workspace: Path, article: Path, count: int) -> dict[str, float]:
    """``count`` edits, each linted by a ``feedlint check`` process of its own."""
    env = environment()
    times = []
    for changed in edits(article.read_text("utf-8"), count):
        started_at = time.perf_counter()
        subprocess.run([sys.executable, "-m", "feedlint", "check", "-q", "--format", "json",
                        "--stdin-filename", str(article), "-"], input=changed.encode(),
                       cwd=workspace, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - started_at)
    return {"latency_median": statistics.median(times) * 1000,
            "latency_p95": percentile(times, 0.95) * 1000}


def table(files: int, cold: dict[str, float], warm: dict[str, float],
          single: dict[str, float], peer: dict[str, float], edits_count: int,
          peer_count: int) -> str:
    lines = [
        f"Measured on {machine()}; load average before: {LOAD_BEFORE}, after: {load()}.",
        "",
        "| | median | p95 |",
        "|---|---|---|",
        f"| `feedlint server`: didChange to publishDiagnostics ({edits_count} edits, "
        f"50 ms debounce included) | {warm['latency_median']:.1f} ms | "
        f"{warm['latency_p95']:.1f} ms |",
        f"| `feedlint server`: the lint alone | {warm['lint_median']:.2f} ms | "
        f"{warm['lint_p95']:.2f} ms |",
        f"| `feedlint check -` per edit, a process each ({peer_count} edits) | "
        f"{peer['latency_median']:.1f} ms | {peer['latency_p95']:.1f} ms |",
        "",
        "| workspace | read in the background | server memory once read (RSS) | "
        "peak (VmHWM) |",
        "|---|---|---|---|",
        f"| the edited article alone | {single['read']:.2f} s | {single['rss_read']:.0f} MiB | "
        f"{single['hwm']:.0f} MiB |",
        f"| {files:,} articles, result cache empty | {cold['read']:.2f} s | "
        f"{cold['rss_read']:.0f} MiB | {cold['hwm']:.0f} MiB |",
        f"| {files:,} articles, result cache warm | {warm['read']:.2f} s | "
        f"{warm['rss_read']:.0f} MiB | {warm['hwm']:.0f} MiB |",
    ]
    return "\n".join(lines)


LOAD_BEFORE = load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000, help="workspace size (10,000)")
    parser.add_argument("--edits", type=int, default=200, help="edits timed (200)")
    parser.add_argument("--peer-edits", type=int, default=30,
                        help="edits linted by a process each (30)")
    parser.add_argument("--write-docs", action="store_true",
                        help="put the table into docs/editors.md")
    parser.add_argument("--workdir", help="keep the corpus here (default: a temporary folder)")
    args = parser.parse_args()
    env = environment()
    os.environ.clear()
    os.environ.update(env)
    with tempfile.TemporaryDirectory(prefix="feedlint-lsp-bench-") as scratch:
        work = Path(args.workdir or scratch)
        workspace = work / "workspace"
        paths = corpus.generate(str(workspace), args.files)
        # Each run's result cache and user key in the scratch folder, not the home.
        os.environ["XDG_CACHE_HOME"] = str(work / "user-cache")
        os.environ["FEEDLINT_CACHE_DIR"] = str(work / "result-cache")
        article = Path(paths[len(paths) // 2])
        print(f"{args.files:,} articles in {workspace}; editing {article.name}", flush=True)
        cold = asyncio.run(server_run(workspace, article, args.edits))
        print(f"cold: {cold}", flush=True)
        warm = asyncio.run(server_run(workspace, article, args.edits))
        print(f"warm: {warm}", flush=True)
        # The server's own memory: a workspace of that one article.
        alone = work / "alone"
        alone.mkdir()
        (alone / article.name).write_bytes(article.read_bytes())
        single = asyncio.run(server_run(alone, alone / article.name, 10))
        print(f"one article: {single}", flush=True)
        peer = peer_run(workspace, article, args.peer_edits)
        print(f"peer: {peer}", flush=True)
    text = table(args.files, cold, warm, single, peer, args.edits, args.peer_edits)
    print()
    print(text)
    if args.write_docs:
        page = DOCS.read_text("utf-8")
        pattern = re.compile(re.escape(DOCS_START) + ".*?" + re.escape(DOCS_END), re.S)
        if not pattern.search(page):
            raise SystemExit(f"{DOCS} has no {DOCS_START} ... {DOCS_END} section")
        block = f"{DOCS_START}\n{text}\n{DOCS_END}"
        DOCS.write_text(pattern.sub(lambda _: block, page), "utf-8")
        print(f"\nwritten to {DOCS}")


if __name__ == "__main__":
    main()
