"""The ledger's test world: Riverside's currency "Roots" and time bank, with accounts.

Transactional tests end with Django emptying every table; on SQLite the immutable-transfer
triggers (and the audit log's) refuse that, so ``ledger_emptied_after`` lifts them briefly.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from dualpower.community.tests.audit_flush import audit_log_emptied_after, empty_audit_log  # noqa: F401

_triggers = importlib.import_module("dualpower.ledger.migrations.0002_transfers_append_only")


def empty_ledger() -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for sql in _triggers.SQLITE_DOWN:
            cursor.execute(sql)
        for table in (
            "ledger_invoice",
            "ledger_transfer",
            "ledger_demurragerun",
            "ledger_account",
            "ledger_currency",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        for sql in _triggers.SQLITE_UP:
            cursor.execute(sql)
    empty_audit_log()


@pytest.fixture
def ledger_emptied_after(transactional_db: None) -> Iterator[None]:
    yield
    empty_ledger()


@pytest.fixture(autouse=True)
def _plain_static_files(settings: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def roots(community: Any) -> Any:
    from dualpower.ledger.tests.factories import CurrencyFactory

    return CurrencyFactory.create(community=community)


@pytest.fixture
def hours(community: Any) -> Any:
    from dualpower.ledger import services

    return services.currency_create(
        community=community,
        name="Southside Hours",
        kind="time_bank",
        by=None,
        default_lower_limit=-600,
        default_upper_limit=6000,
    )
