"""The schema, read for a person at the cursor: which field it is on, what the schema
says of that field, which fields and values may be written there.

The front matter being typed is often not YAML yet (half a key, a missing colon),
so where the cursor stands is worked out from the lines themselves: block
mappings and ``- `` sequences by their indentation, as they are written in
articles. Flow collections (``{name: X}``) are not looked into.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from feedlint.fixing import yaml_scalar
from feedlint.schema import describe

#: Schemas reached through at most this many ``$ref``s in a row (a cycle ends there).
_MAX_REFS = 20


@dataclass(frozen=True)
class Place:
    """Where the cursor is, as a path of keys and list indexes from the top.

    ``key`` is the field whose value the cursor is in (None: the cursor is where a
    key is written, in the mapping at ``path``); ``prefix`` what is typed so far.
    """

    path: tuple[str | int, ...]
    key: str | None
    prefix: str
    #: Keys the mapping at ``path`` already has (left out of the completions).
    present: frozenset[str] = frozenset()


# -- the schema -----------------------------------------------------------------


def _resolve(schema: Any, root: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """``schema`` and what it is made of: local ``$ref``s followed, ``allOf``,
    ``anyOf`` and ``oneOf`` opened (a field any of them allows is allowed)."""
    if not isinstance(schema, dict) or depth > _MAX_REFS:
        return
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#"):
        target: Any = root
        for token in ref[1:].split("/")[1:]:
            token = token.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, dict) else None
        yield from _resolve(target, root, depth + 1)
    yield schema
    for keyword in ("allOf", "anyOf", "oneOf"):
        parts = schema.get(keyword)
        if isinstance(parts, list):
            for part in parts:
                yield from _resolve(part, root, depth + 1)


def schemas_at(root: Any, path: tuple[str | int, ...]) -> list[dict[str, Any]]:
    """Every subschema that applies at ``path`` (a key's value, a list's item)."""
    current = list(_resolve(root, root))
    for token in path:
        following: list[dict[str, Any]] = []
        for schema in current:
            if isinstance(token, int):
                prefix = schema.get("prefixItems")
                if isinstance(prefix, list) and token < len(prefix):
                    following.extend(_resolve(prefix[token], root))
                elif isinstance(schema.get("items"), dict):
                    following.extend(_resolve(schema["items"], root))
                elif isinstance(schema.get("items"), list) and token < len(schema["items"]):
                    following.extend(_resolve(schema["items"][token], root))  # draft 4-7
                continue
            properties = schema.get("properties")
            if isinstance(properties, dict) and token in properties:
                following.extend(_resolve(properties[token], root))
                continue
            patterns = schema.get("patternProperties")
            if isinstance(patterns, dict):
                for pattern, sub in patterns.items():
                    try:
                        if re.search(pattern, token):
                            following.extend(_resolve(sub, root))
                    except re.error:
                        continue
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                following.extend(_resolve(extra, root))
        current = following
    return current


def field_doc(root: Any, path: tuple[str | int, ...]) -> str | None:
    """Markdown for the field at ``path``: its title, description, what it must be
    and whether it is required; None when the schema says nothing of it."""
    schemas = schemas_at(root, path)
    title = _first(schemas, "title")
    description = _first(schemas, "description")
    expected = next((e for e in (describe(s, root) for s in schemas) if e), "")
    values = enum_values(root, path)
    if not (title or description or expected or values):
        return None
    name = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path) or "(front matter)"
    name = name.replace(".[", "[")
    lines = [f"**{title}** `{name}`" if title else f"`{name}`"]
    if description:
        lines += ["", description]
    facts = []
    if expected:
        facts.append(f"Must be {expected}.")
    if values and not all(isinstance(v, bool) for v in values):
        facts.append("One of " + ", ".join(f"`{yaml_scalar(v)}`" for v in values) + ".")
    if path and isinstance(path[-1], str) and _required(root, path[:-1], path[-1]):
        facts.append("Required.")
    if facts:
        lines += ["", " ".join(facts)]
    return "\n".join(lines)


def keys_allowed(root: Any, path: tuple[str | int, ...]) -> dict[str, dict[str, Any]]:
    """The keys the schema names for the mapping at ``path``, each with its schema
    (the first one that names it)."""
    found: dict[str, dict[str, Any]] = {}
    for schema in schemas_at(root, path):
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                if isinstance(name, str) and name not in found:
                    found[name] = sub if isinstance(sub, dict) else {}
    return found


def enum_values(root: Any, path: tuple[str | int, ...]) -> list[Any]:
    """The values the schema lists for the field at ``path`` (``enum``, ``const``, or
    the two booleans), in the schema's order."""
    values: list[Any] = []
    for schema in schemas_at(root, path):
        listed = schema.get("enum")
        if isinstance(listed, list):
            values.extend(v for v in listed if v not in values)
        if "const" in schema and schema["const"] not in values:
            values.append(schema["const"])
        if schema.get("type") == "boolean":
            values.extend(v for v in (True, False) if v not in values)
    return values


def _required(root: Any, path: tuple[str | int, ...], key: str) -> bool:
    return any(key in (s.get("required") or ()) for s in schemas_at(root, path))


def _first(schemas: list[dict[str, Any]], keyword: str) -> str:
    return next((str(s[keyword]) for s in schemas if isinstance(s.get(keyword), str)), "")


