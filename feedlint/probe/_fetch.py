"""Probing one URL: HEAD (then GET), redirects by hand, retries, bounded image reads."""

from __future__ import annotations

import asyncio
import io
import random
import ssl
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import httpx

from feedlint.probe._guard import AddressGuard, Refused, ResolveError
from feedlint.probe._outcome import Outcome, status_text
from feedlint.settings import Settings


def worth_retrying(status: int) -> bool:
    """5xx (but 501 Not Implemented: the method is refused, a GET follows), 408 and
    429: the server may answer differently in a moment."""
    return (status >= 500 and status != 501) or status in (408, 429)

#: A refused HEAD (or one a server mishandles) is tried again as a GET.
_DEFINITE = frozenset({404, 408, 410, 429})

#: How many more body bytes before imagesize is asked again.
_PARSE_STEP = 2048

#: First bytes of the image formats (a file that starts so is an image whose size
#: could not be read, not "something else").
_SIGNATURES = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x00\x0cjP",
)


class _Failure(Exception):
    """An attempt that got no usable answer."""

    def __init__(self, kind: str, detail: str, *, retryable: bool) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.retryable = retryable


class _OutOfTime(Exception):
    """The URL's deadline passed during an attempt, or left no time for one."""


class _Clock:
    """The time the check of one URL may still take (``probe_url_deadline``): every
    request, redirect, retry and wait of it counts. Time spent queued for a free
    request slot does not: that is other URLs' turn, not this one's."""

    __slots__ = ("_loop", "deadline", "limit")

    def __init__(self, limit: float) -> None:
        self._loop = asyncio.get_running_loop()
        self.limit = limit
        self.deadline = self._loop.time() + limit

    def now(self) -> float:
        return self._loop.time()

    def left(self) -> float:
        return self.deadline - self._loop.time()

    def pause(self, seconds: float) -> None:
        """Leave ``seconds`` out of the count (they were spent queued)."""
        self.deadline += max(0.0, seconds)


