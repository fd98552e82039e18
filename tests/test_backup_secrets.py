"""What a backup must not carry: live sessions, e-mail confirmation keys, raw access tokens, clear
two-factor secrets (issue 14, "Backups"). And the documented move of a SQLite node to PostgreSQL
works even when the append-only audit log holds a NUL character.

Real `dualpower` processes on instances of their own (tests/instances.py): on SQLite the archive
holds a database file, read here as raw bytes and with sqlite3; in the PostgreSQL pass it holds
database.json, read as text.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from tests.instances import instances, ok, run, set_up

from dualpower import keys
from dualpower.cli import main
from dualpower.community.models import AuditEntry
from dualpower.community.services import audit_record
from dualpower.members.tests.factories import make_community
from dualpower.ops.nul import CORRECTION, audit_nul_repair

PASSWORD = "cato's long password"

# Sign in, leave an e-mail confirmation pending, make a personal access token, turn on TOTP.
SIGN_IN = f"""
import json, django; django.setup()
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import timezone
from dualpower.members.services.tokens import token_create
from dualpower.members.tests.factories import make_user
user = make_user("cato@example.org", password={PASSWORD!r})
client = Client()
assert client.login(email="cato@example.org", password={PASSWORD!r})
newcomer = make_user("nia@example.org", verified=False)
confirmation = EmailConfirmation.create(EmailAddress.objects.get(user=newcomer))
confirmation.sent = timezone.now()
confirmation.save()
token, raw = token_create(user=user, name="my script")
secret = generate_totp_secret()
TOTP.activate(user, secret)
print(json.dumps({{"session": client.session.session_key, "confirmation": confirmation.key,
                  "token": raw, "totp": secret}}))
"""

# After the restore: no session came back, nor the confirmation; people sign in again; TOTP works.
AFTER = f"""
import json, django; django.setup()
from allauth.account.models import EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.contrib.sessions.models import Session
from django.test import Client
from dualpower.members.services.tokens import token_authenticate
secret, old_session, raw = {{args}}
def totp_ok():
    # The code of the current 30-second window, checked at once; asked again only if the window
    # turned between the two (the check allows no other window: a code made before a slow sign-in
    # could be refused for its age, not for a lost secret).
    while True:
        counter = next(yield_hotp_counters_from_time())
        code = format_hotp_value(hotp_value(secret, counter))
        ok = TOTP(Authenticator.objects.get(type="totp")).validate_code(code)
        if ok or counter == next(yield_hotp_counters_from_time()):
            return ok
client = Client()
print(json.dumps({{
    "sessions": Session.objects.count(),
    "old_session": Session.objects.filter(session_key=old_session).exists(),
    "confirmations": EmailConfirmation.objects.count(),
    "signs_in": client.login(email="cato@example.org", password={PASSWORD!r}),
    "totp_ok": totp_ok(),
    "token_user": getattr(token_authenticate(raw=raw), "email", None),
}}))
"""


@pytest.fixture
def two_instances(tmp_path: Path) -> Iterator[list[dict[str, str]]]:
    with instances(tmp_path, "source", "target") as envs:
        yield envs


def _archive_database(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        tar.extract(manifest["database_file"], into, filter="data")
    return into / manifest["database_file"]


@pytest.mark.db_sensitive
@pytest.mark.slow
def test_a_backup_holds_no_live_credentials_and_people_sign_in_again_after_a_restore(
    two_instances: list[dict[str, str]], tmp_path: Path, instance_template: Any
) -> None:
    source, target = two_instances
    set_up(source, instance_template)  # = `dualpower init`, copied from the run's one
    live = json.loads(ok(run(source, code=SIGN_IN)).strip().splitlines()[-1])
    # The source really holds them: the test would see them if the backup kept them.
    count = (
        "import django; django.setup(); from django.contrib.sessions.models import Session; "
        "print(Session.objects.count())"
    )
    assert int(ok(run(source, code=count)).strip()) >= 1
    archive = tmp_path / "node.tar.gz"
    said = ok(run(source, "backup", str(archive)))
    assert "mfa.key" in said and "aid.key" in said  # the keys are named as kept apart

    database = _archive_database(archive, tmp_path / "opened")
    raw = database.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    for secret in (live["session"], live["confirmation"], live["token"], live["totp"]):
        assert secret.encode() not in raw, secret
    assert hashlib.sha256(live["token"].encode()).hexdigest() in text  # tokens: only the hash
    with tarfile.open(archive) as tar:
        assert not any(name.endswith(".key") for name in tar.getnames())
    if database.suffix == ".sqlite3":
        db = sqlite3.connect(database)
        assert db.execute("SELECT COUNT(*) FROM django_session").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM account_emailconfirmation").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM members_accesstoken").fetchone() == (1,)
        db.close()
    else:
        models = {row["model"] for row in json.loads(text)}
        assert "sessions.session" not in models and "account.emailconfirmation" not in models
        assert "members.accesstoken" in models and "mfa.authenticator" in models

    # The operator restores the key files from where they kept them, then the backup.
    target_home = Path(target["DP_HOME"])
    target_home.mkdir(parents=True, exist_ok=True)
    for spec in keys.ALL:
        shutil.copy2(Path(source["DP_HOME"]) / spec.file_name, target_home / spec.file_name)
    ok(run(target, "restore", str(archive)))
    after = json.loads(
        ok(run(target, code=AFTER.replace("{args}", repr((live["totp"], live["session"], live["token"])))))
        .strip()
        .splitlines()[-1]
    )
    assert after == {
        "sessions": 0,
        "old_session": False,
        "confirmations": 0,
        "signs_in": True,
        "totp_ok": True,
        "token_user": "cato@example.org",
    }


# A SQLite node whose audit log holds a NUL (stored before NUL was refused at the door).
MAKE_NUL = """
import django; django.setup()
from dualpower.community.services import audit_record
from dualpower.members.tests.factories import make_community
community = make_community("Riverside", slug="riverside")
audit_record(community=community, actor=None, action="group.renamed", summary="Fo\\x00od",
             data={"name": "Fo\\x00od", "note\\x00": ["a\\x00"]})
