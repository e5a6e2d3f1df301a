"""The usual URL is read in one match, exactly as the general path (urlsplit) reads it."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from feedlint import weburl

#: Pieces a URL is made of, the awkward ones included.
PIECES = [
    "https://", "http://", "HTTPS://", "HtTp://", "http\u017f://", "httpx://", "//", ":",
    "@", "user:pw@", "[::1]", "[", "]", "?", "#", "x.com", "www.example.co.uk",
    "b\u00fccher.ch", "xn--bcher-kva.ch", ":80", ":443", ":0", ":65535", ":65536", ":99999",
    ":ab", ":8:9", "/p", "/p\u00e4", "?q=1", "?a?b", "#f", "#a#b?c", "..", "a", "%41",
    "\uff1a", "\uff0f", "\u2100", "\u200b", " ", "\t", "",
]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=7).map("".join))
def test_the_usual_path_reads_what_urlsplit_reads(text: str) -> None:
    assume(weburl._BAD_CHAR.search(text) is None)  # rejected before either path
    usual = weburl._usual_parts(text)
    if usual is not None:
        assert usual == weburl._other_parts(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://www.example.com/a/b?x=1&y=2#top",
        "HTTP://WWW.Example.COM",
        "https://x.com:8080?q",
        "https://x.com:/p",
        "https://x.com#?",
        "https://x.com/p\u00e4th?q=\u00fc#\u00df",
        "https:///nohost",
    ],
)
def test_usual_urls_take_the_usual_path(text: str) -> None:
    usual = weburl._usual_parts(text)
    assert usual is not None
    assert usual == weburl._other_parts(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://b\u00fccher.ch/",  # urlsplit checks a non-ASCII host
        "http\u017f://x.com/",  # not "https": the long s only folds to s outside ASCII
        "https://x.com:65536/",
        "https://x.com:8:9/",
        "https://u@x.com/",
        "https://[::1]/",
        "ftp://x.com/",
    ],
)
def test_other_urls_take_the_general_path(text: str) -> None:
    assert weburl._usual_parts(text) is None


def test_printable_ascii_without_a_space_holds_no_bad_character() -> None:
    """The shortcut that skips the bad-character pattern skips nothing it would find."""
    for code in range(128):
        char = chr(code)
        shortcut_clean = char.isprintable() and char != " "
        assert shortcut_clean == (weburl._BAD_CHAR.search(char) is None), hex(code)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab=&%+2C;?#\u00fc ", max_size=20))
def test_image_query_pairs_are_parse_qsl_s(query: str) -> None:
    from urllib.parse import parse_qsl

    from feedlint.rules.images import query_pairs

    assert query_pairs(query) == parse_qsl(query, keep_blank_values=True)
