from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401
from dualpower.outbox.selectors import FILE_BACKEND


@pytest.fixture
def mail_folder(settings: Any, tmp_path: Path) -> Path:
    """The node has no mail server: Django's file backend writes each email into this folder."""
    folder = tmp_path / "mail"
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = folder
    return folder
