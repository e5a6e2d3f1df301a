"""Benchmark ``feedlint check --probe`` against markdown-link-check and linkchecker.

400 unique URLs spread over 4 loopback hosts (127.0.0.1 to 127.0.0.4), each host
answering every request after 100 ms. At feedlint's default of 8 requests per host
the floor is 400 x 0.1 s / (4 x 8) = 1.25 s; feedlint must finish within 1.5x of
it, whole command included (start-up, linting the 100 articles, probing).

    python benchmarks/probe_bench.py                  # print the table
    python benchmarks/probe_bench.py --install-peers  # first install the peers into
                                                      # benchmarks/.peers/ (git-ignored)
    python benchmarks/probe_bench.py --write-docs     # also put the table in
                                                      # docs/performance.md

feedlint is timed as its users run it: this checkout installed with pip into its
own virtual environment (benchmarks/.peers/feedlint, refreshed at every run), so
that only its declared dependencies are imported; ``--dev`` times the checkout in
the current environment instead.

Only loopback addresses are used; the server stops with the script, every tool
run has a time limit, and the request counts are reported (and bounded).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = Path(__file__).resolve().parent / ".peers"
MLC = PEERS / "node" / "node_modules" / ".bin" / "markdown-link-check"
LINKCHECKER = PEERS / "venv" / "bin" / "linkchecker"
FEEDLINT_VENV = PEERS / "feedlint"

HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")
URLS_PER_HOST = 100
DELAY = 0.1
PER_HOST = 8
FLOOR = len(HOSTS) * URLS_PER_HOST * DELAY / (len(HOSTS) * PER_HOST)
TARGET = 1.5
#: No tool may send more than this many requests in one run (a runaway guard).
MAX_REQUESTS = 10 * len(HOSTS) * URLS_PER_HOST
TOOL_TIMEOUT = 300.0

#: The page that shows the table, between these two markers.
DOCS_PAGE = ROOT / "docs" / "performance.md"
DOCS_START = "<!-- probe-bench:start -->"
DOCS_END = "<!-- probe-bench:end -->"


# -- the slow server ---------------------------------------------------------


class SlowServer:
    """HTTP/1.1 with keep-alive on each loopback host: every answer after DELAY.

    A bare asyncio protocol with a timer per request, so that the server adds as
    little as it can to the 100 ms: every tool is measured against the same server.
    """

    def __init__(self) -> None:
        self.ports: dict[str, int] = {}
        self.requests = 0
        #: Requests beyond this count are refused (see allow()).
        self.limit = MAX_REQUESTS
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SlowServer:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            servers = []
            for host in HOSTS:
                server = loop.run_until_complete(
                    loop.create_server(lambda: _SlowProtocol(self), host, 0)
                )
                servers.append(server)
                self.ports[host] = server.sockets[0].getsockname()[1]
            ready.set()
            loop.run_forever()
            for server in servers:
                server.close()
            loop.run_until_complete(asyncio.sleep(0.05))
            loop.close()

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)

    def allow(self) -> int:
        """Start a tool's run: it may send MAX_REQUESTS more. The request count so far."""
        self.limit = self.requests + MAX_REQUESTS
        return self.requests

    def urls(self) -> list[str]:
        return [
            f"http://{host}:{self.ports[host]}/news/{n:03d}/story.html"
            for n in range(URLS_PER_HOST)
            for host in HOSTS
        ]


_BODY = b"<html><body>a story</body></html>"
_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(_BODY)
)


class _SlowProtocol(asyncio.Protocol):
    def __init__(self, server: SlowServer) -> None:
        self.server = server
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            request, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            self.server.requests += 1
            if self.server.requests > self.server.limit:
                assert self.transport is not None
                self.transport.close()
                return
            head = request.split(b" ", 1)[0] == b"HEAD"
            asyncio.get_running_loop().call_later(DELAY, self._answer, head)

    def _answer(self, head: bool) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(_HEAD if head else _HEAD + _BODY)

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None


# -- the corpus ----------------------------------------------------------------


