"""A process killed (SIGKILL) in the middle of transfers leaves no half-written transfer.

A child process makes transfers as fast as it can, printing the id of each one committed; it is
killed without warning after a few hundred. Afterwards `dualpower ledger check`, run as a fresh
process, finds every balance equal to the sum of its transfers, and every transfer the child
reported is there. On SQLite the child works on a copy of the test database (a file, WAL mode,
as a node runs); on PostgreSQL on the test database itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from dualpower.ledger import services
from dualpower.ledger.tests.factories import CurrencyFactory

DUALPOWER = str(Path(sys.executable).with_name("dualpower"))

CHILD = textwrap.dedent(
    """
    import random, sys
    from dualpower.ledger import services
    from dualpower.ledger.models import Account, Currency
    from dualpower.errors import Conflict
    roots = Currency.objects.get(code="roots")
    accounts = list(Account.objects.filter(currency=roots, owner_kind="working_group").order_by("pk"))
    rng = random.Random(5)
    n = 0
    while True:
        a, b = rng.sample(accounts, 2)
        try:
            t = services.transfer_make(debit=a, credit=b, amount=rng.randint(1, 900), notify=False).transfer
        except Conflict:
            continue
        n += 1
        print(t.pk, flush=True)
    """
)


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DP_DATABASE_URL"}}
    env["DP_HOME"] = str(home)
    env["DP_SECRET_KEY"] = "crash-test-only"
    if connection.vendor == "postgresql":
        db = settings.DATABASES["default"]
        where = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env["DATABASE_URL"] = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{where}"
    return env


@pytest.mark.db_sensitive
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("ledger_emptied_after")
def test_a_killed_process_leaves_a_ledger_that_passes_the_check(community: Any, tmp_path: Path) -> None:
    roots = CurrencyFactory.create(community=community)
    for i in range(20):
        services.account_open(
            currency=roots,
            owner_kind="working_group",
            owner_id=i,
            name=f"G{i}",
            lower_limit=-5_000,
            upper_limit=5_000,
        )
    home = tmp_path / "home"
    home.mkdir()
    if connection.vendor == "sqlite":
        # A consistent copy of the test database, where the child and the checker work.
        target = sqlite3.connect(home / "dualpower.sqlite3")
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
    env = _env(home)
    child = subprocess.Popen(
        [DUALPOWER, "manage", "shell", "-c", CHILD],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    committed: list[int] = []
    deadline = time.monotonic() + 240
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip().isdigit():
                committed.append(int(line))
            if len(committed) >= 200 or time.monotonic() > deadline:
                break
        child.send_signal(signal.SIGKILL)  # mid-stream: no clean shutdown, no rollback by Python
    finally:
        child.kill()
        child.wait(timeout=30)
    assert len(committed) >= 50, child.stderr.read() if child.stderr else ""
    check = subprocess.run(
        [DUALPOWER, "ledger", "check"], env=env, capture_output=True, text=True, timeout=300
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("ok")
    # Every transfer the child saw committed survived the kill.
    export = subprocess.run(
        [DUALPOWER, "ledger", "export"], env=env, capture_output=True, text=True, timeout=300
    )
    ids = {int(row.split(",", 1)[0]) for row in export.stdout.splitlines()[1:]}
    assert set(committed) <= ids
    if connection.vendor == "sqlite":
        shutil.rmtree(home, ignore_errors=True)
