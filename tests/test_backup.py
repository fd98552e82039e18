"""Backups: what goes in one file comes back whole on a new instance, audit log still sealed.

The round trip runs real `dualpower` processes on two instance directories. On SQLite it uses two
DP_HOMEs; when the suite runs on PostgreSQL (make test's second pass) it uses two new databases
on that server, so the dumpdata/loaddata path is checked too.
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from tests.instances import instances, ok, run, set_up

from dualpower.cli import main
from dualpower.ops.backup import MANIFEST

# Run inside an instance: build a small community with every kind of thing a backup must keep.
MAKE_DATA = """
import django; django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_application, make_community, make_membership, make_user
from dualpower.community.services import audit_record
community = make_community("Riverside Mutual Aid", slug="riverside", description="Neighbours helping.")
coordinator = make_membership(community, role=Membership.Role.COORDINATOR, name="Cato",
                              user=make_user("cato@example.org", password="cato's long password"))
member = make_membership(community, name="Mara")
make_membership(community, role=Membership.Role.OBSERVER, name="Olu")
make_application(community, answers=["I live on Elm Street."])
food = WorkingGroup.objects.get(community=community, slug="food")
GroupMembership.objects.create(group=food, membership=member, is_convener=True)
audit_record(community=community, actor=coordinator, action="group.convener_set", target=food,
             summary="Mara convenes Food", data={"convener": "Mara"})
default_storage.save("avatars/mara.txt", ContentFile(b"a picture of Mara"))
# Balances that the database derives from transfers (a trigger) must come back once, not twice.
from dualpower.ledger import services as ledger
from dualpower.ledger.services import Leg
roots = ledger.currency_create(community=community, name="Roots", by=None, default_lower_limit=-1000,
                                default_upper_limit=1000)
mara_account = ledger.member_account(currency=roots, membership=member)
cato_account = ledger.member_account(currency=roots, membership=coordinator)
ledger.transfer_make(debit=mara_account, credit=cato_account, amount=300, notify=False)
ledger.transfers_link(currency=roots, legs=[Leg(cato_account.pk, mara_account.pk, 120),
                                            Leg(mara_account.pk, cato_account.pk, 20)], notify=False)
"""

# Print everything the round trip must preserve, row by row, then check the log is still sealed.
SNAPSHOT = """
import json, django; django.setup()
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.models import Application, Membership, User
from dualpower.community.models import AuditEntry, Community
from dualpower.ledger.models import Account, Transfer
from dualpower.ledger.selectors import ledger_check
rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in
        (Community, User, EmailAddress, Membership, Application, WorkingGroup, GroupMembership, AuditEntry,
         Account, Transfer)}
sealed = True
try:
    with transaction.atomic():
        AuditEntry.objects.update(summary="rewritten")
    sealed = False
except DatabaseError:
    pass
