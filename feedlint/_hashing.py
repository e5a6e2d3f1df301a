"""BLAKE2b without importing hashlib, whose OpenSSL set-up costs more start-up time
than a whole one-file run spends hashing."""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the builtin module
    from hashlib import blake2b

__all__ = ["blake2b"]
