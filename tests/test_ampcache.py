"""The AMP Cache URL algorithm against every vector of amp-cache-url.md."""

from __future__ import annotations

import pytest

from feedlint.ampcache import AmpCacheError, ascii_host, cache_subdomain, cache_url

SUBDOMAIN_VECTORS = [
    ("example.com", "example-com"),
    ("foo-example.com", "foo--example-com"),
    ("hello--world.com", "hello----world-com"),
    ("SOMETHING.COM", "something-com"),
    ("xn--57hw060o.com", "xn---com-p33b41770a"),
    ("en-us.example.com", "0-en--us-example-com-0"),
    ("xn--bcher-kva.ch", "xn--bcher-ch-65a"),
    (
        "xn--4gbrim.xn----rmckbbajlc6dj7bxne2c.xn--wgbh1c",
        "xn-------i5fvcbaopc6fkc0de0d9jybegt6cd",
    ),
    (
        "hello.xn--4gbrim.xn----rmckbbajlc6dj7bxne2c.xn--wgbh1c",
        "a6h5moukddengbsjm77rvbosevwuduec2blkjva4223o4bgafgla",
    ),
    ("toplevelnohyphens", "qsgpfjzulvuaxb66z77vlhb5gu2irvcnyp6t67cz6tqo5ae6fysa"),
    ("no-dot-domain", "4lxc7wqq7b25walg4rdiil62veijrmqui5z3ept2lyfqqwpowryq"),
    (
        "itwasadarkandstormynight.therainfellintorrents.exceptatoccasionalintervalswhenit"
        "wascheckedby.aviolentgustofwindwhichsweptupthestreets.com",
        "dgz4cnrxufaulnwku4ow5biptyqnenjievjht56hd7wqinbdbteq",
    ),
]

URL_VECTORS = [
    ("https://www.example.com", "c", "https://www-example-com.cdn.ampproject.org/c/s/www.example.com"),
    (
        "http://www.example.com/index.html",
        "c",
        "https://www-example-com.cdn.ampproject.org/c/www.example.com/index.html",
    ),
    (
        "https://www.example.com/image.png",
        "i",
        "https://www-example-com.cdn.ampproject.org/i/s/www.example.com/image.png",
    ),
    (
        "https://example.com/g?value=Hello%20World",
        "c",
        "https://example-com.cdn.ampproject.org/c/s/example.com/g?value=Hello%20World",
    ),
    (
        "https://techcrunch.com/2023/08/07/chinas-draft-measures-demand-individual-consent-"
        "for-facial-recognition-use/amp/",
        "c",
        "https://techcrunch-com.cdn.ampproject.org/c/s/techcrunch.com/2023/08/07/chinas-"
        "draft-measures-demand-individual-consent-for-facial-recognition-use/amp/",
    ),
]


@pytest.mark.parametrize(
    ("host", "subdomain"), SUBDOMAIN_VECTORS, ids=[v[0][:40] for v in SUBDOMAIN_VECTORS]
)
def test_subdomain_vectors(host: str, subdomain: str) -> None:
    assert cache_subdomain(host) == subdomain


@pytest.mark.parametrize(
    ("url", "kind", "expected"), URL_VECTORS, ids=[v[0][:40] for v in URL_VECTORS]
)
def test_url_vectors(url: str, kind: str, expected: str) -> None:
    assert cache_url(url, kind) == expected


def test_fallback_is_52_lowercase_base32_characters() -> None:
    for host, subdomain in SUBDOMAIN_VECTORS[8:]:
        assert len(subdomain) == 52
        assert cache_subdomain(host) == subdomain
        assert set(subdomain) <= set("abcdefghijklmnopqrstuvwxyz234567")


def test_unicode_host_is_the_same_as_its_punycode() -> None:
    assert cache_subdomain("bücher.ch") == cache_subdomain("xn--bcher-kva.ch")
    assert cache_subdomain("BÜCHER.ch") == "xn--bcher-ch-65a"
    # The host in the path is the lowercase ASCII form.
    assert cache_url("https://Bücher.CH/a") == (
        "https://xn--bcher-ch-65a.cdn.ampproject.org/c/s/xn--bcher-kva.ch/a"
    )
    assert ascii_host("Bücher.ch") == "xn--bcher-kva.ch"


def test_mixed_scripts_hash_over_the_ascii_host() -> None:
    # Unicode and punycode spellings of a host that mixes scripts hash alike.
    unicode_host = "hello." + ".".join(
        label[4:].encode("ascii").decode("punycode")
        for label in ("xn--4gbrim", "xn----rmckbbajlc6dj7bxne2c", "xn--wgbh1c")
    )
    assert cache_subdomain(unicode_host) == SUBDOMAIN_VECTORS[8][1]


def test_port_stays_userinfo_and_fragment_go() -> None:
    assert cache_url("https://user:pw@Example.com:8080/a/b?q=1#frag") == (
        "https://example-com.cdn.ampproject.org/c/s/example.com:8080/a/b?q=1"
    )
    assert cache_url("http://example.com:80/") == (
        "https://example-com.cdn.ampproject.org/c/example.com:80/"
    )


def test_path_and_query_are_copied_as_written() -> None:
    assert cache_url("https://example.com/A%2fB/?x=%7E&y=Z") == (
        "https://example-com.cdn.ampproject.org/c/s/example.com/A%2fB/?x=%7E&y=Z"
    )
    assert cache_url("https://example.com/a?") == (
        "https://example-com.cdn.ampproject.org/c/s/example.com/a?"
    )


def test_step_4_wraps_only_hyphens_at_positions_3_and_4() -> None:
    # "ab--c..." would read as an IDN-style label ("xn--"): wrapped.
    assert cache_subdomain("ab-c.example.com") == "0-ab--c-example-com-0"
    assert cache_subdomain("abc-d.example.com") == "abc--d-example-com"
    assert cache_subdomain("a-b.com") == "a--b-com"


def test_long_result_falls_back_to_the_hash() -> None:
    host = "a" * 60 + ".com"  # 64 characters once the dot becomes a hyphen
    assert len(cache_subdomain(host)) == 52
    assert cache_subdomain("a" * 59 + ".com") == "a" * 59 + "-com"


@pytest.mark.parametrize("url", ["ftp://example.com/a", "https:///a", "mailto:a@example.com"])
def test_not_a_web_url_is_refused(url: str) -> None:
    with pytest.raises(AmpCacheError):
        cache_url(url)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        cache_url("https://example.com/", "x")
