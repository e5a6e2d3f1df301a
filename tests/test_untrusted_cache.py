"""A cache committed to the linted tree is the attacker's: it can neither run code,
nor forge a verdict, nor send feedlint's writes out of the tree.

Each test builds the attack as a pull request would: the attacker runs feedlint
on their own machine (their own user cache, so their own key), edits what it
wrote, and commits the result beside the articles; the victim then runs a plain
``feedlint check .`` on the checkout, with a user cache of their own.
"""

from __future__ import annotations

import os
import pickle
import stat
import struct
from pathlib import Path

import pytest

from feedlint._hashing import blake2b
from tests.conftest import SAMPLE, Run, run_feedlint

_RECORD = struct.Struct(">16s16s32s16sI")
BROKEN = (
    '---\ntitle: "Broken"\npubishedDateTime: 2024-01-01T00:00:00Z\n'
    "webUrl: https://example.com/a\nprovider: {name: E, domain: example.com}\n---\n"
)


class _LeavesAFile:
    """Unpickling this creates the file ``path``: what an attacker's payload would do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.path), "w"))


def _as(user: Path, args: list[str], cwd: Path) -> Run:
    """Run feedlint as the user whose own cache folder (and key) is ``user``."""
    return run_feedlint(args, cwd=cwd, env={"XDG_CACHE_HOME": str(user)})


def _records(blob: bytes) -> list[tuple[bytes, bytes, bytes, bytes, bytes]]:
    out, pos = [], 4
    while pos + _RECORD.size <= len(blob):
        name, digest, signature, check, length = _RECORD.unpack_from(blob, pos)
        pos += _RECORD.size
        out.append((name, digest, signature, check, blob[pos : pos + length]))
        pos += length
    return out


def _forge_every_entry(
    tree: Path, payload: bytes, how: str, digest_of: bytes | None = None
) -> int:
    """Rewrite each committed entry around ``payload``, with its checksum made as an
    attacker can without the victim's key: ``unkeyed`` (as an older cache did) or
    keyed with a key of the attacker's own. Returns how many entries were forged."""
    forged = 0
    attacker_key = os.urandom(32) if how == "attacker-key" else b""
    for bucket in (tree / ".feedlint_cache").rglob("*.bin"):
        blob = bucket.read_bytes()
        out = bytearray(blob[:4])
        for name, digest, signature, _, _ in _records(blob):
            digest = digest_of or digest
            check = blake2b(
                name + digest + signature + payload, key=attacker_key, digest_size=16
            ).digest()
            out += _RECORD.pack(name, digest, signature, check, len(payload)) + payload
            forged += 1
        bucket.write_bytes(bytes(out))
    return forged


FORGERIES = ["unkeyed", "attacker-key"]


def _broken_repo(tmp_path: Path, name: str = "repo") -> Path:
    """A checkout holding one article with an unknown field (FL103)."""
    tree = tmp_path / name
    tree.mkdir()
    (tree / "a.md").write_text(BROKEN)
    return tree


@pytest.fixture
def users(tmp_path: Path) -> tuple[Path, Path]:
    attacker, victim = tmp_path / "attacker-home-cache", tmp_path / "victim-home-cache"
    attacker.mkdir()
    victim.mkdir()
    return attacker, victim


@pytest.mark.parametrize("how", FORGERIES)
def test_a_committed_cache_cannot_run_code(
    tmp_path: Path, users: tuple[Path, Path], how: str
) -> None:
    attacker, victim = users
    tree = _broken_repo(tmp_path, "pull-request")
    assert _as(attacker, ["check", "."], tree).returncode == 1
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(_LeavesAFile(marker), protocol=pickle.HIGHEST_PROTOCOL)
    assert _forge_every_entry(tree, payload, how) == 1

    run = _as(victim, ["check", "."], tree)
    assert not marker.exists(), "a committed cache entry ran code"
    assert run.returncode == 1
    assert "FL103" in run.stdout
    assert "this user's runs did not write" in run.stderr


