"""Every ``$ref`` of a user's schema, resolved before any file is linted.

A reference is resolved against the schema's base URI: ``--base-uri`` when given,
else the schema's ``$id``, else where it was read from (its file, or its URL), as
check-jsonschema does. Other documents are read once, here:

- ``http(s)`` ones through ``fetch`` (feedlint.probe's guarded client and signed
  cache; None: a reference to one is an error);
- local files only for a schema that is itself a local file, and, for a
  configuration file's schema, only inside the configuration's folder
  (``inside``): a committed schema cannot have a file elsewhere read, and one
  fetched over the network cannot read any local file.

Whatever cannot be resolved is reported at once, one line naming the reference
and why. The documents found are kept, and the validator's registry is built of
them alone: linting never reads or fetches anything.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit


class UnresolvedReference(Exception):
    """A reference that cannot be resolved; the text says which one and why."""


class _Refused(Exception):
    pass


def _specifications() -> Any:
    """The metaschemas of every draft, which jsonschema itself resolves without fetching."""
    from jsonschema_specifications import REGISTRY  # type: ignore[import-untyped]

    return REGISTRY


def _specification(schema: Any) -> Any:
    from referencing.jsonschema import DRAFT202012, specification_with

    dialect = schema.get("$schema") if isinstance(schema, dict) else None
    if not isinstance(dialect, str):
        return DRAFT202012
    try:
        return specification_with(dialect)
    except Exception:  # noqa: BLE001 - an unknown dialect is read as 2020-12, as jsonschema does
        return DRAFT202012


def _root_base(schema: Any, retrieval_uri: str, base_uri: str | None) -> str:
    if base_uri:
        return base_uri
    declared = _specification(schema).id_of(schema) if isinstance(schema, dict) else None
    if isinstance(declared, str) and declared:
        return urljoin(retrieval_uri, declared).rstrip("#")
    return retrieval_uri


def resolve_documents(
    schema: Any,
    source: str,
    *,
    retrieval_uri: str,
    base_uri: str | None = None,
    fetch: Callable[[str], bytes] | None = None,
    inside: str | None = None,
    local: bool = True,
) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """The schema's base URI and every other document its ``$ref``s reach, as
    (URI, contents); raises :class:`UnresolvedReference`."""
    from referencing import Registry, Resource
    from referencing.exceptions import PointerToNowhere, Unresolvable, Unretrievable

    spec = _specification(schema)
    base = _root_base(schema, retrieval_uri, base_uri)
    documents: dict[str, Any] = {}
    folder = os.path.realpath(inside) if inside is not None else None

    def retrieve(uri: str) -> Any:
        if uri in documents:
            return Resource.from_contents(documents[uri], default_specification=spec)
        split = urlsplit(uri)
        if split.scheme in ("http", "https"):
            if fetch is None:
                raise _Refused("http(s) documents are not fetched here")
            try:
                text = fetch(uri).decode("utf-8")
            except UnicodeDecodeError as err:
                raise _Refused("it is not UTF-8 text") from err
        elif split.scheme == "file":
            if not local:
                raise _Refused("a schema fetched over the network cannot read local files")
            from urllib.request import url2pathname

            path = url2pathname(split.path)
            if folder is not None:
                real = os.path.realpath(path)
                if not (real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)):
                    raise _Refused(
                        "it is outside the configuration file's folder, and a "
                        "configuration's schema may only read files inside it"
                    )
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        elif not split.scheme:
            raise _Refused("it is relative, and the schema has no base URI (give --base-uri)")
        else:
            raise _Refused(f"{split.scheme}: references are not fetched")
        try:
            contents = json.loads(text)
        except json.JSONDecodeError as err:
            raise _Refused(f"it is not JSON ({err.msg} at line {err.lineno})") from err
        documents[uri] = contents
        return Resource.from_contents(contents, default_specification=spec)

    SPECIFICATIONS = _specifications()

    root = spec.create_resource(schema)
    registry: Any = SPECIFICATIONS.combine(
        Registry(retrieve=retrieve).with_resource(base, root)  # type: ignore[call-arg]
    ).crawl()
    dialect = schema.get("$schema") if isinstance(schema, dict) else None
    if isinstance(dialect, str) and _specification(schema) is _specification({}) and (
        dialect.rstrip("#") != "https://json-schema.org/draft/2020-12/schema"
    ):
        # A dialect of its own: its metaschema says which vocabularies apply.
        try:
            registry.resolver(base_uri=base).lookup(dialect)
        except Unresolvable as err:
            raise UnresolvedReference(
                f'{source}: the metaschema "{dialect}" cannot be resolved: {err}'
            ) from err
    done: set[str] = set()
    queue: list[tuple[str, Any]] = [(base, root)]
    while queue:
        uri, resource = queue.pop()
        if uri in done:
            continue
        done.add(uri)
        stack = [(registry.resolver(base_uri=uri), resource)]
        while stack:
            resolver, current = stack.pop()
            resolver = resolver.in_subresource(current)
            contents = current.contents
            ref = contents.get("$ref") if isinstance(contents, dict) else None
            if isinstance(ref, str):
                try:
                    resolver.lookup(ref)
                except (Unretrievable, Unresolvable) as err:
                    if isinstance(err, PointerToNowhere) or (
                        not isinstance(err.__cause__, Unretrievable)
                        and not isinstance(err, Unretrievable)
                    ):
                        raise UnresolvedReference(
                            f'{source}: the reference "{ref}" points at nothing: '
                            f"{err.ref} is not in its document"
                        ) from err
                    cause = err.__cause__
                    while isinstance(cause, Unretrievable) and cause.__cause__ is not None:
                        cause = cause.__cause__
                    why = str(cause) if cause is not None else "it cannot be retrieved"
                    if isinstance(cause, FileNotFoundError):
                        why = f"there is no file {cause.filename}"
                    raise UnresolvedReference(
                        f'{source}: the reference "{ref}" cannot be resolved: '
                        f"{err.ref}: {why}"
                    ) from err
            stack.extend((resolver, sub) for sub in current.subresources())
        for other, document in list(documents.items()):
            if other not in done:
                found = Resource.from_contents(document, default_specification=spec)
                registry = registry.with_resource(other, found).crawl()
                queue.append((other, found))
    return base, tuple(sorted(documents.items()))


def _nothing(uri: str) -> Any:
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]


def resolver_for(schema: Any, base: str, documents: tuple[tuple[str, Any], ...]) -> Any:
    """A resolver over the schema and the documents :func:`resolve_documents` found;
    it never reads or fetches anything."""
    SPECIFICATIONS = _specifications()
    from referencing import Registry, Resource

    spec = _specification(schema)
    resources = [(base, spec.create_resource(schema))]
    resources += [
        (uri, Resource.from_contents(doc, default_specification=spec)) for uri, doc in documents
    ]
    registry: Any = SPECIFICATIONS.combine(
        Registry(retrieve=_nothing).with_resources(resources)  # type: ignore[call-arg]
    ).crawl()
    return registry.resolver(base_uri=base)


#: The 2020-12 vocabulary whose keywords assert; a metaschema that leaves it out of
#: its ``$vocabulary`` turns them off.
VALIDATION_VOCABULARY = "https://json-schema.org/draft/2020-12/vocab/validation"
VALIDATION_KEYWORDS = (
    "type", "const", "enum", "multipleOf", "maximum", "exclusiveMaximum", "minimum",
    "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
    "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties",
    "required", "dependentRequired",
)


def keywords_turned_off(schema: Any, documents: tuple[tuple[str, Any], ...]) -> tuple[str, ...]:
    """The keywords a schema's own metaschema leaves out (its ``$vocabulary``)."""
    dialect = schema.get("$schema") if isinstance(schema, dict) else None
    if not isinstance(dialect, str):
        return ()
    for uri, document in documents:
        if uri.rstrip("#") == dialect.rstrip("#") and isinstance(document, dict):
            vocabularies = document.get("$vocabulary")
            if isinstance(vocabularies, dict) and VALIDATION_VOCABULARY not in vocabularies:
                return VALIDATION_KEYWORDS
    return ()
