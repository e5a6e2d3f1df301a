"""Host names: their ASCII form and their registrable domain by the Public Suffix List.

"Parent domain" in feedlint means a registrable domain or a subdomain of one:
``bbc.co.uk`` and ``www.bbc.co.uk`` are domains a publisher can own, ``co.uk``
is a public suffix shared by every British company. The list comes from the
``publicsuffixlist`` package, which bundles it (nothing is downloaded at run
time); it is read the first time a rule needs it, so runs that never look at a
host do not pay for it, and searched as it is written (about a millisecond)
rather than parsed the library's way (about 50 ms).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList


#: A host of plain letter-digit-hyphen labels (the fast path; others are checked label by label).
_PLAIN_NAME = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*")


def _has_control(text: str) -> bool:
    import unicodedata

    return any(unicodedata.category(c).startswith("C") for c in text)


class HostError(ValueError):
    """A host name that no DNS name or IP address can be; ``str()`` says why."""


@cache
def _suffix_list() -> PublicSuffixList:
    """The library's matcher, asking its questions of the bundled list's text.

    Parsing the list the library's way takes about 50 ms, most of it spent
    IDNA-encoding each of its 10,000 rules, and every process would pay it (a
    one-file pre-commit run too). The text read as it is answers the same
    questions (see :class:`_SuffixRules`) for about 4 ms, reading it and building
    the set of its lines. Should the bundled file ever not be plain lines of
    rules, the library parses it.
    """
    import publicsuffixlist
    from publicsuffixlist import PublicSuffixList

    try:
        with open(publicsuffixlist.PSLFILE, "rb") as handle:
            # Decoded as the library decodes each line.
            text = handle.read().decode("utf-8", "surrogateescape")
        if "\r" not in text:
            loaded = PublicSuffixList.__new__(PublicSuffixList)
            loaded.__dict__.update(
                _publicsuffix=_SuffixRules(text), _maxlabel=_MAX_LABELS, accept_unknown=True
            )
            if loaded.privatesuffix("www.bbc.co.uk") == "bbc.co.uk":
                return loaded
    except Exception:  # noqa: BLE001, S110 - another release of the library: parse it
        pass
    return PublicSuffixList()


#: The most labels a host name can have (253 characters). The library starts its
#: search at the longest rule's label count plus one; starting higher only asks
#: about suffixes no rule can match, so the answers are the same.
_MAX_LABELS = 127


class _SuffixRules:
    """The Public Suffix List's rules, asked ``rule in rules`` as the library asks
    the set it parses them into.

    That set holds each rule as written (comments and blank lines left out) and,
    for an internationalized rule (``*.公司.cn``), its IDNA form too
    (``*.xn--55qx5d.cn``). Here the rules are the file's own lines, and a question
    in punycode is decoded to Unicode, looked for as written, and the rule found
    encoded back the library's way, which must give the question again. A test
    asks both about every rule of the list.

    The set of the text's lines is built at the first question (about 2.4 ms):
    an article asks about its hosts some 30 to 50 times, and a search of the
    text for each would cost about 0.1 ms.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._set: frozenset[str] | None = None

    def __contains__(self, rule: object) -> bool:
        if not isinstance(rule, str) or not rule or "\n" in rule or rule.startswith("//"):
            return False
        if self._written(rule):
            return True
        if "xn--" not in rule or not rule.isascii():
            return False
        exception = rule.startswith("!")
        encoded = rule[1:] if exception else rule
        labels = []
        for label in encoded.split("."):
            if label.startswith("xn--"):
                try:
                    label = label[4:].encode("ascii").decode("punycode")
                except (UnicodeError, ValueError):
                    return False
            labels.append(label)
        written = ".".join(labels)
        if written == encoded or not self._written("!" * exception + written):
            return False
        try:
            return written.encode("idna").decode("ascii") == encoded
        except UnicodeError:
            return False

    def _written(self, rule: str) -> bool:
        """Whether ``rule`` is a line of the list."""
        if self._set is None:
            self._set = frozenset(self._text.split("\n"))
        return rule in self._set


