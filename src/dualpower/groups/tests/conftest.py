"""Pages render in tests without a collected static manifest."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
