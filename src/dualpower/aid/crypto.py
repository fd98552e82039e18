"""Sealing the private details of a request with a key kept outside the database.

A stolen database file or backup must not reveal who needs insulin, who is undocumented, or where
someone hiding from an abuser lives. The details are one JSON object encrypted with Fernet
(AES-128-CBC + HMAC-SHA256, from `cryptography`); the key comes from, in order:

1. ``settings.DP_AID_KEY`` or the ``DP_AID_KEY`` environment variable: one or more Fernet keys,
   comma-separated, newest first (MultiFernet: old keys still open old tokens during a rotation);
2. the file ``aid.key`` in the instance directory (DP_HOME), created on first use with owner-only
   permissions (0600). Back it up apart from the database: without it the details are unreadable.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

KEY_FILE = "aid.key"
SENSITIVE_FIELDS = ("name", "contact", "address", "health", "immigration", "safety")


def _key_file() -> Path:
    home = getattr(settings, "DP_HOME", None)
    if home is None:
        from dualpower import instance

        home = instance.home()
    return Path(home) / KEY_FILE


def _read_or_create_key_file(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first: use theirs
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(Fernet.generate_key().decode())
    return path.read_text().strip()


@lru_cache(maxsize=4)
def _fernet_for(keys: str) -> MultiFernet:
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise RuntimeError("DP_AID_KEY is set but empty; give one or more Fernet keys, comma-separated.")
    return MultiFernet([Fernet(k.encode()) for k in parts])


def fernet() -> MultiFernet:
    keys = getattr(settings, "DP_AID_KEY", None) or os.environ.get("DP_AID_KEY") or ""
    if not keys:
        keys = _read_or_create_key_file(_key_file())
    return _fernet_for(keys)


def clean_details(details: dict[str, Any] | None) -> dict[str, str]:
    """Only known fields, as stripped text, empty ones dropped."""
    out: dict[str, str] = {}
    for key in SENSITIVE_FIELDS:
        value = (details or {}).get(key)
        if value is not None and str(value).strip():
            out[key] = str(value).strip()
    return out


def seal(details: dict[str, Any] | None) -> str:
    clean = clean_details(details)
    if not clean:
        return ""
    return fernet().encrypt(json.dumps(clean, ensure_ascii=False).encode()).decode()


def unseal(token: str) -> dict[str, str]:
    """The details, or {} if none were given or they were erased. A token no key opens (a lost or
    wrong key) reads as {} with a marker, rather than breaking every page that shows the request."""
    if not token:
        return {}
    try:
        return json.loads(fernet().decrypt(token.encode()))
    except InvalidToken:
        return {"unreadable": "1"}
