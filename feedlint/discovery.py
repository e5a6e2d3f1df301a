"""Paths on the command line -> the files to lint.

A file named on the command line is always linted. A folder is walked for
``.md``/``.markdown``/``.txt`` files (of which only those that look like
articles are linted: :func:`feedlint.articles.is_article`, asked once a file is
read) and for bare ``.yaml``/``.yml``/``.json`` articles that match the
``include`` globs. Hidden folders, ``node_modules``, virtual environments, the
``exclude`` globs and whatever ``.gitignore`` ignores are skipped. The globs are
those of :mod:`feedlint.globs`, matched against paths relative to the
configuration file's folder. Each real file is linted once, however it was named.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from feedlint.diagnostics import printable_path
from feedlint.globs import Globs, gitignore_spec, relative_to

if TYPE_CHECKING:
    from feedlint.gitindex import Tracked

FRONT_MATTER_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
BARE_SUFFIXES = frozenset({".yaml", ".yml", ".json"})
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages", "venv", "env"})


class DiscoveryError(Exception):
    """A path on the command line does not exist (a usage error)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to lint: where it is, how to name it, and how to read it."""

    path: str
    display: str
    #: Named on the command line (linted whatever it holds).
    explicit: bool
    #: The whole file is the article's YAML (no fences).
    bare: bool
    #: Standard input's bytes, for ``-``.
    stdin_bytes: bytes | None = None
    #: Why this path cannot be linted, found while walking (an unreadable folder).
    error: str | None = None


def is_bare(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in BARE_SUFFIXES


def display_path(path: str) -> str:
    """The path as a person would type it: relative to the current folder when inside it.

    Safe to print: a name that is not UTF-8 (its bytes kept as surrogates by
    ``os.fsdecode``) shows its bad bytes as ``\\xNN``, and control characters in a
    name are escaped the same way, so text and JSON output stay valid; a name that
    would start a CI workflow command is shown as ``./::…`` (see
    :func:`~feedlint.diagnostics.printable_path`).
    """
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        relative = path
    return printable_path(path if relative.startswith("..") else relative)


def _display_under(root: str) -> Callable[[str], str]:
    """:func:`display_path` for the paths found under the folder ``root``, without a
    ``relpath`` (two ``abspath`` and a ``getcwd``) per file: each is the root's
    display path joined with the rest of the path, which the walk built by joining
    names to ``root``."""
    try:
        relative_root = os.path.relpath(root)
    except ValueError:  # another drive on Windows
        relative_root = root
    if relative_root.startswith(".."):
        return lambda path: printable_path(path)  # outside the current folder: as given
    skip = len(root)

    def display(path: str) -> str:
        if not path.startswith(root):
            return display_path(path)
        rest = path[skip:].lstrip(os.sep)
        shown = printable_path(
            rest if relative_root == "." else os.path.join(relative_root, rest)
        )
        # The same text as the path (a relative root): keep one string, not two, per
        # file, which counts for an archive of 100,000 files.
        return path if shown == path else shown

    return display


class _GitIgnore:
    """The .gitignore files that apply to a folder, from the repository root down."""

    def __init__(
        self, specs: tuple[tuple[str, object], ...] = (), tracked: Tracked | None = None
    ) -> None:
        self.specs = specs
        #: What git tracks in the repository (never ignored, as git never ignores it).
        self.tracked = tracked

    def with_folder(self, folder: str) -> _GitIgnore:
        text = _read_small_file(os.path.join(folder, ".gitignore"))
        if text is None:
            return self
        # git skips a pattern it cannot read; so does feedlint, keeping the rest.
        spec = gitignore_spec(text.splitlines())
        return _GitIgnore((*self.specs, (folder, spec)), self.tracked)

    def ignores(self, path: str, is_dir: bool) -> bool:
        for base, spec in self.specs:
            relative = os.path.relpath(path, base).replace(os.sep, "/")
            if relative.startswith(".."):
                continue
            if is_dir:
                relative += "/"
            if spec.match_file(relative):  # type: ignore[attr-defined]
                return self.tracked is None or not self.tracked.holds(path, is_dir)
        return False


#: The largest .gitignore read (a larger one is ignored).
_MAX_IGNORE_FILE = 1024 * 1024


def _read_small_file(path: str) -> str | None:
    """A small regular file's text, or None: never blocks on a FIFO, never reads a
    huge file into memory."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_IGNORE_FILE:
            return None
        with open(path, "rb") as handle:
            return handle.read(_MAX_IGNORE_FILE).decode("utf-8", "replace")
    except OSError:
        return None