def write_corpus(folder: Path, urls: list[str]) -> None:
    """100 articles with 4 URLs each (webUrl and three related items, one per host),
    and the same 400 URLs as a Markdown file and an HTML page for the peers."""
    articles = folder / "articles"
    articles.mkdir()
    for index in range(URLS_PER_HOST):
        own, *related = urls[index * len(HOSTS) : (index + 1) * len(HOSTS)]
        lines = [
            "---",
            f'title: "Story number {index}"',
            "publishedDateTime: 2023-08-07T08:11:00Z",
            f'webUrl: "{own}"',
            "provider:",
            "  name: Loopback News",
            "  domain: example.com",
            "related:",
        ]
        for n, url in enumerate(related):
            lines += [
                f'  - title: "Coverage {n}"',
                "    publishedDateTime: 2023-08-08T08:11:00Z",
                f'    webUrl: "{url}"',
                "    provider:",
                "      name: Elsewhere",
                "      domain: example.org",
            ]
        lines += ["---", ""]
        (articles / f"{index:03d}_story.md").write_text("\n".join(lines), "utf-8")
    (folder / "links.md").write_text(
        "# Links\n\n" + "".join(f"- [story {n}]({u})\n" for n, u in enumerate(urls)), "utf-8"
    )
    (folder / "links.html").write_text(
        "<html><body>\n" + "".join(f'<a href="{u}">story {n}</a>\n' for n, u in enumerate(urls))
        + "</body></html>\n",
        "utf-8",
    )


# -- the tools -------------------------------------------------------------------


@dataclass
class Row:
    tool: str
    version: str
    settings: str
    walls: list[float] = field(default_factory=list)
    #: CPU seconds (user + system) of each run, the tool's child processes included.
    cpus: list[float] = field(default_factory=list)
    requests: int = 0
    ok: bool = True
    note: str = ""
    #: feedlint only: the same command without --probe (start-up and linting).
    lint_walls: list[float] = field(default_factory=list)
    lint_cpus: list[float] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus) if self.cpus else float("nan")


#: CPU seconds of the last timed() command.
_last_cpu = 0.0


def timed(
    command: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    global _last_cpu
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TOOL_TIMEOUT
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _last_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, proc


def failure(proc: subprocess.CompletedProcess[str]) -> str:
    return f"exit {proc.returncode}: {(proc.stdout + proc.stderr)[-400:]}"


def install_feedlint() -> str | None:
    """feedlint as its users get it: ``pip install .`` of this checkout into its own
    virtual environment, so that only its declared dependencies are there (a
    development environment imports more: httpcore loads trio when it finds it).
    Refreshed from the checkout at every run. None when it cannot be made."""
    python = FEEDLINT_VENV / "bin" / "python"
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(FEEDLINT_VENV)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(ROOT)],
                           check=True, timeout=600)
        else:
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps",
                            "--force-reinstall", str(ROOT)], check=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as err:
        print(f"cannot install feedlint into {FEEDLINT_VENV}: {err}", file=sys.stderr)
        return None
    return str(python)


def run_feedlint(server: SlowServer, folder: Path, runs: int, python: str | None) -> Row:
    from feedlint import __version__

    where = "installed with pip in its own venv" if python else "this checkout, dev environment"
    row = Row(f"feedlint check --probe ({where})", __version__,
              f"{PER_HOST} per host, 64 overall (defaults)")
    env = dict(os.environ)
    if python is None:
        python = sys.executable
        env["PYTHONPATH"] = str(ROOT)
    command = [python, "-m", "feedlint", "check", "--probe", "--allow-private",
               "--no-cache", "--format", "json", "articles"]
    lint_only = [python, "-m", "feedlint", "check", "--format", "json", "articles"]
    for _ in range(runs):
        row.lint_walls.append(timed(lint_only, folder, env)[0])
        row.lint_cpus.append(_last_cpu)
        before = server.allow()
        wall, proc = timed(command, folder, env)
        row.walls.append(wall)
        row.cpus.append(_last_cpu)
        row.requests = server.requests - before
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            report = {}
        links = [d for d in report.get("diagnostics", []) if d["code"].startswith("FL6")]
        if report.get("files_checked") != URLS_PER_HOST or links:
            row.ok = False
            row.note = failure(proc)
    return row


