"""Two-factor secrets at rest: allauth's TOTP secrets and recovery-code seeds are sealed with the
MFA key (DP_MFA_KEY / DP_HOME/mfa.key), read back through the MFA adapter; secrets stored in
clear before sealing began still work and are sealed by `mfa_seal_plain_secrets` (run by
`dualpower init` and `dualpower restore`)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from cryptography.fernet import Fernet
from django.core.cache import cache
from django.db import connection

from dualpower import keys
from dualpower.members.adapters import mfa_seal_plain_secrets
from dualpower.members.tests.factories import make_user

pytestmark = pytest.mark.django_db
KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _mfa_key(settings: Any) -> None:
    settings.DP_MFA_KEY = KEY
    cache.clear()  # allauth remembers used codes in the cache


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def _raw_data(pk: int) -> str:
    """The authenticator's data column as the database holds it (a thief's view)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {Authenticator._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_a_totp_secret_is_stored_sealed_and_still_checks_codes() -> None:
    user = make_user("tess@example.org")
    secret = generate_totp_secret()
    totp = TOTP.activate(user, secret)
    raw = _raw_data(totp.instance.pk)
    assert secret not in raw
    assert '"gAAAAA' in raw or "'gAAAAA" in raw
    fresh = TOTP(Authenticator.objects.get(pk=totp.instance.pk))
    assert fresh.validate_code(_code(secret)) is True
    assert fresh.validate_code("000000" if _code(secret) != "000000" else "111111") is False


def test_recovery_codes_are_made_from_a_sealed_seed() -> None:
    user = make_user("rico@example.org")
    codes = RecoveryCodes.activate(user)
    seed = keys.fernet(keys.MFA).decrypt(codes.instance.data["seed"].encode()).decode()
    assert seed not in _raw_data(codes.instance.pk)
    fresh = RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk))
    unused = fresh.get_unused_codes()
    assert len(unused) == len(set(unused)) > 0
    assert fresh.validate_code(unused[0]) is True
    assert fresh.validate_code(unused[0]) is False  # used once


def test_plain_secrets_from_before_still_work_and_are_sealed_once() -> None:
    user = make_user("olde@example.org")
    secret = generate_totp_secret()
    seed = RecoveryCodes.generate_seed()
    totp = Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": secret})
    rec = Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": seed, "used_mask": 0}
    )
    assert TOTP(totp).validate_code(_code(secret)) is True  # a plain value is read as it is
    plain_codes = RecoveryCodes(rec).get_unused_codes()

    assert mfa_seal_plain_secrets() == 2
    assert mfa_seal_plain_secrets() == 0  # idempotent
    assert secret not in _raw_data(totp.pk) and seed not in _raw_data(rec.pk)
    cache.clear()
    assert TOTP(Authenticator.objects.get(pk=totp.pk)).validate_code(_code(secret)) is True
    assert RecoveryCodes(Authenticator.objects.get(pk=rec.pk)).get_unused_codes() == plain_codes


def test_without_the_key_sealed_secrets_are_refused_and_no_key_is_made(settings: Any, tmp_path: Path) -> None:
    user = make_user("kim@example.org")
    secret = generate_totp_secret()
    totp = TOTP.activate(user, secret)
    settings.DP_MFA_KEY = None
    settings.DP_HOME = tmp_path
    os.environ.pop("DP_MFA_KEY", None)
    with pytest.raises(keys.KeyMissing, match="key that opens this sealed information is missing"):
        TOTP(Authenticator.objects.get(pk=totp.instance.pk)).validate_code(_code(secret))
    with pytest.raises(keys.KeyMissing):  # nor a new secret sealed with a key of its own
        TOTP.activate(make_user("lee@example.org"), generate_totp_secret())
    assert not (tmp_path / keys.MFA.file_name).exists()


def test_the_first_seal_makes_an_owner_only_key_file_when_nothing_is_sealed(
    settings: Any, tmp_path: Path
) -> None:
    settings.DP_MFA_KEY = None
    settings.DP_HOME = tmp_path
    os.environ.pop("DP_MFA_KEY", None)
    secret = generate_totp_secret()
    totp = TOTP.activate(make_user("first@example.org"), secret)
    key_file = tmp_path / keys.MFA.file_name
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert TOTP(Authenticator.objects.get(pk=totp.instance.pk)).validate_code(_code(secret)) is True


def test_init_makes_missing_keys_but_not_in_place_of_a_lost_one(settings: Any, tmp_path: Path) -> None:
    from dualpower.ops.sealing import keys_init

    TOTP.activate(make_user("sealed@example.org"), generate_totp_secret())  # sealed with KEY
    settings.DP_MFA_KEY = None
    settings.DP_AID_KEY = None
    settings.DP_HOME = tmp_path
    os.environ.pop("DP_MFA_KEY", None)
    os.environ.pop("DP_AID_KEY", None)
    said: list[str] = []
    keys_init(say=said.append)
    assert not (tmp_path / keys.MFA.file_name).exists()  # the lost key is not replaced
    assert any("two-factor secrets sealed with a key this server does not have" in s for s in said)
    assert (tmp_path / keys.AID.file_name).exists()  # nothing is sealed with the aid key: made
    Authenticator.objects.all().delete()
    keys_init(say=said.append)
    assert stat.S_IMODE((tmp_path / keys.MFA.file_name).stat().st_mode) == 0o600