def _repository_ignores(folder: str) -> _GitIgnore:
    """The .gitignore files above ``folder`` up to its repository's root."""
    chain = []
    current = os.path.abspath(folder)
    while True:
        chain.append(current)
        if os.path.exists(os.path.join(current, ".git")):
            break
        parent = os.path.dirname(current)
        if parent == current:
            return _GitIgnore()
        current = parent
    from feedlint.gitindex import Tracked

    ignores = _GitIgnore(tracked=Tracked(current))
    for ancestor in reversed(chain[1:]):
        ignores = ignores.with_folder(ancestor)
    return ignores


def discover(
    paths: Iterable[str],
    *,
    exclude: Sequence[str] = (),
    include: Sequence[str] = (),
    named_as_found: bool = False,
    root: str | None = None,
) -> list[Candidate]:
    """The files to lint under ``paths``, in a stable order; raises :class:`DiscoveryError`.

    ``exclude`` and ``include`` are globs (:mod:`feedlint.globs`) matched against
    paths relative to ``root``, the configuration file's folder (the current folder
    when None). A path is excluded when it, or a folder it is in, matches: a folder
    named on the command line is walked, but what it holds is excluded as a walk of
    the root would exclude it.

    ``named_as_found`` (``--skip-non-articles``) treats a named file as if it had
    been found by walking a folder: kept only when a walk would keep it, and then
    skipped by the engine when it does not look like an article. pre-commit names
    every staged Markdown file, a README.md or an issue template among them.
    """
    excluded = Globs(exclude, root)
    included = Globs(include, root)
    seen: set[str] = set()
    found: list[Candidate] = []
    real_folders: dict[str, str] = {}

    def real_path(path: str, is_link: bool | None = None) -> str:
        # os.path.realpath looks at every component of every path; a folder's real
        # path is worked out once, and only a file that is a link needs its own
        # (the walk knows which are, from the folder listing).
        folder, name = os.path.split(path)
        real_folder = real_folders.get(folder)
        if real_folder is None:
            real_folder = real_folders[folder] = os.path.realpath(folder or ".")
        if is_link is None:
            is_link = os.path.islink(path)
        if name and not is_link:
            return os.path.join(real_folder, name)
        return os.path.realpath(path)

    def add(candidate: Candidate, is_link: bool | None = None) -> None:
        real = real_path(candidate.path, is_link)
        if real not in seen:
            seen.add(real)
            found.append(candidate)

    for given in paths:
        if os.path.isdir(given):
            display = _display_under(given)
            for path, error, bare, is_link in _walk(given, excluded, included):
                add(Candidate(path, display(path), explicit=False, bare=bare, error=error),
                    is_link)
        elif os.path.lexists(given):
            if named_as_found:
                if _walk_would_keep(given, excluded, included):
                    add(Candidate(given, display_path(given), explicit=False,
                                  bare=is_bare(given), error=_leads_out(given)))
                continue
            add(Candidate(given, display_path(given), explicit=True, bare=is_bare(given)))
        else:
            raise DiscoveryError(f"{given}: no such file or folder")
    return found


