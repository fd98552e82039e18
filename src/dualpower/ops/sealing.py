"""The keys that seal aid details and two-factor secrets, from the operator's side: made by
`dualpower init` (only while nothing is sealed with them: a new key in place of a lost one
would silently make every sealed value unreadable), and two-factor secrets from before sealing
began sealed by `init` and `restore`. The keys of open secret votes (one file per vote, made and
deleted by the assemblies app) are checked here: a missing one is named, a left-over one deleted."""

from __future__ import annotations

from collections.abc import Callable

from dualpower import keys
from dualpower.aid.crypto import nothing_sealed_yet
from dualpower.assemblies.selectors import ballot_boxes
from dualpower.members.adapters import mfa_nothing_sealed_yet, mfa_seal_plain_secrets

Say = Callable[[str], None]
# A ballot key file no open vote names is deleted only when older than this: the first ballot of a
# vote writes its key file a moment before the transaction that names it commits.
LEFT_OVER_AFTER = 3600.0

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
    ballot_keys_check(say=say)


def ballot_keys_check(*, say: Say) -> None:
    """Name the open secret votes whose key file is missing (they cannot be counted: put the file
    back, or withdraw the vote and hold it again); delete key files no open vote names (a vote
    closed while the file could not be deleted, or a database replaced by a restore), so that they
    cannot open the sealed ballots of an older copy of the database."""
    boxes = ballot_boxes()
    named = {key_id for key_id, _p, _n in boxes}
    for key_id, proposal, sealed in boxes:
        if sealed and keys.ballot_key_read(key_id) is None:
            say(
                f"The secret vote “{proposal.title}” ({proposal.assembly.community.slug}) holds "
                f"{sealed} sealed ballots whose key is not on this server: put the file back at "
                f"{keys.ballot_key_path(key_id)}, or withdraw the vote and hold it again; no new key "
                "was made."
            )
    left_over = [k for k in keys.ballot_key_ids(older_than=LEFT_OVER_AFTER) if k not in named]
    for key_id in left_over:
        keys.ballot_key_delete(key_id)
    if left_over:
        say(f"Deleted {len(left_over)} ballot keys of votes no longer open (in {keys.ballot_key_dir()}).")


def mfa_reseal(*, say: Say) -> None:
    """Seal two-factor secrets stored in clear by an older version (when the key is at hand)."""
    try:
        sealed = mfa_seal_plain_secrets()
    except keys.KeyMissing:
        return  # keys_init or restore has already said the key is missing
    if sealed:
        say(f"Sealed the two-factor secrets of {sealed} authenticators stored in clear by an older version.")
