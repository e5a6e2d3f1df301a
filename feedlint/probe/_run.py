"""A probe run: the URLs of every linted file, each probed once, findings on every field."""

from __future__ import annotations

import asyncio
import ipaddress
import re
import sys
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from feedlint.diagnostics import Finding, Span, printable
from feedlint.document import human_path
from feedlint.probe._guard import AddressGuard, Resolver
from feedlint.probe._outcome import Outcome, findings_for
from feedlint.rules.links import Place
from feedlint.settings import Settings

if TYPE_CHECKING:
    from feedlint.engine import Linter
    from feedlint.probe._fetch import Prober
    from feedlint.results import FileResult, RunResult


class ProbeSettingsError(ValueError):
    """A probe setting that cannot be used (a bad exclude pattern, a zero limit)."""


@dataclass(slots=True)
class ProbeStats:
    #: Unique URLs the articles mention.
    urls: int = 0
    #: Of those, answered from the cache, and left out by ``probe_exclude``.
    cached: int = 0
    excluded: int = 0
    #: Requests sent, and the probe's wall time in seconds.
    requests: int = 0
    seconds: float = 0.0


def url_identity(url: str) -> str:
    """A URL is its exact string without the fragment (``/a`` and ``/a/`` are two)."""
    return url.split("#", 1)[0]


def check_settings(settings: Settings) -> list[re.Pattern[str]]:
    """Validate the probe settings before any request; the exclude patterns, compiled."""
    for name in ("probe_concurrency", "probe_per_host", "probe_image_bytes"):
        if getattr(settings, name) < 1:
            raise ProbeSettingsError(f"{name} must be at least 1")
    for name in ("probe_timeout", "probe_url_deadline", "probe_cache_ttl"):
        if not getattr(settings, name) > 0:
            raise ProbeSettingsError(f"{name} must be more than 0 seconds")
    for name in ("probe_retries", "probe_backoff", "probe_retry_after_cap", "probe_max_redirects"):
        if getattr(settings, name) < 0:
            raise ProbeSettingsError(f"{name} must not be negative")
    for network in settings.probe_allow_networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as err:
            raise ProbeSettingsError(f"probe_allow_networks: {err}") from err
    patterns = []
    for text in settings.probe_exclude:
        try:
            patterns.append(re.compile(text))
        except re.error as err:
            raise ProbeSettingsError(f"probe_exclude pattern {text!r} is invalid: {err}") from err
    return patterns


def probe_result(
    linter: Linter,
    result: RunResult,
    *,
    progress: bool = False,
    resolve: Resolver | None = None,
) -> ProbeStats:
    """Probe every URL the run's files mention and add the FL6xx findings to them."""
    settings = linter.settings
    excludes = check_settings(settings)
    started = time.monotonic()
    places = gather(result.files)
    stats = ProbeStats(urls=len(places))
    wanted: dict[str, bool] = {}
    for url, entries in places.items():
        if any(p.search(url) for p in excludes):
            stats.excluded += 1
            continue
        wanted[url] = any(place[2] for _, place in entries)
    outcomes = asyncio.run(probe_urls(wanted, settings, progress=progress, resolve=resolve))
    stats.cached = sum(1 for o in outcomes.values() if o.cached)
    stats.requests = sum(o.requests for o in outcomes.values() if not o.cached)
    linter.attach(result.files, produce(places, outcomes, settings))
    stats.seconds = time.monotonic() - started
    return stats


def gather(files: Iterable[FileResult]) -> dict[str, list[tuple[str, Place]]]:
    """URL -> every (file, place) that mentions it, in file order."""
    places: dict[str, list[tuple[str, Place]]] = defaultdict(list)
    for file in files:
        for place in file.facts.get("links", ()):
            places[url_identity(place[0])].append((file.path, place))
    return places


def produce(
    places: Mapping[str, list[tuple[str, Place]]],
    outcomes: Mapping[str, Outcome],
    settings: Settings,
) -> list[tuple[str, Finding]]:
    produced = []
    for url, entries in places.items():
        outcome = outcomes.get(url)
        if outcome is None:
            continue
        for path, (_, pointer, image, span, declared) in entries:
            for code, message in findings_for(
                outcome,
                human_path(pointer),
                declared,
                image=image,
                accept=settings.probe_accept_status,
                image_bytes=settings.probe_image_bytes,
            ):
                produced.append((path, Finding(code, message, pointer, span=Span(*span))))
    return produced


