"""Real images of known sizes, made with Pillow, for the probe's size checks."""

from __future__ import annotations

import io
import struct

from PIL import Image

FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif",
                 "WEBP": "image/webp"}


def make_image(fmt: str, width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(out, format=fmt)
    return out.getvalue()


def jpeg_with_metadata(width: int, height: int, metadata_bytes: int) -> bytes:
    """A JPEG whose size (its SOF segment) comes after ``metadata_bytes`` of APP
    segments, as in photos with large EXIF or ICC data."""
    data = make_image("JPEG", width, height)
    segments = b""
    left = metadata_bytes
    while left > 0:
        chunk = min(left, 60000)
        segments += b"\xff\xe2" + struct.pack(">H", chunk + 2) + b"\0" * chunk
        left -= chunk
    return data[:2] + segments + data[2:]
