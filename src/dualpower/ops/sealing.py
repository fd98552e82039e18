"""The keys that seal aid details and two-factor secrets, from the operator's side: made by
`dualpower init` (only while nothing is sealed with them: a new key in place of a lost one
would silently make every sealed value unreadable), and two-factor secrets from before sealing
began sealed by `init` and `restore`."""

from __future__ import annotations

from collections.abc import Callable

from dualpower import keys
from dualpower.aid.crypto import nothing_sealed_yet
from dualpower.members.adapters import mfa_nothing_sealed_yet, mfa_seal_plain_secrets

Say = Callable[[str], None]

_WHAT = {
    keys.AID.file_name: ("mutual aid requests' private details", nothing_sealed_yet),
    keys.MFA.file_name: ("two-factor secrets", mfa_nothing_sealed_yet),
}


def keys_init(*, say: Say) -> None:
    """Make each missing key file, unless values sealed with the lost key exist: then say so."""
    for spec in keys.ALL:
        if keys.configured_keys(spec):
            continue
        what, nothing_sealed = _WHAT[spec.file_name]
        if not nothing_sealed():
            say(
                f"The database holds {what} sealed with a key this server does not have: put the key "
                f"file back at {keys.key_path(spec)} (or set {spec.setting}); no new key was made."
            )
            continue
        made = keys.key_file_create(spec)
        if made is not None:
            say(f"Key for {what} made: {made}. Back it up apart from the database (docs/operating.md).")
    mfa_reseal(say=say)


def mfa_reseal(*, say: Say) -> None:
    """Seal two-factor secrets stored in clear by an older version (when the key is at hand)."""
    try:
        sealed = mfa_seal_plain_secrets()
    except keys.KeyMissing:
        return  # keys_init or restore has already said the key is missing
    if sealed:
        say(f"Sealed the two-factor secrets of {sealed} authenticators stored in clear by an older version.")