@pytest.mark.parametrize("how", FORGERIES)
def test_a_committed_cache_cannot_forge_a_clean_verdict(
    tmp_path: Path, users: tuple[Path, Path], how: str
) -> None:
    """The attacker caches the clean article, then commits a broken one in its place
    with the entry re-pointed at the broken content: "no problems" for a broken file."""
    attacker, victim = users
    tree = tmp_path / "pull-request"
    tree.mkdir()
    (tree / "a.md").write_bytes(SAMPLE.read_bytes())
    assert _as(attacker, ["check", "."], tree).returncode == 0
    (tree / "a.md").write_text(BROKEN)
    clean_payload = _records(next((tree / ".feedlint_cache").rglob("*.bin")).read_bytes())[0][4]
    broken_digest = blake2b(BROKEN.encode(), digest_size=16).digest()
    _forge_every_entry(tree, clean_payload, how, digest_of=broken_digest)

    run = _as(victim, ["check", "."], tree)
    assert run.returncode == 1, run.stdout
    assert "FL103" in run.stdout
    # The victim's own run rewrites the entries: the next run is served by the cache.
    again = _as(victim, ["check", "."], tree)
    assert (again.returncode, again.stdout) == (1, run.stdout)
    assert "did not write" not in again.stderr


def test_a_derived_file_of_the_attackers_runs_no_code(
    tmp_path: Path, users: tuple[Path, Path]
) -> None:
    attacker, victim = users
    tree = tmp_path / "pull-request"
    tree.mkdir()
    (tree / "a.md").write_bytes(SAMPLE.read_bytes())
    _as(attacker, ["check", "."], tree)
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(_LeavesAFile(marker), protocol=pickle.HIGHEST_PROTOCOL)
    derived = list((tree / ".feedlint_cache" / "derived").iterdir())
    assert derived
    for path in derived:
        head = path.read_bytes()[:4]
        path.write_bytes(head + blake2b(payload, digest_size=16).digest() + payload)
    run = _as(victim, ["check", "."], tree)
    assert not marker.exists(), "a committed derived file ran code"
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("link", [".feedlint_cache", ".feedlint_cache/lint"])
def test_a_committed_link_cannot_send_cache_writes_out_of_the_tree(
    tmp_path: Path, users: tuple[Path, Path], link: str
) -> None:
    _, victim = users
    tree = _broken_repo(tmp_path, "pull-request")
    outside = tmp_path / "outside"
    outside.mkdir()
    (tree / link).parent.mkdir(parents=True, exist_ok=True)
    (tree / link).symlink_to(outside)

    run = _as(victim, ["check", "."], tree)
    assert run.returncode == 1
    assert "FL103" in run.stdout
    assert list(outside.iterdir()) == [], "the cache wrote through a committed link"
    assert f"{link} is a symbolic link, and feedlint never writes through one" in run.stderr
    assert run.stderr.count("\n") == 1


def test_a_cache_folder_the_user_names_outside_the_tree_is_used(
    tmp_path: Path, users: tuple[Path, Path]
) -> None:
    """The guard is on links inside the tree: a folder outside that the user names
    (a CI cache, say), even below a link of the user's own, is theirs to choose;
    only the folder itself must not be a link."""
    _, victim = users
    tree = _broken_repo(tmp_path)
    real = tmp_path / "ci-cache"
    real.mkdir()
    (tmp_path / "ci-cache-link").symlink_to(real)
    run = _as(victim, ["check", "--cache-dir", str(tmp_path / "ci-cache-link" / "lint"), "."],
              tree)
    assert (run.returncode, run.stderr) == (1, "")
    assert list((real / "lint" / "lint").rglob("*.bin"))
    refused = _as(victim, ["check", "--cache-dir", str(tmp_path / "ci-cache-link"), "."], tree)
    assert refused.returncode == 1
    assert "ci-cache-link is a symbolic link" in refused.stderr


