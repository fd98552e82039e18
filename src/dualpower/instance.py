"""The instance directory: where a node keeps its database, secret key, uploads and mail.

Default ``./var`` (relative to where dualpower runs); ``DP_HOME`` moves it. Nothing here
imports Django, so the CLI can prepare an instance before Django starts.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)


def home() -> Path:
    return Path(os.environ.get("DP_HOME", "var")).expanduser().resolve()


def ensure_home(path: Path | None = None) -> Path:
    """Create the instance directory and its generated secret key if missing; return it."""
    root = path or home()
    for sub in ("", "media", "mail", "backups", "static"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    key_file = root / SECRET_KEY_FILE
    if not key_file.exists():
        # Written with owner-only permissions: whoever reads it can forge sessions.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return root


def secret_key(root: Path) -> str:
    return (root / SECRET_KEY_FILE).read_text().strip()
