"""FL5xx (secured): the ``secured`` field is ``<base64 ciphertext>;<base64 IV>``.

Both parts are canonical standard base64 (``+`` and ``/``, ``=`` padding, no
white space): ``base64.b64decode(part, validate=True)`` succeeds and encoding
the bytes again gives back the same text. The ciphertext is a non-empty whole
number of 16-byte AES blocks and the IV exactly 16 bytes (AES-CBC). Nothing
is decrypted: there is no key, so only the form is checked.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable

from feedlint.diagnostics import Finding, Fix
from feedlint.document import Article
from feedlint.rules._base import Rule, RuleContext, RuleModule
from feedlint.rules._fields import text_value

#: AES block size, and so the IV's size, in bytes.
BLOCK = 16

_VALID = "h7s7Phrd5pI5rpDLQGSeFw==;8QbwxRpe+3tE8W7ccPyotQ=="

#: Each code by its own name, for the modules that raise it.
FL501 = "FL501"
FL502 = "FL502"

#: Where the rules' ground comes from (``Rule.references``).
_BASE64 = "RFC 4648, section 4: Base 64 Encoding <https://www.rfc-editor.org/rfc/rfc4648#section-4>"
_CBC = "NIST SP 800-38A, Recommendation for Block Cipher Modes of Operation (CBC)"

RULES = (
    Rule(
        code=FL501,
        name="secured-malformed",
        summary="secured is not two canonical base64 parts joined by ';'",
        what="`secured` must be exactly `<ciphertext>;<iv>`: one `;`, each side standard "
        "base64 (`A-Z a-z 0-9 + /`, `=` padding only at the end, the right amount of it), "
        "canonical (encoding the decoded bytes gives the same text), and no white space. "
        "The message says which part is wrong and how: a missing or extra `;`, an empty "
        "part, white space, a character outside the alphabet, the URL-safe alphabet "
        "(`-`, `_`), missing or extra padding, or a non-canonical last character.",
        why="The consumer splits the value at `;` and base64-decodes both halves before "
        "decrypting; any of these breaks the article for it, often silently.",
        example=f'secured: "{_VALID.replace("+", "-")}"\n',
        fixed=f'secured: "{_VALID}"\n',
        fix="Removes white space from secured (a value wrapped over lines, or a pasted "
        "space). Other problems need the original value.",
        references=(_BASE64,),
    ),
    Rule(
        code=FL502,
        name="secured-wrong-size",
        summary="secured's ciphertext is not whole AES blocks, or its IV is not 16 bytes",
        what="The first part of `secured` must decode to a non-empty multiple of 16 bytes "
        "(an AES-CBC ciphertext), the second to exactly 16 bytes (its IV).",
        why="A truncated or padded ciphertext or IV cannot be decrypted; it usually means "
        "the value was cut when it was copied.",
        example='secured: "h7s7Phrd5pI5rpDLQGSe;8QbwxRpe+3tE8W7ccPyotQ=="\n',
        fixed=f'secured: "{_VALID}"\n',
        references=(_BASE64, _CBC),
    ),
)

_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=]")


def _describe(char: str) -> str:
    return repr(char) if char.isprintable() else f"U+{ord(char):04X}"


def _encoded_length(size: int) -> int:
    """How many base64 characters, padding left out, ``size`` bytes encode to."""
    return (4 * size + 2) // 3


def _lengths(name: str, count: int) -> list[int]:
    """The lengths (padding left out) a right part has, up to past ``count``: whole
    AES blocks for the ciphertext, one block for the IV."""
    if name.startswith("IV"):
        return [_encoded_length(BLOCK)]
    blocks = count // _encoded_length(BLOCK) + 2
    return [_encoded_length(BLOCK * k) for k in range(1, blocks + 1)]


def _length_cause(part: str, name: str) -> str | None:
    """Why a part that is not whole base64 has the length it has, when that says
    more than its padding does: characters lost from its end or inside it, or
    added; None when its length is one a right part has."""
    data = part.rstrip("=")
    count = len(data)
    lengths = _lengths(name, count)
    if count in lengths:
        return None
    target = min(lengths, key=lambda length: (abs(length - count), length))
    missing = target - count
    padding = "=" * ((-target) % 4)
    if 0 < missing <= 3:
        chars = "1 character" if missing == 1 else f"{missing} characters"
        if part.endswith("=") or not padding:
            return (
                f"the {name} is {chars} short of {target} base64 characters"
                f"{' and ' + repr(padding) if padding else ''}, the length of "
                f"{_size_words(name, target)}: {chars} went missing inside it (its end "
                "is whole); copy the value again from its source"
            )
        return (
            f"the {name} looks cut short: {chars} and the padding {padding!r} are missing "
            f"from its end ({_size_words(name, target)} is {target} base64 characters and "
            f"{padding!r}); copy the value again from its source"
        )
    if 0 < -missing <= 3:
        chars = "1 character" if missing == -1 else f"{-missing} characters"
        return (
            f"the {name} has {chars} more than the {target} base64 characters of "
            f"{_size_words(name, target)}: something was pasted into it or added to its "
            "end; copy the value again from its source"
        )
    return None


def _size_words(name: str, length: int) -> str:
    size = length * 3 // 4
    if name.startswith("IV"):
        return f"a {size}-byte IV"
    blocks = size // BLOCK
    return f"{blocks} AES block{'s' if blocks > 1 else ''} ({size} bytes)"


def base64_problem(part: str, name: str) -> str | None:
    """Why ``part`` is not canonical standard base64, or None (``name`` says which part).

    The likely cause comes first: the URL-safe alphabet, a character that is not
    base64, characters lost or added (judged by the length a right part has),
    then the padding and the last character.
    """
    if not part:
        return f"the {name} is empty"
    url_safe = part.replace("-", "").replace("_", "")
    if url_safe != part and not _NOT_BASE64.search(url_safe):
        standard = part.replace("-", "+").replace("_", "/")
        data = standard.rstrip("=")
        unpadded = "=" not in standard and len(data) % 4 > 1
        return (
            f"the {name} uses the URL-safe base64 alphabet ('-' and '_'); secured uses the "
            "standard alphabet: write '+' for '-' and '/' for '_'"
            + (
                f", and end it with the padding {'=' * ((-len(data)) % 4)!r}"
                if unpadded else ""
            )
        )
    bad = _NOT_BASE64.search(part)
    if bad is not None:
        return (
            f"the {name} holds {_describe(bad.group())} at character {bad.start() + 1}, "
            "which is not a base64 character"
        )
    data = part.rstrip("=")
    if "=" in data:
        return f"the {name} has '=' inside it; '=' may only pad the end"
    if not _is_whole(part):
        cause = _length_cause(part, name)
        if cause is not None:
            return cause
    if len(data) % 4 == 1:
        return (
            f"the {name} has {len(data)} base64 characters, a number no bytes encode to: "
            "a character is missing or extra"
        )
    padding, needed = len(part) - len(data), (-len(data)) % 4
    if padding < needed:
        return f"the {name} lacks its padding: it must end with {'=' * needed!r}"
    if padding > needed:
        if needed:
            return f"the {name} has too much padding: it must end with {'=' * needed!r}"
        return f"the {name} has padding it does not need: remove the trailing '='"
    try:
        decoded = base64.b64decode(part, validate=True)
    except (binascii.Error, ValueError) as err:  # pragma: no cover - covered by the above
        return f"the {name} is not valid base64 ({err})"
    canonical = base64.b64encode(decoded).decode("ascii")
    if canonical != part:
        return (
            f"the {name} is not canonical base64: its last character {data[-1]!r} carries "
            f"bits that no byte uses (the canonical text ends in {canonical.rstrip('=')[-1]!r})"
        )
    return None


def _is_whole(part: str) -> bool:
    """Whether ``part`` (base64 characters only) is canonical base64."""
    try:
        decoded = base64.b64decode(part, validate=True)
    except (binascii.Error, ValueError):
        return False
    return base64.b64encode(decoded).decode("ascii") == part


def check(article: Article, context: RuleContext) -> Iterable[Finding]:
    value = text_value(article.data, "secured", "/secured", context)
    if value is None:
        return
    pointer = "/secured"
    squeezed = "".join(value.split())
    if squeezed != value:
        where = next(i for i, c in enumerate(value) if c.isspace())
        kind = "a line break" if value[where] in "\r\n" else "white space"
        message = f"secured holds {kind} at character {where + 1}; base64 has none: remove it"
        span = article.source.nodes.get(pointer)
        written = article.text[span[2] : span[3]] if span is not None and span[2] >= 0 else ""
        if "\n" in written.strip():
            lines = written.strip().count("\n") + 1
            message = (
                f"secured is wrapped over {lines} lines, which YAML joins with white space "
                f"(at character {where + 1}); base64 has none: write the value on one line"
            )
        yield Finding(
            "FL501",
            message,
            pointer,
            fix=Fix(pointer, squeezed, "remove the white space from secured"),
        )
        value = squeezed
        if not value:
            return
    separators = value.count(";")
    if separators != 1:
        if separators == 0:
            message = (
                "secured has no ';': it must be the ciphertext and the IV, both base64, "
                "joined by one ';'"
            )
        else:
            message = (
                f"secured has {separators} ';' where exactly one separates the ciphertext "
                "from the IV"
            )
        yield Finding("FL501", message, pointer)
        return
    ciphertext, iv = value.split(";")
    for part, name in ((ciphertext, "ciphertext (before ';')"), (iv, "IV (after ';')")):
        problem = base64_problem(part, name)
        if problem is not None:
            yield Finding("FL501", f"secured: {problem}", pointer)
            continue
        size = len(base64.b64decode(part))
        if name.startswith("ciphertext") and size % BLOCK:
            yield Finding(
                "FL502",
                f"secured: the ciphertext decodes to {size} bytes, not a whole number of "
                f"{BLOCK}-byte AES blocks; was it cut short?",
                pointer,
            )
        elif name.startswith("IV") and size != BLOCK:
            yield Finding(
                "FL502",
                f"secured: the IV decodes to {size} bytes; an AES-CBC IV is exactly {BLOCK}",
                pointer,
            )


MODULE = RuleModule(name="secured", rules=RULES, check=check)