def run_markdown_link_check(server: SlowServer, folder: Path) -> Row:
    if not MLC.exists():
        return Row("markdown-link-check", "-", "-", ok=False,
                   note="not installed (run with --install-peers)")
    version = subprocess.run([str(MLC), "--version"], capture_output=True, text=True).stdout
    row = Row("markdown-link-check", version.strip(), "2 at a time (built in)")
    before = server.allow()
    wall, proc = timed([str(MLC), "-q", "links.md"], folder)
    row.walls.append(wall)
    row.cpus.append(_last_cpu)
    row.requests = server.requests - before
    row.ok = proc.returncode == 0
    if not row.ok:
        row.note = failure(proc)
    return row


def run_linkchecker(server: SlowServer, folder: Path) -> Row:
    if not LINKCHECKER.exists():
        return Row("linkchecker", "-", "-", ok=False,
                   note="not installed (run with --install-peers)")
    version = subprocess.run([str(LINKCHECKER), "--version"], capture_output=True, text=True)
    row = Row("linkchecker", version.stdout.split(" released")[0].replace("LinkChecker ", ""),
              "10 threads, at most 10 requests/s per host (defaults)")
    home = folder / "home"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(home))
    before = server.allow()
    wall, proc = timed(
        [str(LINKCHECKER), "--check-extern", "--no-status", (folder / "links.html").as_uri()],
        folder,
        env,
    )
    row.walls.append(wall)
    row.cpus.append(_last_cpu)
    row.requests = server.requests - before
    row.ok = proc.returncode == 0
    if not row.ok:
        row.note = failure(proc)
    return row


async def _reference_worker(host: str, port: int, paths: list[str]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    for path in paths:
        writer.write(f"HEAD {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        await writer.drain()
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
    writer.close()


async def _reference(server: SlowServer) -> None:
    workers = []
    for host in HOSTS:
        paths = [f"/news/{n:03d}/story.html" for n in range(URLS_PER_HOST)]
        for k in range(PER_HOST):
            workers.append(_reference_worker(host, server.ports[host], paths[k::PER_HOST]))
    await asyncio.gather(*workers)


def run_reference(server: SlowServer, runs: int) -> Row:
    """What this machine and server allow right now: the least a client can do (raw
    sockets, 8 keep-alive connections per host, HEAD, no parsing) in a subprocess
    like the tools. Its distance from the floor is the machine's, not the tools'."""
    row = Row("reference: bare asyncio client", "-", f"{PER_HOST} per host, keep-alive")
    here = str(Path(__file__).resolve().parent)
    script = (
        f"import asyncio, sys; sys.path.insert(0, {here!r}); import probe_bench as b; "
        f"s = b.SlowServer(); s.ports = {server.ports!r}; asyncio.run(b._reference(s))"
    )
    for _ in range(runs):
        before = server.allow()
        wall, proc = timed([sys.executable, "-c", script], ROOT)
        row.walls.append(wall)
        row.cpus.append(_last_cpu)
        row.requests = server.requests - before
        row.ok = proc.returncode == 0
    return row


def install_peers() -> None:
    """markdown-link-check with npm and linkchecker with pip, both into
    benchmarks/.peers/ (git-ignored), never into the project's environment."""
    PEERS.mkdir(exist_ok=True)
    if not MLC.exists():
        npm = shutil.which("npm")
        if npm is None:
            print("npm is not installed: markdown-link-check is skipped", file=sys.stderr)
        else:
            subprocess.run([npm, "install", "--prefix", str(PEERS / "node"),
                            "markdown-link-check"], check=False, timeout=600)
    if not LINKCHECKER.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS / "venv")], check=True)
        subprocess.run([str(PEERS / "venv" / "bin" / "pip"), "install", "--quiet",
                        "linkchecker"], check=False, timeout=600)


