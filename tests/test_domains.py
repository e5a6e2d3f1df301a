"""The Public Suffix List searched as written answers as the library's parsed list does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from publicsuffixlist import PSLFILE, PublicSuffixList

from feedlint import domains


@pytest.fixture(scope="module")
def library() -> PublicSuffixList:
    return PublicSuffixList()


def _bundled_text() -> str:
    with open(PSLFILE, "rb") as handle:
        return handle.read().decode("utf-8", "surrogateescape")


def _rules(library: PublicSuffixList) -> frozenset[str]:
    rules: frozenset[str] = library._publicsuffix  # noqa: SLF001 - what is compared
    return rules


def _near_misses(rule: str) -> Iterator[str]:
    """Questions about a rule that may or may not be rules themselves."""
    yield "a." + rule
    yield rule.split(".", 1)[-1]
    yield "!" + rule.lstrip("!")
    yield "*." + rule.lstrip("!")
    yield rule + "x"


def test_every_rule_of_the_list_is_a_rule_to_the_text(library: PublicSuffixList) -> None:
    """Each rule the library parses (each rule as written, and the IDNA form of each
    internationalized one) is found among the text's lines."""
    rules = _rules(library)
    ours = domains._SuffixRules(_bundled_text())
    assert sorted(rule for rule in rules if rule not in ours) == []
    assert sum(not rule.isascii() for rule in rules) > 100  # the IDN rules were asked about
    # What the library left out is not a rule either.
    for question in ("", "// ===BEGIN ICANN DOMAINS===", "\n", "com\nnet", None):
        assert question not in ours


def test_what_is_not_a_rule_is_not_one_to_the_text(library: PublicSuffixList) -> None:
    rules = _rules(library)
    questions = {question for rule in rules for question in _near_misses(rule)}
    questions |= {"xn--", "xn--zz.jp", "!xn--", "a.xn--a-.com", "xn--bcher-KVA.ch"}
    ours = domains._SuffixRules(_bundled_text())
    wrong = [q for q in questions if (q in ours) != (q in rules)]
    assert wrong == []


def _hosts(rule: str) -> Iterator[str]:
    """Hosts a rule decides: itself, a registrable name under it, a subdomain of
    that, each in Unicode and in its ASCII form (the form feedlint asks about)."""
    name = rule.lstrip("!").replace("*", "w")
    for host in (name, f"www.{name}", f"a.b.{name}"):
        yield host
        if not host.isascii():
            yield host.encode("idna").decode("ascii")


def test_the_registrable_domain_of_every_rule_is_the_library_s(
    library: PublicSuffixList,
) -> None:
    domains._suffix_list.cache_clear()
    try:
        ours = domains._suffix_list()
        assert isinstance(ours._publicsuffix, domains._SuffixRules)  # noqa: SLF001
        rules = sorted(rule for rule in _rules(library))
        wrong = [
            host
            for rule in rules
            for host in _hosts(rule)
            if ours.privatesuffix(host) != library.privatesuffix(host)
            or ours.publicsuffix(host) != library.publicsuffix(host)
        ]
        assert wrong == []
    finally:
        domains._suffix_list.cache_clear()


def test_internationalized_wildcards_and_exceptions() -> None:
    """The bundled list has no internationalized wildcard or exception rule: a list
    that does is answered as the library answers it, in Unicode and in punycode."""
    text = (
        "// a list of our own\n"
        "ü.example\n*.bücher.example\n!www.bücher.example\nxn--already-ascii.example\n"
        "公司.cn\n*.kobe.jp\n!city.kobe.jp\nck\n*.ck\n!www.ck\n"
    )
    library = PublicSuffixList(source=text)
    ours = PublicSuffixList.__new__(PublicSuffixList)
    ours.__dict__.update(
        _publicsuffix=domains._SuffixRules(text),
        _maxlabel=domains._MAX_LABELS,
        accept_unknown=True,
    )
    hosts = [
        "a.ü.example", "ü.example", "x.a.bücher.example", "a.bücher.example",
        "www.bücher.example", "x.www.bücher.example", "bücher.example",
        "a.xn--already-ascii.example", "www.公司.cn", "公司.cn", "city.kobe.jp",
        "a.b.kobe.jp", "kobe.jp", "www.ck", "foo.www.ck", "a.b.ck", "example",
        "a.b.c.d.e.f.g.h.i.j", "localhost",
    ]
    hosts += [host.encode("idna").decode("ascii") for host in hosts if not host.isascii()]
    hosts += ["a.xn--tda.example", "a.xn--TDA.example", "a.xn--zzzz.example"]
    for host in hosts:
        assert ours.privatesuffix(host) == library.privatesuffix(host), host
        assert ours.publicsuffix(host) == library.publicsuffix(host), host
    # The punycode questions met the Unicode rules: the wildcard, and its exception.
    assert ours.privatesuffix("x.a.xn--bcher-kva.example") == "x.a.xn--bcher-kva.example"
    assert ours.privatesuffix("x.www.xn--bcher-kva.example") == "www.xn--bcher-kva.example"


def test_the_list_is_read_without_the_cache_folder(tmp_path: Path) -> None:
    """Whether or not a cache folder is in use, the list comes from the library's file,
    and nothing is kept in the folder for it."""
    from feedlint import cache

    for root in (str(tmp_path), None):
        cache.use_derived(root)
        domains._suffix_list.cache_clear()
        try:
            assert domains._suffix_list().privatesuffix("news.xn--bcher-kva.ch") == (
                "xn--bcher-kva.ch"
            )
        finally:
            cache.use_derived(None)
            domains._suffix_list.cache_clear()
    assert list(tmp_path.iterdir()) == []
