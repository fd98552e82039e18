"""Instances from before the `node` app was renamed `community` carry on after an upgrade.

The fixtures were made by the main branch before the rename (commit c91ab48) with the demo loaded:
a SQLite backup (the database file itself) and a PostgreSQL backup (a JSON dump). Each one is
restored, or its database migrated in place, by today's code; then the coordinator opens every page
reachable from the community's home and each answers 200.
"""

from __future__ import annotations

import json
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from tests.instances import instances, ok, run, set_up

FIXTURES = Path(__file__).parent / "fixtures" / "before-community-rename"

# Run inside an instance: the coordinator follows every link of the demo community, breadth first.
CRAWL = """
import json, re, django; django.setup()
from django.test import Client
from django.contrib.auth import get_user_model
from dualpower.community.models import AuditEntry, Community
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(get_user_model().objects.get(email="coordinator@demo.dualpower"))
start = "/c/demo/"
seen, queue, answers = {start}, [start], {}
while queue and len(seen) < 400:
    path = queue.pop(0)
    response = client.get(path)
    answers[path] = response.status_code
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        continue
    for link in re.findall(r'href="(/c/demo/[^"#?]*)', response.content.decode()):
        if link not in seen and not link.endswith((".ics", ".csv", ".pdf", ".pb", ".json")):
            seen.add(link)
            queue.append(link)
print(json.dumps({
    "answers": answers,
    "communities": list(Community.objects.values_list("slug", flat=True)),
    "audit_entries": AuditEntry.objects.count(),
    "old_labels": AuditEntry.objects.filter(target_type__startswith="node.").count(),
}))
"""


def crawl(env: dict[str, str]) -> dict[str, object]:
    result = json.loads(ok(run(env, code=CRAWL)).strip().splitlines()[-1])
    failing = {path: status for path, status in result["answers"].items() if status != 200}
    assert not failing, failing
    assert len(result["answers"]) > 80  # the crawl reached the apps, not only the home page
    assert result["communities"] == ["demo"]
    assert result["audit_entries"] > 100 and result["old_labels"] == 0
    return result


@pytest.mark.slow
def test_a_sqlite_database_from_before_the_rename_migrates_in_place(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.fail("run on SQLite (make test's first pass)")
    with instances(tmp_path, "old") as (env,):
        home = Path(env["DP_HOME"])
        home.mkdir()
        with tarfile.open(FIXTURES / "sqlite-backup.tar.gz") as tar:
            tar.extract("database.sqlite3", home, filter="data")
        (home / "database.sqlite3").rename(home / "dualpower.sqlite3")
        shutil.copy(FIXTURES / "sqlite-backup-aid.key", home / "aid.key")
        out = ok(run(env, "init"))
        assert "node → community" in out or "Instance ready" in out
        crawl(env)
        # Once carried over, init is a no-op: nothing is renamed twice.
        ok(run(env, "init"))
        crawl(env)


@pytest.mark.slow
@pytest.mark.db_sensitive
# Each backup onto the database it was made on: a SQLite node's backup in the SQLite pass, a
# PostgreSQL node's in the PostgreSQL pass. Moving a backup between the two databases is the same
# code for old and new backups, and tests/test_backup.py moves one each way (the two crossings
# here took four minutes of make test's twenty).
@pytest.mark.parametrize(
    "backup",
    [
        pytest.param("sqlite-backup", marks=pytest.mark.sqlite_pass_only),
        pytest.param("postgresql-backup", marks=pytest.mark.postgres_only),
    ],
)
def test_a_backup_from_before_the_rename_restores(
    tmp_path: Path, backup: str, instance_template: Any
) -> None:
    with instances(tmp_path, "new") as (env,):
        set_up(env, instance_template)  # = `dualpower init`, copied from the run's one
        ok(run(env, "restore", str(FIXTURES / f"{backup}.tar.gz")))
        shutil.copy(FIXTURES / f"{backup}-aid.key", Path(env["DP_HOME"]) / "aid.key")
        crawl(env)
