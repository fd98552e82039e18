"""Fernet keys kept outside the database, for what a stolen database file or backup must not reveal.

Two keys, each from, in order:

1. the setting or environment variable (``DP_AID_KEY``, ``DP_MFA_KEY``): one or more Fernet keys,
   comma-separated, newest first (MultiFernet: old keys still open old tokens during a rotation);
2. a file in the instance directory (DP_HOME: ``aid.key``, ``mfa.key``), owner-only (0600).

A key file is made by `dualpower init`, or by the first write when nothing sealed with that key
exists yet. Reading sealed data without its key is refused with a sentence (``KeyMissing``): a new
key made then would silently make every sealed value unreadable. Back the files up apart from the
database (docs/operating.md).

Secret ballots have keys of their own, one per vote (``ballot_key_*``): a file
``ballot-keys/<key id>.key`` in DP_HOME (or in ``DP_BALLOT_KEY_DIR``), made when the first ballot
of a vote is sealed and deleted when the vote closes. They are never backed up: a copy of the
database alone never opens a sealed ballot (docs/assemblies.md, "Who can learn what").
"""

from __future__ import annotations

import os
import re
import secrets
import time
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


# Secret ballots: one key per vote, in a folder of its own (docs/assemblies.md).
BALLOT_KEY_DIR_SETTING = "DP_BALLOT_KEY_DIR"
BALLOT_KEY_DIR = "ballot-keys"
_BALLOT_KEY_ID = re.compile(r"^[0-9a-f]{32}$")


class BallotKeyMissing(KeyMissing):
    code = "ballot_key_missing"
    default_detail = _(
        "The key that opens this vote's sealed ballots is missing from this server: put its file "
        "back in the ballot key folder (docs/operating.md), or withdraw the vote and hold it again. "
        "No new key was made."
    )


def ballot_key_dir() -> Path:
    """Where the keys of open secret votes are kept: ``DP_BALLOT_KEY_DIR``, else DP_HOME/ballot-keys."""
    chosen = getattr(settings, BALLOT_KEY_DIR_SETTING, None) or os.environ.get(BALLOT_KEY_DIR_SETTING)
    if chosen:
        return Path(chosen)
    home = getattr(settings, "DP_HOME", None)
    return (Path(home) if home is not None else instance.home()) / BALLOT_KEY_DIR


def ballot_key_path(key_id: str) -> Path:
    if not _BALLOT_KEY_ID.match(key_id):
        raise ValueError(f"not a ballot key id: {key_id!r}")
    return ballot_key_dir() / f"{key_id}.key"


def ballot_key_create() -> tuple[str, bytes]:
    """A new vote's key: a fresh random id and a Fernet key in its own owner-only file."""
    folder = ballot_key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key_id = secrets.token_hex(16)
    key = Fernet.generate_key()
    fd = os.open(ballot_key_path(key_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    return key_id, key


def ballot_key_read(key_id: str) -> bytes | None:
    """The vote's key, or None if its file is not on this server."""
    path = ballot_key_path(key_id)
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        return None


def ballot_key_delete(key_id: str) -> None:
    """Delete a closed vote's key: the sealed ballots in older copies of the database can no longer
    be opened by anyone."""
    ballot_key_path(key_id).unlink(missing_ok=True)


def ballot_key_ids(*, older_than: float = 0.0) -> list[str]:
    """The ids of the ballot key files present, made at least ``older_than`` seconds ago."""
    folder = ballot_key_dir()
    if not folder.is_dir():
        return []
    now = time.time()
    found = []
    for path in folder.glob("*.key"):
        if _BALLOT_KEY_ID.match(path.stem) and now - path.stat().st_mtime >= older_than:
            found.append(path.stem)
    return sorted(found)