out = {
    "rows": rows,
    "password_ok": User.objects.get(email="cato@example.org").check_password("cato's long password"),
    "upload": default_storage.open("avatars/mara.txt").read().decode(),
    "audit_sealed": sealed,
    "ledger_problems": ledger_check().problems,
}
print(json.dumps(out, default=str))
"""

# After a restore the node must keep working: new rows get fresh ids (PostgreSQL sequences).
WRITE_AFTER = """
import django; django.setup()
from dualpower.community.services import community_create
print(community_create(name="After the restore").pk)
"""


@pytest.fixture
def two_instances(tmp_path: Path) -> Iterator[list[dict[str, str]]]:
    with instances(tmp_path, "source", "target") as envs:
        yield envs


@pytest.mark.db_sensitive
@pytest.mark.slow
def test_a_backup_restored_on_a_new_instance_holds_the_same_community(
    two_instances: list[dict[str, str]], tmp_path: Path, instance_template: Any
) -> None:
    source, target = two_instances
    set_up(source, instance_template)  # = `dualpower init`, copied from the run's one
    ok(run(source, code=MAKE_DATA))
    before = json.loads(ok(run(source, code=SNAPSHOT)))
    archive = tmp_path / "node.tar.gz"
    ok(run(source, "backup", str(archive)))

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(MANIFEST))  # type: ignore[arg-type]
        names = tar.getnames()
    assert manifest["db_vendor"] == connection.vendor
    assert "community.0002_audit_append_only" in manifest["migrations"]
    assert manifest["created_at"] and manifest["dualpower_version"]
    assert "media/avatars/mara.txt" in names

    ok(run(target, "restore", str(archive)))
    after = json.loads(ok(run(target, code=SNAPSHOT)))
    assert after["rows"] == before["rows"]
    counts = {model: len(rows) for model, rows in after["rows"].items()}
    assert counts["Community"] == 1 and counts["Membership"] == 3 and counts["WorkingGroup"] == 5
    assert counts["AuditEntry"] >= 7
    assert {(m["display_name"], m["role"]) for m in after["rows"]["Membership"]} == {
        ("Cato", "coordinator"),
        ("Mara", "member"),
        ("Olu", "observer"),
    }
    assert any(e["data"] == {"convener": "Mara"} for e in after["rows"]["AuditEntry"])
    assert after["password_ok"] is True
    assert after["upload"] == "a picture of Mara"
    assert after["audit_sealed"] is True
    assert sorted(a["balance"] for a in after["rows"]["Account"]) == [-200, 0, 200]
    assert len(after["rows"]["Transfer"]) == 3 and after["ledger_problems"] == []

    refused = run(target, "restore", str(archive))
    assert refused.returncode == 2
    assert "empty instance" in refused.stderr
    ok(run(target, "restore", "--force", str(archive)))
    assert json.loads(ok(run(target, code=SNAPSHOT)))["rows"] == before["rows"]
    new_id = int(ok(run(target, code=WRITE_AFTER)).strip())
    assert new_id > max(c["id"] for c in before["rows"]["Community"])


@pytest.mark.parametrize(
    ("make_file", "fragment"),
    [
        (lambda p: p, "no file"),
        (lambda p: (p.write_text("hello"), p)[1], "not a dualpower backup"),
    ],
)
def test_restore_refuses_what_is_not_a_backup(
    tmp_path: Path, db: None, capsys: Any, make_file: Any, fragment: str
) -> None:
    path = make_file(tmp_path / "thing.tar.gz")
    assert main(["restore", str(path)]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_restore_refuses_an_archive_with_stray_files(tmp_path: Path, db: None, capsys: Any) -> None:
    path = tmp_path / "evil.tar.gz"
    payload = tmp_path / "payload"
    payload.write_text("x")
    manifest = tmp_path / MANIFEST
    manifest.write_text(json.dumps({"format": 1, "database_file": "database.sqlite3", "migrations": []}))
    with tarfile.open(path, "w:gz") as tar:
        tar.add(manifest, arcname=MANIFEST)
        tar.add(payload, arcname="../../etc/evil")
    assert main(["restore", str(path)]) == 2
    assert "unexpected file" in capsys.readouterr().err


def test_restore_refuses_a_backup_from_a_newer_version(tmp_path: Path, db: None, capsys: Any) -> None:
    path = tmp_path / "future.tar.gz"
    manifest = tmp_path / MANIFEST
    manifest.write_text(
        json.dumps(
            {"format": 1, "database_file": "database.sqlite3", "migrations": ["community.0999_future"]}
        )
    )
    with tarfile.open(path, "w:gz") as tar:
        tar.add(manifest, arcname=MANIFEST)
    assert main(["restore", str(path)]) == 2
    assert "newer dualpower" in capsys.readouterr().err


def test_backup_into_a_missing_folder_is_refused(tmp_path: Path, db: None, capsys: Any) -> None:
    assert main(["backup", str(tmp_path / "nowhere" / "node.tar.gz")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.db_sensitive
@pytest.mark.slow
@pytest.mark.postgres_only
@pytest.mark.parametrize("on_sqlite", ["source", "target"])
def test_a_node_moves_between_sqlite_and_postgresql_through_a_backup(
    two_instances: list[dict[str, str]], tmp_path: Path, on_sqlite: str, instance_template: Any
) -> None:
    source, target = two_instances
    if on_sqlite == "source":
        source = {k: v for k, v in source.items() if k != "DATABASE_URL"}
    else:
        target = {k: v for k, v in target.items() if k != "DATABASE_URL"}
    set_up(source, instance_template)  # = `dualpower init` (a copy when on the template's database)
    ok(run(source, code=MAKE_DATA))
    before = json.loads(ok(run(source, code=SNAPSHOT)))
    archive = tmp_path / "node.tar.gz"
    ok(run(source, "backup", str(archive)))
    ok(run(target, "restore", str(archive)))
    after = json.loads(ok(run(target, code=SNAPSHOT)))
    assert after == before
    int(ok(run(target, code=WRITE_AFTER)).strip())
