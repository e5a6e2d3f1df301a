"""The link and image prober behind ``feedlint check --probe``.

Imported only when a run probes: a plain ``feedlint check`` never imports httpx
and never touches the network.

After the files are linted, every URL they mention (collected with the field that
holds it by :mod:`feedlint.rules.links`) is fetched once, however many files
mention it, and what it answered becomes FL6xx findings on that field in every
file. Concurrency is bounded overall and per host, requests go only to public
addresses (the guard resolves first and connects to what it checked), and
successes are cached for a day.
"""

from __future__ import annotations

from feedlint.probe._guard import AddressGuard, Refused, ResolveError, address_problem
from feedlint.probe._outcome import Outcome, findings_for
from feedlint.probe._run import (
    ProbeSettingsError,
    ProbeStats,
    check_settings,
    dispatch,
    probe_result,
    probe_urls,
    url_identity,
)
from feedlint.probe._schemas import SchemaFetcher, SchemaFetchError

__all__ = [
    "AddressGuard",
    "Outcome",
    "ProbeSettingsError",
    "ProbeStats",
    "Refused",
    "ResolveError",
    "SchemaFetchError",
    "SchemaFetcher",
    "address_problem",
    "check_settings",
    "dispatch",
    "findings_for",
    "probe_result",
    "probe_urls",
    "url_identity",
]