async def probe_urls(
    wanted: Mapping[str, bool],
    settings: Settings,
    *,
    progress: bool = False,
    resolve: Resolver | None = None,
    guard: AddressGuard | None = None,
    on_prober: Callable[[Prober], None] | None = None,
) -> dict[str, Outcome]:
    """Probe each URL once (url -> probe it as an image); cached answers first."""
    from feedlint.probe._client import make_client
    from feedlint.probe._fetch import Prober

    check_settings(settings)
    outcomes: dict[str, Outcome] = {}
    cache = None
    if settings.probe_cache:
        from feedlint.atomic import shown
        from feedlint.probe._cache import CacheRefused, ProbeCache

        try:
            cache = ProbeCache.open(
                settings.probe_cache_dir,
                ttl=settings.probe_cache_ttl,
                # Answers fetched with the guard lifted are kept apart from guarded ones.
                allow_private=settings.probe_allow_private or bool(settings.probe_allow_networks),
            )
        except CacheRefused as err:
            _note(f"the probe cache is off for this run: {err}; links are probed all the same")
    if cache is not None:
        outcomes.update(cache.get_many(dict(wanted)))
        if cache.rejected:
            _note(
                f"the probe cache {shown(cache.path)} held {cache.rejected} "
                f"{'entry' if cache.rejected == 1 else 'entries'} that this user's runs did "
                "not write (or damaged ones); they were ignored and those links probed again"
            )
    todo = {url: image for url, image in wanted.items() if url not in outcomes}
    if guard is None:
        guard = AddressGuard(
            allow_private=settings.probe_allow_private,
            allow_networks=settings.probe_allow_networks,
            resolve=resolve,
        )
    bar = _progress_bar(len(todo)) if progress and todo else None
    try:
        async with make_client(
            guard,
            concurrency=settings.probe_concurrency,
            per_host=settings.probe_per_host,
            timeout=settings.probe_timeout,
            user_agent=settings.probe_user_agent,
            ca_bundle=settings.probe_ca_bundle,
        ) as client:
            prober = Prober(settings, client, guard)
            if on_prober is not None:
                on_prober(prober)
            done = await dispatch(prober, todo, settings, bar.update if bar else None)
    finally:
        if bar is not None:
            bar.close()
    outcomes.update(done)
    if cache is not None:
        accept = settings.probe_accept_status
        cache.put_many(
            o for o in done.values() if o.accepted(accept) and (not o.image or o.size is not None)
        )
        cache.close()
    return outcomes


async def dispatch(
    prober: Prober,
    todo: Mapping[str, bool],
    settings: Settings,
    on_done: Callable[[int], object] | None = None,
) -> dict[str, Outcome]:
    """Run the probes with at most ``probe_concurrency`` alive, never more than
    ``probe_per_host`` of them for one host, taking hosts in turn.

    Tasks are started as slots free up rather than all at once, so a run over a
    million URLs holds a few dozen coroutines, and one host with most of the URLs
    cannot keep the others waiting behind its per-host limit.
    """
    queues: dict[str, deque[str]] = defaultdict(deque)
    for url in todo:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        queues[host].append(url)
    per_host = max(1, settings.probe_per_host)
    limit = max(1, settings.probe_concurrency)
    # Hosts with URLs waiting and a free per-host slot, taken in turn.
    ready: deque[str] = deque(queues)
    alive: dict[asyncio.Task[Outcome], tuple[str, str]] = {}
    busy: dict[str, int] = defaultdict(int)
    results: dict[str, Outcome] = {}
    # Tasks report themselves done here (asyncio.wait would hook every live task
    # again at each completion).
    finished: deque[asyncio.Task[Outcome]] = deque()
    wake = asyncio.Event()

    def on_finished(task: asyncio.Task[Outcome]) -> None:
        finished.append(task)
        wake.set()

    while alive or ready:
        while ready and len(alive) < limit:
            host = ready.popleft()
            queue = queues[host]
            url = queue.popleft()
            task = asyncio.create_task(_safe_probe(prober, url, todo[url]))
            task.add_done_callback(on_finished)
            alive[task] = (host, url)
            busy[host] += 1
            if queue and busy[host] < per_host:
                ready.append(host)
        if not finished:
            wake.clear()
            await wake.wait()
        while finished:
            task = finished.popleft()
            host, url = alive.pop(task)
            results[url] = task.result()
            busy[host] -= 1
            # The host had no free slot, so it was not waiting in turn: it is now.
            if queues[host] and busy[host] == per_host - 1:
                ready.append(host)
            if on_done is not None:
                on_done(1)
    return results


async def _safe_probe(prober: Prober, url: str, image: bool) -> Outcome:
    try:
        return await prober.probe(url, image)
    except Exception as err:  # noqa: BLE001 - one URL must not stop the run
        return Outcome(
            url=url, image=image, error="internal", detail=f"{type(err).__name__}: {err}"
        )


def _note(message: str) -> None:
    print(f"feedlint: note: {printable(message)}", file=sys.stderr)


def _progress_bar(total: int) -> _Bar:
    from tqdm import tqdm

    bar: _Bar = tqdm(total=total, unit="URL", desc="probing links", leave=False, dynamic_ncols=True)
    return bar


class _Bar:
    """What the probe uses of a progress bar (tqdm's interface)."""

    def update(self, n: int = 1) -> object: ...

    def close(self) -> None: ...