def _label_problem(label: str) -> str | None:
    if not label:
        return "has an empty label (two dots in a row, or a dot at the start)"
    if len(label) > 63:
        return f"has a label of {len(label)} characters; DNS allows at most 63"
    for char in label:
        if not (char.isascii() and (char.isalnum() or char == "-")):
            shown = char if char.isprintable() else f"U+{ord(char):04X}"
            return f"holds {shown!r}, which a host name cannot contain"
    if label[0] == "-" or label[-1] == "-":
        return f"has the label {label!r}, which starts or ends with a hyphen"
    if label.startswith("xn--"):
        try:
            decoded = label[4:].encode("ascii").decode("punycode")
        except (UnicodeError, ValueError):
            decoded = ""
        if (
            decoded.isascii()
            or decoded.encode("punycode").decode("ascii") != label[4:]
            or _has_control(decoded)
        ):
            return f"has the label {label!r}, which is not valid punycode"
    return None


@lru_cache(maxsize=8192)
def ascii_host(host: str) -> str:
    """The lowercase ASCII form of a host name (IDN labels in punycode), checked.

    A trailing dot (the DNS root) is dropped. IP addresses are returned as
    written (IPv6 without brackets). Raises :class:`HostError` with the reason
    when ``host`` is not a valid host name.
    """
    if host.startswith("[") and host.endswith("]"):
        import ipaddress

        try:
            return str(ipaddress.IPv6Address(host[1:-1]))
        except ValueError as err:
            raise HostError(f"is not a valid IPv6 address ({err})") from None
    name = host.lower()
    if name.endswith(".") and len(name) > 1:
        name = name[:-1]
    if not name:
        raise HostError("is empty")
    if not name.isascii():
        import encodings.idna

        labels = []
        for label in name.split("."):
            if label.isascii():
                labels.append(label)
                continue
            try:
                labels.append(encodings.idna.ToASCII(label).decode("ascii").lower())
            except UnicodeError:
                raise HostError(
                    f"has the label {label!r}, which is not a valid internationalized name"
                ) from None
        name = ".".join(labels)
    last = name.rsplit(".", 1)[-1]
    if last.isdigit():
        import ipaddress

        try:
            return str(ipaddress.IPv4Address(name))
        except ValueError:
            raise HostError("is not a valid IPv4 address") from None
    if len(name) > 253:
        raise HostError(f"is {len(name)} characters long; DNS allows at most 253")
    if _PLAIN_NAME.fullmatch(name) and "xn--" not in name:
        return name
    for label in name.split("."):
        problem = _label_problem(label)
        if problem:
            raise HostError(problem)
    return name


def is_ip(host: str) -> bool:
    """True for an IPv4 or IPv6 address (as :func:`ascii_host` returns them)."""
    return ":" in host or host.rsplit(".", 1)[-1].isdigit()


@lru_cache(maxsize=8192)
def registrable_domain(host: str) -> str | None:
    """The registrable domain of an ASCII host (``www.bbc.co.uk`` -> ``bbc.co.uk``).

    None for a public suffix itself (``co.uk``) and for IP addresses.
    """
    if is_ip(host):
        return None
    found: str | None = _suffix_list().privatesuffix(host)
    return found


def is_public_suffix(domain: str) -> bool:
    """True when ``domain`` (ASCII) is a public suffix: no one can register it as a site."""
    return not is_ip(domain) and registrable_domain(domain) is None


def same_site(host_a: str, host_b: str) -> bool:
    """Whether two ASCII hosts share a registrable domain (or, without one, are equal)."""
    if host_a == host_b:
        return True
    site_a = registrable_domain(host_a)
    return site_a is not None and site_a == registrable_domain(host_b)


def is_within(host: str, domain: str) -> bool:
    """``host`` is ``domain`` or a subdomain of it, at a label boundary."""
    return host == domain or host.endswith("." + domain)


__all__ = [
    "HostError",
    "ascii_host",
    "is_ip",
    "is_public_suffix",
    "is_within",
    "registrable_domain",
    "same_site",
]