def _walk_would_keep(path: str, exclude: Globs, include: Globs) -> bool:
    """Whether walking the current folder would lint ``path`` (``.gitignore`` aside:
    a named file is one git tracks). Hidden and skipped folders above the current
    one are not judged; the globs judge the path, and its folders, relative to
    their root, as in a walk."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix in BARE_SUFFIXES:
        if not include.match(path):
            return False
    elif suffix not in FRONT_MATTER_SUFFIXES:
        return False
    if exclude.match(path):
        return False
    relative = os.path.relpath(os.path.abspath(path))
    if relative.startswith(os.pardir + os.sep):
        return True
    folders = [name for name in os.path.dirname(relative).split(os.sep) if name]
    return not any(name.startswith(".") or name in _SKIPPED_DIRS for name in folders)


def _walk(
    root: str, exclude: Globs, include: Globs
) -> Iterator[tuple[str, str | None, bool, bool | None]]:
    """(path, None, bare, is_link) for each file to lint; (folder, reason, False,
    None) for a folder that cannot be listed, so that it is reported rather than
    silently skipped. ``is_link`` is None when the listing could not say.

    Symbolic links to folders are followed, but each real folder is walked once: a
    link back to an ancestor cannot make the walk endless.
    """
    # Each path as the globs see it: relative to their root, joined name by name
    # (a relpath per file would cost two abspath and a getcwd each).
    stack = [(root, relative_to(exclude.root, root), _repository_ignores(root).with_folder(root))]
    walked: set[tuple[int, int]] = set()
    inside = _Inside(root)
    while stack:
        folder, relative_folder, ignores = stack.pop()
        prefix = "" if relative_folder == "." else relative_folder.rstrip("/") + "/"
        try:
            info = os.stat(folder)
            identity = (info.st_dev, info.st_ino)
            if identity in walked:
                continue
            walked.add(identity)
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            yield folder, _unlistable(err), False, None
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            path = entry.path
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False  # linted as a file: the engine says what is wrong with it
            relative = prefix + name
            if is_dir:
                if (
                    name.startswith(".")
                    or name in _SKIPPED_DIRS
                    or os.path.exists(os.path.join(path, "pyvenv.cfg"))
                    or exclude.match_relative(relative, is_dir=True)
                    or ignores.ignores(path, True)
                ):
                    continue
                refusal = inside.refuse_link(entry)
                if refusal:
                    yield path, refusal, False, None
                    continue
                subfolders.append((path, relative))
                continue
            suffix = os.path.splitext(name)[1].lower()
            bare = suffix in BARE_SUFFIXES
            if bare:
                if not include.match_relative(relative):
                    continue
            elif suffix not in FRONT_MATTER_SUFFIXES:
                continue
            if exclude.match_relative(relative) or ignores.ignores(path, False):
                continue
            try:
                is_link: bool | None = entry.is_symlink()
            except OSError:
                is_link = None
            yield path, inside.refuse_link(entry), bare, is_link
        for sub, relative_sub in reversed(subfolders):
            stack.append((sub, relative_sub, ignores.with_folder(sub)))


class _Inside:
    """Which symbolic links a walk of ``root`` follows: those that stay inside it.

    A repository can hold a link to any path of the machine it is checked out on
    (``a.md -> /home/runner/.ssh/id_rsa``, or a folder of CI secrets); linting
    it would put the target's values into the report, which CI logs publish. A
    file named on the command line is read wherever it leads.
    """

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)

    def refuse_link(self, entry: os.DirEntry[str]) -> str | None:
        try:
            if not entry.is_symlink():
                return None
        except OSError:
            return None
        return _outside(entry.path, self.root)


def _outside(path: str, root_real: str) -> str | None:
    target = os.path.realpath(path)
    if target == root_real or target.startswith(root_real.rstrip(os.sep) + os.sep):
        return None
    kind = "folder" if os.path.isdir(target) else "file"
    return (
        f"not read: it is a symbolic link to a {kind} outside {display_path(root_real)} "
        f"({display_path(target)}); name the target itself to lint it"
    )


def _leads_out(path: str) -> str | None:
    """For a named file treated as found (``--skip-non-articles``): a refusal when the
    path lies inside the current folder but a symbolic link leads it outside."""
    here = os.path.abspath(os.curdir)
    written = os.path.abspath(path)
    if not written.startswith(here.rstrip(os.sep) + os.sep):
        return None
    return _outside(path, os.path.realpath(here))


def _unlistable(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "cannot list the folder: it no longer exists (removed during the run?)"
    return f"cannot list the folder: {err.strerror or err}"


def sorted_candidates(candidates: Sequence[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: c.display)


def read_stdin_candidate(data: bytes, filename: str | None) -> Candidate:
    name = filename or "-"
    return Candidate(
        name, printable_path(name), explicit=True, bare=is_bare(name), stdin_bytes=data
    )


def in_shard(display: str, index: int, count: int) -> bool:
    """Whether the file named ``display`` belongs to shard ``index`` (1-based) of ``count``.

    Decided by a hash of the path alone (as displayed, with ``/`` separators),
    not its position: adding or removing a file moves no other file to another
    shard, and every CI job of a matrix computes the same split.
    """
    from feedlint._hashing import blake2b

    name = display.replace(os.sep, "/").encode("utf-8", "surrogateescape")
    bucket = int.from_bytes(blake2b(name, digest_size=8).digest(), "big") % count
    return bucket == index - 1


def shard(candidates: Sequence[Candidate], index: int, count: int) -> list[Candidate]:
    """The candidates of shard ``index`` of ``count`` (see :func:`in_shard`)."""
    return [c for c in candidates if in_shard(c.display, index, count)]


__all__ = [
    "Candidate", "DiscoveryError", "discover", "in_shard", "read_stdin_candidate", "shard",
]