"""

READ_AUDIT = """
import json, django; django.setup()
from dualpower.community.models import AuditEntry
print(json.dumps([{"action": e.action, "summary": e.summary, "data": e.data}
                  for e in AuditEntry.objects.order_by("pk")]))
"""


@pytest.mark.db_sensitive
@pytest.mark.slow
@pytest.mark.postgres_only
def test_a_sqlite_backup_with_a_nul_in_the_audit_log_restores_onto_postgresql(
    two_instances: list[dict[str, str]], tmp_path: Path, instance_template: Any
) -> None:
    source, target = two_instances
    source = {k: v for k, v in source.items() if k != "DATABASE_URL"}
    set_up(source, instance_template)  # = `dualpower init` on SQLite, copied from the run's one
    ok(run(source, code=MAKE_NUL))
    archive = tmp_path / "node.tar.gz"
    ok(run(source, "backup", str(archive)))
    said = ok(run(target, "restore", str(archive)))
    assert "U+FFFD" in said and "1 audit entries" in said
    entries = json.loads(ok(run(target, code=READ_AUDIT)))
    renamed = next(e for e in entries if e["action"] == "group.renamed")
    assert renamed["summary"] == "Fo\ufffdod"
    assert renamed["data"] == {"name": "Fo\ufffdod", "note\ufffd": ["a\ufffd"]}
    corrections = [e for e in entries if e["action"] == CORRECTION]
    assert len(corrections) == 1 and len(corrections[0]["data"]["entries"]) == 1
    assert not any("\x00" in json.dumps(e) for e in entries)


@pytest.mark.django_db(transaction=True)
def test_repair_nul_replaces_the_nul_in_the_audit_log_and_records_a_correction(capsys: Any) -> None:
    community = make_community("Riverside", slug="riverside-nul")
    if connection.vendor != "sqlite":  # PostgreSQL refuses a NUL: there is never anything to repair
        with pytest.raises((ValueError, DatabaseError)), transaction.atomic():
            audit_record(community=community, actor=None, action="group.renamed", summary="Fo\x00od")
        assert main(["repair-nul"]) == 0
        assert "nothing to repair" in capsys.readouterr().out
        return
    broken = audit_record(
        community=community, actor=None, action="group.renamed", summary="Fo\x00od", data={"name": "Fo\x00od"}
    )
    clean = audit_record(community=community, actor=None, action="group.created", summary="Food")
    assert main(["repair-nul"]) == 0
    assert "Repaired 1 audit entries" in capsys.readouterr().out
    broken.refresh_from_db()
    assert broken.summary == "Fo\ufffdod" and broken.data == {"name": "Fo\ufffdod"}
    correction = AuditEntry.objects.get(action=CORRECTION)
    assert correction.community_id == community.pk and correction.data["entries"] == [broken.pk]
    assert AuditEntry.objects.get(pk=clean.pk).summary == "Food"
    assert audit_nul_repair(say=print) == 0  # nothing left
    # The log is append-only again afterwards.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=broken.pk).update(summary="rewritten")
