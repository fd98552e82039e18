"""Uploaded files, one way for every app: the type is read from the bytes, the name is the server's.

- ``upload_accept(upload, kinds=PHOTO, ...)`` reads the first bytes (magic numbers), never the
  name or the content type the client sent; a file that is none of ``kinds`` (SVG, HTML, a script
  named ``photo.png``...) is refused with the caller's sentence (``InvalidInput``, HTTP 400) before
  anything is written. It returns a name the server chose: ``<32 random hex digits>.<ext>``, the
  extension that of the sniffed type. A PNG named ``polyglot.html`` is stored as ``….png``.
- ``UploadTo("budgeting")`` is the ``upload_to`` of every ``FileField``: it files the chosen name
  under ``<prefix>/<year>/<month>/`` and refuses any other name, so no client name reaches the disk.
- Media are served by the app (``web/media.py``), never as raw files: an app tells who may see a
  stored file with ``register_owner(prefix, owner)``; ``owner(name)`` answers the permission and the
  object to check it on (or None: no such file). The content type is sniffed again when serving.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from dualpower.errors import InvalidInput


@dataclass(frozen=True)
class Kind:
    ext: str
    content_type: str
    inline: bool  # shown in the page (images); anything else is downloaded


KINDS = {
    "jpg": Kind("jpg", "image/jpeg", inline=True),
    "png": Kind("png", "image/png", inline=True),
    "webp": Kind("webp", "image/webp", inline=True),
    "gif": Kind("gif", "image/gif", inline=True),
    "pdf": Kind("pdf", "application/pdf", inline=False),
}
PHOTO = ("jpg", "png", "webp")
# How many bytes the sniffing reads.
HEAD = 16
# A server-chosen name: random hex, one of the known extensions. Nothing else is stored or served.
NAME = re.compile(r"[0-9a-f]{32}\.(?:" + "|".join(KINDS) + ")")


def sniff(head: bytes) -> Kind | None:
    """The type the first bytes say, or None for anything not accepted anywhere (SVG and HTML
    among them: text has no magic number)."""
    if head.startswith(b"\xff\xd8\xff"):
        return KINDS["jpg"]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return KINDS["webp"]
    if head.startswith((b"GIF87a", b"GIF89a")):
        return KINDS["gif"]
    if head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    return None


def _head(file: IO[bytes] | Any) -> bytes:
    file.seek(0)
    head = file.read(HEAD)
    file.seek(0)
    return bytes(head or b"")


def upload_accept(
    upload: Any,
    *,
    kinds: Iterable[str] = PHOTO,
    max_bytes: int,
    field: str,
    wrong_type: str,
    too_large: str,
) -> str:
    """The server's name for ``upload`` (``<random>.<ext>``), or ``InvalidInput`` with the
    caller's sentence: ``too_large`` past ``max_bytes``, ``wrong_type`` unless its bytes are one
    of ``kinds``."""
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise InvalidInput(too_large, field=field)
    kind = sniff(_head(upload))
    if kind is None or kind.ext not in set(kinds):
        raise InvalidInput(wrong_type, field=field)
    return f"{secrets.token_hex(16)}.{kind.ext}"


@deconstructible
class UploadTo:
    """``upload_to`` of a FileField: ``<prefix>/<year>/<month>/<server-chosen name>``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        if not NAME.fullmatch(filename):
            # A programming error, not a person's: save only names upload_accept chose.
            raise ValueError(f"Not a server-chosen upload name: {filename!r} (use uploads.upload_accept).")
        return f"{self.prefix}/{timezone.now():%Y/%m}/{filename}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadTo) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


# owner(name) -> (permission, object) for the person who asks, or None when no record holds it.
Owner = Callable[[str], tuple[str, Any] | None]
_owners: dict[str, Owner] = {}


def register_owner(prefix: str, owner: Owner) -> None:
    _owners[prefix.strip("/")] = owner


def owner_of(name: str) -> tuple[str, Any] | None:
    prefix = name.split("/", 1)[0]
    owner = _owners.get(prefix)
    return owner(name) if owner is not None and "/" in name else None


def stored_path(name: str) -> Path | None:
    """The file under MEDIA_ROOT that ``name`` names, or None: no absolute paths, no ``..``, no
    backslashes or NUL, nothing that resolves (links included) outside MEDIA_ROOT."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return None
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    return path


def stored_kind(path: Path) -> Kind | None:
    with path.open("rb") as file:
        return sniff(file.read(HEAD))


__all__ = [
    "KINDS",
    "PHOTO",
    "Kind",
    "UploadTo",
    "owner_of",
    "register_owner",
    "sniff",
    "stored_kind",
    "stored_path",
    "upload_accept",
]