def test_a_bucket_that_is_a_fifo_or_a_link_is_not_read(
    tmp_path: Path, users: tuple[Path, Path]
) -> None:
    """A FIFO would make reading wait forever; a link to a file outside would be read."""
    _, victim = users
    tree = _broken_repo(tmp_path)
    first = _as(victim, ["check", "."], tree)
    buckets = list((tree / ".feedlint_cache").rglob("*.bin"))
    assert len(buckets) == 1
    os.unlink(buckets[0])
    os.mkfifo(buckets[0])
    run = _as(victim, ["check", "."], tree)
    assert (run.returncode, run.stdout) == (1, first.stdout)
    # The run replaced the FIFO by a bucket of its own.
    assert stat.S_ISREG(os.lstat(buckets[0]).st_mode)

    outside = tmp_path / "elsewhere.bin"
    outside.write_bytes(buckets[0].read_bytes())
    os.unlink(buckets[0])
    buckets[0].symlink_to(outside)
    before = outside.read_bytes()
    run = _as(victim, ["check", "."], tree)
    assert (run.returncode, run.stdout) == (1, first.stdout)
    assert outside.read_bytes() == before
    assert not buckets[0].is_symlink()


def test_the_key_lives_outside_the_tree_and_only_its_owner_reads_it(
    tmp_path: Path, users: tuple[Path, Path]
) -> None:
    _, victim = users
    tree = _broken_repo(tmp_path)
    _as(victim, ["check", "."], tree)
    key = victim / "feedlint" / "secret-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == 32
    assert not [p for p in tree.rglob("*") if "key" in p.name]


def test_a_key_file_that_is_a_link_is_refused(tmp_path: Path, users: tuple[Path, Path]) -> None:
    """Someone who could plant the key file as a link to a key of theirs would know it."""
    _, victim = users
    tree = _broken_repo(tmp_path)
    planted = tmp_path / "planted-key"
    planted.write_bytes(bytes(32))
    planted.chmod(0o600)
    (victim / "feedlint").mkdir()
    (victim / "feedlint" / "secret-key").symlink_to(planted)
    run = _as(victim, ["check", "."], tree)
    assert run.returncode == 1 and "FL103" in run.stdout
    assert "the result cache is off: no key to sign its entries with" in run.stderr
    assert not (tree / ".feedlint_cache" / "lint").exists() or not list(
        (tree / ".feedlint_cache" / "lint").rglob("*.bin")
    )


# -- the entry format ----------------------------------------------------------


def test_every_fixture_result_reads_back_exactly() -> None:
    from feedlint import cache_codec
    from feedlint.engine import Linter
    from feedlint.settings import Settings
    from tests.conftest import FIXTURES

    linter = Linter(Settings())
    seen = 0
    for path in sorted(FIXTURES.rglob("*.*")):
        result = linter.lint_bytes(str(path), path.read_bytes(),
                                   bare=path.suffix in (".yaml", ".yml", ".json"))
        value = [6, str(path), result.skipped, result.diagnostics, result.facts,
                 result.suppressor]
        assert cache_codec.loads_fields(cache_codec.dumps_fields(*value), 6) == value, path
        seen += bool(result.diagnostics)
    assert seen > 50


@pytest.mark.parametrize(
    "data",
    [
        b'[["os.system", "true"]]',  # a name outside the set of types
        b'[["Span", 1, 2]]',  # the wrong number of fields
        b'[{"__class__": "Span"}]',  # an object is never a value
        b'[["Severity", "fatal"]]',  # not a member
        b'[["b", "zz"]]',  # not hex
        b'[["d", 1]]',  # a dict with half a pair
        b"[" * 100_000,  # nesting beyond the parser
        b"\xff\xfe",
        b'[1, 2]',  # a record of another length
    ],
)
def test_entries_outside_the_format_are_refused(data: bytes) -> None:
    from feedlint import cache_codec

    with pytest.raises(ValueError):
        cache_codec.loads_fields(data, 1)


def test_a_value_outside_the_set_is_not_cached() -> None:
    from feedlint import cache_codec

    with pytest.raises(ValueError):
        cache_codec.dumps_fields({"x": object()})
    with pytest.raises(ValueError):
        cache_codec.dumps_fields(Path("a"))
