"""The federation's private keys: files in the instance directory, never rows.

``DP_HOME/federation-keys/`` holds one RSA 2048 key per actor (``instance.pem`` for the node's
instance actor, ``community-<pk>.pem`` for each community's Group actor, ``person-<pk>.pem`` for each
member who chose to be a Person actor (persons.py; removed when they stop): HTTP signatures, which
Mastodon and most of the fediverse verify only with RSA) and one Ed25519 key for the node
(``node-ed25519.pem``: FEP-8b32 integrity proofs on objects exchanged between dualpower nodes).

A key is made on first use, owner-only (0600), and never replaced: a lost key file means other
servers no longer recognise the actor's signatures until they refetch its new key, so the folder is
backed up with the other key files (docs/operating.md). The file appears whole or not at all: it is
written under a temporary name and linked into place, so two processes starting at once agree on
one key (the second takes the first one's).

The key names are the community's primary key rather than its slug, so renaming a community keeps
its key (its actor id changes with the slug, docs/federation.md).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from dualpower import instance
from dualpower.federation.proofs import ed25519_private_pem, multikey_public, rsa_private_pem, rsa_public_pem

KEY_DIR = "federation-keys"
INSTANCE = "instance"
NODE_PROOF = "node-ed25519"
_NAME = re.compile(r"^(instance|community-[0-9]+|person-[0-9]+)$")


def key_dir() -> Path:
    home = getattr(settings, "DP_HOME", None)
    return (Path(home) if home is not None else instance.home()) / KEY_DIR


def community_key_name(community_pk: int) -> str:
    return f"community-{community_pk}"


def person_key_name(person_pk: int) -> str:
    return f"person-{person_pk}"


def _file_create(path: Path, content: str) -> None:
    """Put ``content`` at ``path`` unless a file is already there (then keep that one)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        # The link fails if another process linked its key first: theirs is kept.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _pem(name: str, make: Callable[[], str]) -> str:
    return _pem_at(key_dir(), name, make)


@lru_cache(maxsize=256)
def _pem_at(folder: Path, name: str, make: Callable[[], str]) -> str:
    path = folder / f"{name}.pem"
    if not path.exists():
        _file_create(path, make())
    return path.read_text()


def actor_private_pem(name: str) -> str:
    """The actor's RSA private key (PEM), made on first use. ``name``: "instance" or
    "community-<pk>" or "person-<pk>"."""
    if not _NAME.match(name):
        raise ValueError(f"not an actor key name: {name!r}")
    return _pem(name, rsa_private_pem)


def actor_key_delete(name: str) -> None:
    """Remove a person's key file (they stopped being visible): its signatures mean nothing any more.
    Community and instance keys are never removed (see above)."""
    if not name.startswith("person-") or not _NAME.match(name):
        raise ValueError(f"not a person's key name: {name!r}")
    (key_dir() / f"{name}.pem").unlink(missing_ok=True)
    _pem_at.cache_clear()  # the cache would otherwise keep serving the removed key


def actor_key_exists(name: str) -> bool:
    return (key_dir() / f"{name}.pem").exists()


@lru_cache(maxsize=256)
def _public_of(private_pem: str) -> str:
    return rsa_public_pem(private_pem)


def actor_public_pem(name: str) -> str:
    return _public_of(actor_private_pem(name))


def node_proof_private_pem() -> str:
    """The node's Ed25519 private key for FEP-8b32 integrity proofs (PEM), made on first use."""
    return _pem(NODE_PROOF, ed25519_private_pem)


@lru_cache(maxsize=16)
def _multibase_of(private_pem: str) -> str:
    return multikey_public(private_pem)


def node_proof_multibase() -> str:
    """The node's Ed25519 public key as a Multikey (``z6Mk…``), published in its actors."""
    return _multibase_of(node_proof_private_pem())
