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
    ),
)

_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/=]")


def _describe(char: str) -> str:
    return repr(char) if char.isprintable() else f"U+{ord(char):04X}"


def base64_problem(part: str, name: str) -> str | None:
    """Why ``part`` is not canonical standard base64, or None (``name`` says which part)."""
    if not part:
        return f"the {name} is empty"
    url_safe = part.replace("-", "").replace("_", "")
    if url_safe != part and not _NOT_BASE64.search(url_safe):
        return (
            f"the {name} uses the URL-safe base64 alphabet ('-' and '_'); secured uses the "
            "standard alphabet, with '+' and '/'"
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


def check(article: Article, context: RuleContext) -> Iterable[Finding]:
    value = text_value(article.data, "secured", "/secured", context)
    if value is None:
        return
    pointer = "/secured"
    squeezed = "".join(value.split())
    if squeezed != value:
        where = next(i for i, c in enumerate(value) if c.isspace())
        kind = "a line break" if value[where] in "\r\n" else "white space"
        yield Finding(
            "FL501",
            f"secured holds {kind} at character {where + 1}; base64 has none: remove it",
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
