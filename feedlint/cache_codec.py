"""What the result cache stores, as JSON that builds nothing but a closed set of types.

A cache entry holds one file's diagnostics, the facts its rule modules kept and
its ``noqa`` directives. Reading one back must never run code, whoever wrote the
file: so no pickle. Each value becomes JSON; a list, tuple, set, dict, bytes or
one of :data:`_TYPES` becomes an array whose first element names it::

    ["l", 1, 2]                 a list
    ["t", "a", ["b", "00ff"]]   a tuple of a string and bytes
    ["Span", 3, 1, 3, 9]        a feedlint.diagnostics.Span, its fields in order

Decoding calls only the constructors of those types (plain dataclasses, named
tuples and one enum), with decoded values. Anything else, or an array of the
wrong shape, raises :class:`ValueError`; so does encoding a type outside the set
(the file's result is then not cached). An entry is a record of such values, one
untagged array (:func:`dumps_fields`, :func:`loads_fields`).
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Callable
from typing import Any

#: Every type a cached result may hold: name -> (module, class). A module is imported
#: only to decode a value of its type (encoding meets types already imported).
_TYPES = {
    "Diagnostic": ("feedlint.diagnostics", "Diagnostic"),
    "Finding": ("feedlint.diagnostics", "Finding"),
    "Fix": ("feedlint.diagnostics", "Fix"),
    "Severity": ("feedlint.diagnostics", "Severity"),
    "Span": ("feedlint.diagnostics", "Span"),
    "OrderFact": ("feedlint.rules.dates", "OrderFact"),
    "UrlFact": ("feedlint.rules.duplicates", "UrlFact"),
    "Directive": ("feedlint.suppression", "Directive"),
    "Suppressor": ("feedlint.suppression", "Suppressor"),
}
_loaded: dict[str, type] = {}


def _type(name: str) -> type | None:
    """The class a tag names, or None for a tag outside the set."""
    found = _loaded.get(name)
    if found is None and name in _TYPES:
        import importlib

        module, attribute = _TYPES[name]
        found = _loaded[name] = getattr(importlib.import_module(module), attribute)
    return found


def _name(kind: type) -> str | None:
    """The tag of a class in the set, else None."""
    name = kind.__name__
    return name if _TYPES.get(name) == (kind.__module__, kind.__qualname__) else None


def _fields(kind: type) -> tuple[str, ...]:
    if dataclasses.is_dataclass(kind):
        return tuple(f.name for f in dataclasses.fields(kind))
    return tuple(kind._fields)  # type: ignore[attr-defined]  # a NamedTuple


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, str | bool | float):
        return value
    kind = type(value)
    if kind is int:
        return value
    if kind is list:
        return ["l", *map(_encode, value)]
    if kind is dict:
        out: list[Any] = ["d"]
        for key, item in value.items():
            out.append(_encode(key))
            out.append(_encode(item))
        return out
    if kind is bytes:
        return ["b", value.hex()]
    if kind is set or kind is frozenset:
        return ["s" if kind is set else "f", *map(_encode, value)]
    name = _name(kind)
    if name is None:
        if kind is tuple:
            return ["t", *map(_encode, value)]
        raise ValueError(f"cannot cache a value of type {kind.__qualname__}")
    if isinstance(value, enum.Enum):
        return [name, _encode(value.value)]
    return [name, *(_encode(getattr(value, f)) for f in _fields(kind))]


_BUILDERS: dict[str, Callable[[list[Any]], Any]] = {
    "l": lambda items: items,
    "t": tuple,
    "s": set,
    "f": frozenset,
}


#: What the decoder must look into; any other JSON value is a leaf, kept as it is.
_NESTED = (list, dict)
#: Tag -> (class, number of fields, is an enum), filled as tags are met.
_SHAPES: dict[str, tuple[type, int, bool]] = {}


def _decode(value: Any) -> Any:
    if type(value) is not list:
        raise ValueError("a JSON object is not a cached value")
    if not value or type(value[0]) is not str:
        raise ValueError("an untagged array")
    tag = value[0]
    if tag == "b":
        if len(value) != 2 or type(value[1]) is not str:
            raise ValueError("bad bytes")
        return bytes.fromhex(value[1])
    # Leaves (text, numbers, None) are most of an entry: kept without a call.
    items = [_decode(v) if type(v) in _NESTED else v for v in value[1:]]
    builder = _BUILDERS.get(tag)
    if builder is not None:
        return builder(items)
    if tag == "d":
        if len(items) % 2:
            raise ValueError("a dict with an odd number of items")
        return dict(zip(items[::2], items[1::2], strict=True))
    shape = _SHAPES.get(tag)
    if shape is None:
        kind = _type(tag)
        if kind is None:
            raise ValueError(f"unknown type {tag!r}")
        is_enum = issubclass(kind, enum.Enum)
        shape = _SHAPES[tag] = (kind, 1 if is_enum else len(_fields(kind)), is_enum)
    kind, arity, is_enum = shape
    if len(items) != arity:
        raise ValueError(f"{tag} takes {arity} fields, not {len(items)}")
    return kind(items[0]) if is_enum else kind(*items)


def dumps_fields(*fields: Any) -> bytes:
    """A record of ``fields`` as one untagged JSON array (its shape is the caller's to
    know): one level less to decode than a tuple."""
    tree = [_encode(field) for field in fields]
    return json.dumps(tree, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def loads_fields(data: bytes, count: int) -> list[Any]:
    """The ``count`` fields :func:`dumps_fields` made; ValueError for anything else."""
    try:
        tree = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise ValueError(str(err)) from err
    if type(tree) is not list or len(tree) != count:
        raise ValueError("not a record of that many fields")
    try:
        return [_decode(v) if type(v) in _NESTED else v for v in tree]
    except (TypeError, RecursionError, OverflowError) as err:
        raise ValueError(str(err)) from err
