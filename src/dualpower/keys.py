"""Fernet keys kept outside the database, for what a stolen database file or backup must not reveal.

Two keys, each from, in order:

1. the setting or environment variable (``DP_AID_KEY``, ``DP_MFA_KEY``): one or more Fernet keys,
   comma-separated, newest first (MultiFernet: old keys still open old tokens during a rotation);
2. a file in the instance directory (DP_HOME: ``aid.key``, ``mfa.key``), owner-only (0600).

A key file is made by `dualpower init`, or by the first write when nothing sealed with that key
exists yet. Reading sealed data without its key is refused with a sentence (``KeyMissing``): a new
key made then would silently make every sealed value unreadable. Back the files up apart from the
database (docs/operating.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dualpower import instance
from dualpower.errors import DomainError


@dataclass(frozen=True)
class KeySpec:
    setting: str  # the setting and environment variable that may hold the keys
    file_name: str  # the file in DP_HOME otherwise


AID = KeySpec("DP_AID_KEY", "aid.key")
MFA = KeySpec("DP_MFA_KEY", "mfa.key")
ALL = (AID, MFA)


class KeyMissing(DomainError):
    code = "key_missing"
    status = 503
    default_detail = _(
        "The key that opens this sealed information is missing from this server: restore the key "
        "file from its backup (or set its environment variable); see docs/operating.md."
    )


def key_path(spec: KeySpec) -> Path:
    home = getattr(settings, "DP_HOME", None)
    return Path(home) / spec.file_name if home is not None else instance.home() / spec.file_name


def configured_keys(spec: KeySpec) -> str:
    """The comma-separated keys from the setting, the environment or the key file; "" if none."""
    keys = getattr(settings, spec.setting, None) or os.environ.get(spec.setting) or ""
    if keys:
        return keys
    path = key_path(spec)
    return path.read_text().strip() if path.exists() else ""


def key_file_create(spec: KeySpec) -> Path | None:
    """Make the key file if no key is configured; return its path if this call made it."""
    if configured_keys(spec):
        return None
    path = key_path(spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return None
    with os.fdopen(fd, "w") as fh:
        fh.write(Fernet.generate_key().decode())
    return path


@lru_cache(maxsize=8)
def _fernet_for(keys: str, setting: str) -> MultiFernet:
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise KeyMissing(f"{setting} is set but empty; give one or more Fernet keys, comma-separated.")
    return MultiFernet([Fernet(k.encode()) for k in parts])


def fernet(spec: KeySpec, *, may_create: Callable[[], bool] | None = None) -> MultiFernet:
    """The keys of ``spec``. With none configured, make the key file if ``may_create()`` says so
    (nothing sealed with this key exists yet); otherwise refuse with ``KeyMissing``."""
    keys = configured_keys(spec)
    if not keys:
        if may_create is None or not may_create():
            raise KeyMissing()
        key_file_create(spec)
        keys = configured_keys(spec)
    return _fernet_for(keys, spec.setting)