# -- the cursor ------------------------------------------------------------------

#: ``key:`` (and what follows) after any ``- ``: the key is plain or quoted.
_KEY = re.compile(
    r"(?P<key>'[^']*'|\"[^\"]*\"|[^\s#:'\"\[\]{},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)"
    r"[ \t]*:(?=[ \t]|$)[ \t]*(?P<rest>.*)$"
)


@dataclass
class _Open:
    """A container open at a column: a key whose value is a block below it, or a list
    item."""

    column: int
    token: str | int
    #: A key with a value on its own line (a scalar): it holds nothing below it.
    closed: bool = False


def _frames(text: str) -> tuple[list[int], int, str | None, str]:
    """The columns of a line's ``- `` marks, the column after them, its key (if it
    is ``key:``) and what follows the colon."""
    dashes = []
    at = len(text) - len(text.lstrip(" "))
    while text.startswith("-", at) and (at + 1 == len(text) or text[at + 1] in " \t"):
        dashes.append(at)
        at += 1
        while at < len(text) and text[at] in " \t":
            at += 1
    match = _KEY.match(text, at)
    if match is None:
        return dashes, at, None, text[at:]
    key = match["key"].strip()
    if key[:1] in ("'", '"') and key[-1:] == key[:1] and len(key) > 1:
        key = key[1:-1]
    return dashes, at, key, match["rest"]


def _step(stack: list[_Open], dashes: list[int], column: int) -> None:
    """Close what a line starting at its first ``- `` (or ``column``) ends, and open
    its list items."""
    start = dashes[0] if dashes else column
    previous_item: int | None = None
    while stack:
        top = stack[-1]
        if top.column > start:
            stack.pop()
            continue
        if top.column == start:
            if isinstance(top.token, int):
                if dashes:
                    previous_item = top.token
                stack.pop()
                if dashes:
                    break
                continue
            if not (dashes and not top.closed):  # a list under a key at its own indentation
                stack.pop()
                continue
        break
    for number, dash in enumerate(dashes):
        index = previous_item + 1 if number == 0 and previous_item is not None else 0
        stack.append(_Open(dash, index))


def _path(stack: list[_Open]) -> tuple[str | int, ...]:
    return tuple(o.token for o in stack)


def place_at(lines: list[str], first: int, last: int, line: int, column: int) -> Place | None:
    """Where the cursor at ``line`` (0-based), ``column`` (code points) stands in the
    front matter held by lines ``first`` to ``last`` (exclusive); None where
    nothing can be offered (a comment, a flow collection, a block scalar's text)."""
    stack: list[_Open] = []
    keys: dict[tuple[str | int, ...], set[str]] = {}
    place: Place | None = None
    block_scalar: int | None = None  # the column a block scalar's text must pass
    for number in range(first, last):
        text = lines[number].rstrip("\r")
        if number == line:
            typed = text[:column]
            if (block_scalar is not None and typed.strip()
                    and len(typed) - len(typed.lstrip(" ")) > block_scalar):
                return None  # a block scalar's text
            dashes, at, key, rest = _frames(typed)
            if "#" in typed[at:] and key is None:
                return None
            _step(stack, dashes, at)
            if key is None:
                if typed[at:].strip(" ") and not re.fullmatch(r"[^\s:#'\"{}\[\],]*", typed[at:]):
                    return None
                place = Place(_path(stack), None, typed[at:])
                cursor_path = _path(stack)
                # Its own key (the rest of the line) is not one already there.
                whole = _frames(text)[2]
                keys.setdefault(cursor_path, set())
                stack.append(_Open(at, whole or "", closed=True))
                if whole:
                    keys.setdefault(("",) + cursor_path, set()).add(whole)
                continue
            if "#" in rest or rest.lstrip().startswith(("{", "[", "|", ">", "&", "*", "!")):
                return None
            place = Place(_path(stack), key, rest.strip().strip("'\""))
            stack.append(_Open(at, key, closed=True))
            continue
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = len(text) - len(text.lstrip(" "))
        if block_scalar is not None:
            if indent > block_scalar:
                continue
            block_scalar = None
        dashes, at, key, rest = _frames(text)
        _step(stack, dashes, at)
        if key is None:
            continue
        keys.setdefault(_path(stack), set()).add(key)
        value = rest.split(" #", 1)[0].strip()
        if value[:1] in ("|", ">"):
            block_scalar = at
        stack.append(_Open(at, key, closed=bool(value)))
    if place is None:
        return None
    present = set(keys.get(place.path, set()))
    present -= keys.get(("",) + place.path, set())
    return Place(place.path, place.key, place.prefix, frozenset(present))


def field_under(lines: list[str], first: int, last: int, line: int, column: int
                ) -> tuple[str | int, ...] | None:
    """The path of the field whose key or value the cursor is on, read from the lines
    (for front matter that does not parse yet); None elsewhere."""
    if not first <= line < last:
        return None
    text = lines[line].rstrip("\r")
    _, at, key, _ = _frames(text)
    if key is None:
        return None
    colon = text.find(":", at)
    place = place_at(lines, first, last, line, colon if column <= colon else column)
    if place is None:
        return None
    if place.key is not None:
        return (*place.path, place.key)
    return (*place.path, key)