@dataclass(slots=True)
class _Answer:
    status: int
    location: str | None = None
    retry_after: float | None = None
    content_type: str = ""
    size: tuple[int, int] | None = None
    image_problem: str | None = None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def parse_url(url: str, *, redirected: bool = False) -> httpx.URL | tuple[str, str]:
    """The URL to request, or why it is not fetched at all, as (kind, words):
    ``invalid`` when it cannot be parsed (``bad-redirect`` when a redirect led
    there), ``refused`` when it is not http(s) or carries credentials."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as err:
        if redirected:
            return "bad-redirect", f"it redirects to {url!r}, which is not a valid URL ({err})"
        return "invalid", f"{url!r} is not a valid URL ({err})"
    if parsed.scheme not in ("http", "https"):
        if redirected:
            return "refused", f"it redirects to {url}, which is not an http or https URL"
        return "refused", f"{url} is not an http or https URL"
    if parsed.userinfo:
        # The URL is not repeated: that would copy the password into CI logs.
        if redirected:
            return "refused", "it redirects to a URL with a user name or password"
        return "refused", "it carries a user name or password"
    if not parsed.host:
        if redirected:
            return "bad-redirect", f"it redirects to {url}, which has no host"
        return "invalid", f"{url} has no host"
    return parsed


def image_size(data: bytes) -> tuple[int, int] | None:
    """The (width, height) imagesize reads from the first bytes of an image, if any."""
    if len(data) < 24:
        return None
    import imagesize  # only runs that meet an image need it

    width, height = imagesize.get(io.BytesIO(data))
    if width > 0 and height > 0:
        return int(width), int(height)
    return None


def looks_like_image(data: bytes, content_type: str) -> bool:
    if data.startswith(_SIGNATURES):
        return True
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return True
    if data[4:8] == b"ftyp":  # AVIF, HEIC
        return True
    head = data[:256].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower():
        return True
    return content_type.startswith("image/") and not data


class Prober:
    """Probes URLs for one run: one client, one guard, the run's limits."""

    def __init__(
        self,
        settings: Settings,
        client: httpx.AsyncClient,
        guard: AddressGuard,
        *,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.client = client
        self.guard = guard
        self.timeout = settings.probe_timeout
        self.retries = max(0, settings.probe_retries)
        self.accept = frozenset(settings.probe_accept_status)
        self._global = asyncio.Semaphore(max(1, settings.probe_concurrency))
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._rng = rng or random.Random()
        #: Requests in flight per host right now, and the most ever seen.
        self.in_flight: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()

    # -- one URL ------------------------------------------------------------

    async def probe(self, url: str, image: bool) -> Outcome:
        # One deadline for everything done for this URL, the GET after a HEAD too.
        clock = _Clock(self.settings.probe_url_deadline)
        outcome = Outcome(url=url, image=image, final_url=url)
        if image:
            await self._follow(outcome, "GET", clock)
            return outcome
        await self._follow(outcome, "HEAD", clock)
        if self._get_after_head(outcome):
            sent = outcome.requests
            outcome = Outcome(url=url, image=image, final_url=url, requests=sent)
            await self._follow(outcome, "GET", clock)
        return outcome

    def _get_after_head(self, outcome: Outcome) -> bool:
        """A HEAD that was refused (405, 501), or failed in a way a GET may not."""
        if outcome.error is not None:
            return outcome.error in ("protocol", "reset")
        status = outcome.status
        if status is None or status in self.accept:
            return False
        return status in (405, 501) or (400 <= status < 500 and status not in _DEFINITE)

    async def _follow(self, outcome: Outcome, method: str, clock: _Clock) -> None:
        """Request ``outcome.url`` and follow its redirects, each hop guarded anew."""
        current = outcome.url
        seen = [current]
        for _ in range(self.settings.probe_max_redirects + 1):
            parsed = parse_url(current, redirected=current != outcome.url)
            if isinstance(parsed, tuple):
                outcome.error, outcome.detail = parsed
                return
            outcome.final_url = current
            answer = await self._with_retries(outcome, current, parsed, method, clock)
            if answer is None:
                return
            outcome.status = answer.status
            outcome.content_type = answer.content_type
            if 300 <= answer.status < 400:
                if not answer.location:
                    outcome.error = "no-location"
                    outcome.detail = f"{status_text(answer.status)} redirect without a Location"
                    return
                target = urljoin(current, answer.location.strip()).split("#", 1)[0]
                outcome.redirects.append((answer.status, target))
                if target in seen:
                    loop = " -> ".join([*seen[seen.index(target) :], target])
                    outcome.error = "loop"
                    outcome.detail = f"redirects in a loop: {loop}"
                    return
                seen.append(target)
                current = target
                continue
            outcome.size = answer.size
            outcome.image_problem = answer.image_problem
            return
        outcome.error = "too-many-redirects"
        outcome.detail = (
            f"redirects more than {self.settings.probe_max_redirects} times "
            f"(last to {current})"
        )

    async def _with_retries(
        self, outcome: Outcome, url: str, parsed: httpx.URL, method: str, clock: _Clock
    ) -> _Answer | None:
        settings = self.settings
        for attempt in range(self.retries + 1):
            try:
                answer = await self._attempt(outcome, parsed, method, clock)
            except _OutOfTime:
                _out_of_time(outcome, clock.limit)
                return None
            except Refused as err:
                outcome.error = "refused"
                outcome.detail = str(err) if url == outcome.url else f"it redirects to {url}: {err}"
                return None
            except ResolveError as err:
                outcome.error = "dns"
                outcome.detail = str(err)
                return None
            except _Failure as failure:
                if failure.retryable and attempt < self.retries:
                    delay = self._backoff(attempt)
                    if delay >= clock.left():
                        # No time left to wait and try again.
                        _out_of_time(outcome, clock.limit, waiting=delay)
                        return None
                    await asyncio.sleep(delay)
                    continue
                outcome.error = failure.kind
                outcome.detail = failure.detail
                if attempt:
                    outcome.detail += f" ({attempt + 1} attempts)"
                return None
            if worth_retrying(answer.status) and attempt < self.retries:
                wait = answer.retry_after
                if wait is not None and wait > settings.probe_retry_after_cap:
                    outcome.retry_after = wait
                    return answer
                delay = wait if wait is not None else self._backoff(attempt)
                if delay >= clock.left():
                    # A wait that would pass the deadline is not waited for.
                    _out_of_time(outcome, clock.limit, waiting=delay, asked=wait is not None)
                    return None
                await asyncio.sleep(delay)
                continue
            return answer
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter: half fixed, half random."""
        delay = self.settings.probe_backoff * 2.0**attempt
        delay = delay / 2 + self._rng.uniform(0, delay / 2)
        return min(delay, self.settings.probe_retry_after_cap)

    # -- one request ----------------------------------------------------------

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = asyncio.Semaphore(max(1, self.settings.probe_per_host))
        return slot

    async def _attempt(
        self, outcome: Outcome, request_url: httpx.URL, method: str, clock: _Clock
    ) -> _Answer:
        host = request_url.raw_host.decode("ascii").lower()
        port = request_url.port or (443 if request_url.scheme == "https" else 80)
        queued = clock.now()
        async with self._global, self._host_slot(host):
            clock.pause(clock.now() - queued)
            left = clock.left()
            if left <= 0:
                raise _OutOfTime
            # The attempt's own timeout, or what is left of the URL's deadline.
            limit = min(self.timeout, left)
            self.in_flight[host] += 1
            self.peak[host] = max(self.peak[host], self.in_flight[host])
            outcome.requests += 1
            try:
                async with asyncio.timeout(limit):
                    await self.guard.check(host, port)
                    return await self._request(outcome, request_url, method)
            except TimeoutError:
                if limit < self.timeout:
                    raise _OutOfTime from None
                raise _Failure(
                    "timeout", f"no answer within {self.timeout:g} s", retryable=True
                ) from None
            except httpx.TimeoutException:
                raise _Failure(
                    "timeout", f"no answer within {self.timeout:g} s", retryable=True
                ) from None
            except httpx.ConnectError as err:
                raise _connect_failure(err) from None
            except (httpx.ReadError, httpx.WriteError) as err:
                raise _Failure(
                    "reset", f"the connection was reset ({_reason(err)})", retryable=True
                ) from None
            except httpx.RemoteProtocolError as err:
                text = str(err)
                if "disconnected" in text or "peer closed" in text:
                    raise _Failure(
                        "reset", "the server closed the connection mid-answer", retryable=True
                    ) from None
                raise _Failure(
                    "protocol", f"the answer is not valid HTTP ({text})", retryable=False
                ) from None
            except (httpx.LocalProtocolError, httpx.UnsupportedProtocol, httpx.InvalidURL) as err:
                raise _Failure(
                    "invalid", f"the URL cannot be requested ({err})", retryable=False
                ) from None
            except httpx.TransportError as err:
                raise _Failure("reset", _reason(err), retryable=True) from None
            finally:
                self.in_flight[host] -= 1

    async def _request(self, outcome: Outcome, url: httpx.URL, method: str) -> _Answer:
        headers = {}
        if outcome.image:
            headers["Range"] = f"bytes=0-{self.settings.probe_image_bytes - 1}"
            headers["Accept-Encoding"] = "identity"
        request = self.client.build_request(method, url, headers=headers)
        response = await self.client.send(request, stream=True)
        try:
            answer = _Answer(
                status=response.status_code,
                location=response.headers.get("location"),
                retry_after=parse_retry_after(response.headers.get("retry-after")),
                content_type=response.headers.get("content-type", "").split(";")[0].strip(),
            )
            if method == "HEAD":
                # No body; reading the end of the message lets the connection be reused.
                await response.aread()
            elif outcome.image and response.status_code in (200, 206):
                await self._read_image(response, answer, outcome)
            # A page's GET reads nothing of the body: the status is the answer.
            return answer
        finally:
            await response.aclose()

    async def _read_image(
        self, response: httpx.Response, answer: _Answer, outcome: Outcome
    ) -> None:
        """Read the first bytes of an image until its size is known, never more than
        ``probe_image_bytes`` (a server that ignores Range is cut off the same way)."""
        cap = self.settings.probe_image_bytes
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        decoder = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            decoder = zlib.decompressobj(wbits=47)  # zlib or gzip header, detected
        elif encoding not in ("", "identity"):
            answer.image_problem = "unknown-size"
            return
        data = bytearray()
        tried = 0
        try:
            async for chunk in response.aiter_raw():
                outcome.bytes_read += len(chunk)
                if decoder is not None:
                    try:
                        chunk = decoder.decompress(chunk, cap - len(data))
                    except zlib.error:
                        break
                data += chunk[: cap - len(data)]
                if len(data) - tried >= _PARSE_STEP or len(data) >= cap:
                    tried = len(data)
                    answer.size = image_size(bytes(data))
                    if answer.size is not None:
                        return
                if len(data) >= cap or outcome.bytes_read >= 2 * cap:
                    break
        except httpx.TransportError:
            # Cut off mid-body: what came may hold the size already.
            answer.size = image_size(bytes(data))
            if answer.size is None:
                raise
            return
        if tried != len(data):
            answer.size = image_size(bytes(data))
        if answer.size is None:
            known = looks_like_image(bytes(data[:4096]), answer.content_type)
            answer.image_problem = "unknown-size" if known else "not-image"


def _out_of_time(
    outcome: Outcome, limit: float, *, waiting: float | None = None, asked: bool = False
) -> None:
    """End ``outcome`` as a timeout of its URL's deadline (``limit`` seconds): it
    passed, or would pass while ``waiting`` to try again (a wait the server
    ``asked`` for with Retry-After, or a backoff)."""
    outcome.error = "timeout"
    outcome.deadline = limit
    whole = f"{limit:g} s, redirects, retries and waits included"
    if waiting is None:
        outcome.detail = f"the whole check took longer than {whole}"
    elif asked:
        outcome.detail = (
            f"the whole check would take longer than {whole}: the server asked to "
            f"retry after {waiting:g} s"
        )
    else:
        outcome.detail = (
            f"the whole check would take longer than {whole}: no time was left to "
            "try again"
        )


def _reason(err: Exception) -> str:
    text = str(err).strip()
    return text or type(err).__name__


def _causes(err: BaseException) -> list[BaseException]:
    """The exception and those it was raised from (httpx wraps httpcore wraps anyio
    wraps the OSError that says what happened)."""
    chain: list[BaseException] = []
    current: BaseException | None = err
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _connect_failure(err: httpx.ConnectError) -> _Failure:
    causes = _causes(err)
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return _Failure("tls", f"TLS failed ({err})", retryable=False)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return _Failure("connect", "the connection was refused", retryable=False)
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return _Failure("reset", "the connection was reset", retryable=True)
    text = str(err)
    if "refused" in text.lower():
        return _Failure("connect", "the connection was refused", retryable=False)
    return _Failure("connect", f"cannot connect ({_reason(err)})", retryable=False)
