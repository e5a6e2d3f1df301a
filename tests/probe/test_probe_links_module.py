"""What the links module collects: every URL field, with its place, on --probe runs only."""

from __future__ import annotations

from feedlint.engine import Linter
from feedlint.settings import Settings
from tests.conftest import SAMPLE


def links(settings: Settings, text: bytes) -> list:
    return Linter(settings).lint_bytes("a.md", text).facts.get("links", [])


def test_sample_urls_are_collected_with_their_places() -> None:
    places = links(Settings(probe=True), SAMPLE.read_bytes())
    pointers = [(pointer, image) for _, pointer, image, _, _ in places]
    assert pointers == [
        ("/webUrl", False),
        ("/originalUrl", False),
        ("/images/0/url", True),
        ("/related/0/webUrl", False),
        ("/related/0/ampWebUrl", False),
        ("/related/0/cdnAmpWebUrl", False),
        ("/related/0/images/0/url", True),
        ("/related/1/webUrl", False),
        ("/related/1/images/0/url", True),
        ("/related/2/webUrl", False),
        ("/related/2/images/0/url", True),
        ("/related/3/webUrl", False),
    ]
    url, _, _, span, declared = places[2]
    assert url == "https://techstory.in/wp-content/uploads/2023/08/facial-recognition-crop.jpg"
    assert span == (22, 10, 22, 87)  # the quoted value
    assert declared == (800, 492)


def test_nothing_is_collected_without_probe() -> None:
    assert links(Settings(), SAMPLE.read_bytes()) == []


def test_values_the_schema_rejected_are_left_out() -> None:
    text = (
        b"---\ntitle: x\npublishedDateTime: 2023-08-07T08:11:00Z\nwebUrl: not a url\n"
        b"provider: {name: a, domain: example.com}\n"
        b"images:\n  - url: https://example.com/a.png\n    width: \"800\"\n    height: 600\n---\n"
    )
    places = links(Settings(probe=True), text)
    assert [(p[1], p[4]) for p in places] == [("/images/0/url", None)]


def test_probe_settings_are_checked_before_any_request() -> None:
    import dataclasses
    import re

    import pytest

    from feedlint.probe import ProbeSettingsError, check_settings

    base = Settings(probe=True)
    assert check_settings(base) == []
    for change, message in [
        ({"probe_retries": -1}, "probe_retries must not be negative"),
        ({"probe_per_host": 0}, "probe_per_host must be at least 1"),
        ({"probe_timeout": 0}, "probe_timeout must be more than 0 seconds"),
        ({"probe_allow_networks": ("10.0.0.0/33",)}, "probe_allow_networks"),
        ({"probe_exclude": ("[",)}, "probe_exclude pattern '[' is invalid"),
    ]:
        with pytest.raises(ProbeSettingsError, match=re.escape(message)):
            check_settings(dataclasses.replace(base, **change))