# -- the report --------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    feedlint = rows[0].wall
    lines = [
        "| tool | version | concurrency | requests | wall (s) | vs floor | vs feedlint | CPU (s) |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    first = rows[0]
    if first.lint_walls:
        lint = statistics.median(first.lint_walls)
        lint_cpu = statistics.median(first.lint_cpus)
        probing = first.wall - lint
        lines.append(
            f"| feedlint, probing alone (the two rows below: with --probe minus without) | "
            f"{first.version} | {first.settings} | {first.requests} | {probing:.2f} | "
            f"{probing / FLOOR:.2f}x | - | {first.cpu - lint_cpu:.2f} |"
        )
        lines.append(
            f"| feedlint check, no --probe (start-up, linting 100 articles) | {first.version}"
            f" | - | 0 | {lint:.2f} | - | - | {lint_cpu:.2f} |"
        )
    for row in rows:
        if not row.walls:
            lines.append(f"| {row.tool} | {row.version} | {row.note} | - | - | - | - | - |")
            continue
        wall = row.wall
        flag = "" if row.ok else " (failed)"
        lines.append(
            f"| {row.tool}{flag} | {row.version} | {row.settings} | {row.requests} | "
            f"{wall:.2f} | {wall / FLOOR:.2f}x | {wall / feedlint:.1f}x | {row.cpu:.2f} |"
        )
    return "\n".join(lines)


def write_docs(text: str) -> None:
    """Put ``text`` between the markers of the Performance page."""
    content = DOCS_PAGE.read_text("utf-8")
    pattern = re.compile(re.escape(DOCS_START) + ".*?" + re.escape(DOCS_END), re.S)
    if not pattern.search(content):
        raise SystemExit(f"{DOCS_PAGE.relative_to(ROOT)} has no {DOCS_START} ... {DOCS_END} "
                         "section")
    block = f"{DOCS_START}\n{text}\n{DOCS_END}"
    DOCS_PAGE.write_text(pattern.sub(lambda _: block, content), "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="feedlint runs (median is shown)")
    parser.add_argument("--install-peers", action="store_true",
                        help="install markdown-link-check and linkchecker into benchmarks/.peers")
    parser.add_argument("--skip-peers", action="store_true", help="time feedlint only")
    parser.add_argument("--dev", action="store_true",
                        help="run feedlint from this checkout in the current environment "
                        "instead of a fresh pip install of it")
    parser.add_argument("--write-docs", action="store_true",
                        help="put the table into docs/performance.md, between its "
                        "probe-bench markers")
    args = parser.parse_args()
    if args.install_peers:
        install_peers()
    python = None if args.dev else install_feedlint()
    started_load = os.getloadavg()[0]

    server = SlowServer().start()
    try:
        with tempfile.TemporaryDirectory(prefix="feedlint-probe-bench-") as tmp:
            folder = Path(tmp)
            os.chmod(folder, 0o755)  # linkchecker drops root privileges to read the page
            write_corpus(folder, server.urls())
            rows = [
                run_feedlint(server, folder, args.runs, python),
                run_reference(server, args.runs),
            ]
            if not args.skip_peers:
                rows.append(run_markdown_link_check(server, folder))
                rows.append(run_linkchecker(server, folder))
    finally:
        server.stop()

    walls = ", ".join(f"{w:.2f}" for w in rows[0].walls)
    load = os.getloadavg()[0]
    machine = (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores (load average "
        f"{started_load:.1f} before, {load:.1f} after), Python {platform.python_version()}"
    )
    text = (
        f"{len(HOSTS) * URLS_PER_HOST} unique URLs over {len(HOSTS)} loopback hosts, each "
        f"answering after {DELAY * 1000:.0f} ms; floor {FLOOR:.2f} s at {PER_HOST} per host, "
        f"target {TARGET}x ({FLOOR * TARGET:.2f} s). {machine}. feedlint: median of "
        f"{len(rows[0].walls)} runs ({walls} s), the whole command; peers: one run each.\n\n"
        + table(rows)
        + "\n\nMade by `python benchmarks/probe_bench.py --write-docs`."
    )
    print(text)
    for row in rows:
        if row.note:
            print(f"{row.tool}: {row.note}", file=sys.stderr)
    if args.write_docs:
        write_docs(text)
    probing = rows[0].wall - statistics.median(rows[0].lint_walls)
    within = rows[0].ok and probing <= FLOOR * TARGET
    print(f"\nfeedlint's probing {'meets' if within else 'MISSES'} the target: "
          f"{probing:.2f} s vs {FLOOR * TARGET:.2f} s (whole command {rows[0].wall:.2f} s)",
          file=sys.stderr)
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
