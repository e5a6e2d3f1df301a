"""What a lint is built from once its settings are known: the schema they name and
the result cache. Shared by ``feedlint check`` and ``feedlint server``.

Nothing here prints: what a person should hear about (a fetched schema's notes, a
cache that cannot be used) goes to the ``note`` and ``warn`` callables given.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from feedlint.diagnostics import printable

if TYPE_CHECKING:
    from feedlint.cache import ResultCache
    from feedlint.config import Resolved
    from feedlint.discovery import Candidate
    from feedlint.engine import Linter
    from feedlint.schema import ArticleSchema
    from feedlint.settings import Settings

Say = Callable[[str], None]


def load_schema(resolved: Resolved, note: Say) -> ArticleSchema:
    """The run's schema, every reference resolved (raises SchemaError).

    A configuration file's schema may only read files inside its folder; one named
    on the command line may read any. http(s) documents are fetched once through
    the probe's guard (lifted only by --schema-allow-private), and cached signed.
    """
    from feedlint.config import COMMAND_LINE
    from feedlint.schema import ArticleSchema

    settings = resolved.settings
    if settings.schema is None:
        return ArticleSchema.builtin()
    from_config = resolved.origins.get("schema") != COMMAND_LINE
    fetcher: Any = None

    def fetch(url: str) -> bytes:
        nonlocal fetcher
        if fetcher is None:
            from feedlint.cache import default_cache_dir
            from feedlint.probe import SchemaFetcher

            folder = None
            if settings.cache:
                folder = os.path.join(settings.cache_dir or default_cache_dir(), "schemas")
            fetcher = SchemaFetcher(allow_private=settings.schema_allow_private,
                                    cache_folder=folder)
        try:
            return bytes(fetcher(url))
        finally:
            for text in fetcher.notes:
                note(text)
            fetcher.notes.clear()

    return ArticleSchema.load(
        settings.schema,
        base_uri=settings.base_uri,
        disabled_formats=settings.disable_formats,
        regex_variant=settings.regex_variant,
        fetch=fetch,
        inside=settings.config_root if from_config else None,
    )


def open_cache(
    settings: Settings, linter: Linter, candidates: Sequence[Candidate], warn: Say
) -> ResultCache | None:
    """The run's result cache, or None (``--no-cache``, only stdin, or not writable)."""
    from feedlint.atomic import UnsafeFolderError
    from feedlint.cache import ResultCache, default_cache_dir, ensure_cache_root, use_derived

    if not settings.cache or all(c.stdin_bytes is not None for c in candidates):
        return None
    if settings.fix or settings.diff:
        # A fixed file's result is what is left after its fixes, with a report of
        # them; neither is what the file's content alone gives. Not cached.
        return None
    from feedlint.secret import key_path, user_key

    root = settings.cache_dir or default_cache_dir()
    try:
        ensure_cache_root(root)
    except OSError as err:
        reason = str(err) if isinstance(err, UnsafeFolderError) else (err.strerror or str(err))
        warn(f"the result cache is off: cannot write {printable(root)}: {printable(reason)}")
        return None
    try:
        user_key()
    except OSError as err:
        warn(
            f"the result cache is off: no key to sign its entries with at "
            f"{printable(key_path())}: {printable(str(err.strerror or err))}"
        )
        return None
    use_derived(root)
    return ResultCache.for_run(root, settings, linter.schema)
