"""Secret ballots sealed while the vote is open (issue 14, "Secret ballots"): no copy of the
database taken while a vote is open, nor any series of copies, links a voter to their ballot.

The attack is done as a thief would: a copy of the database (on SQLite the database file and its
write-ahead log, copied byte for byte; on PostgreSQL every row of the tables involved, read with
SQL) after every vote, one more after the close, and every link tried that the copies allow.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import shutil
import sqlite3
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps as django_apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dualpower import keys
from dualpower.assemblies import jobs, sealing, selectors, services
from dualpower.assemblies.models import Ballot, BallotBox, Proposal, SealedBallot
from dualpower.assemblies.tests.factories import after_close, general, open_proposal, voters
from dualpower.members.tests.factories import membership_of

TABLES = (
    "assemblies_participation",
    "assemblies_sealedballot",
    "assemblies_ballotbox",
    "assemblies_ballot",
    "community_auditentry",
)


@dataclass
class Copy:
    """What a thief holds: the rows of each table, and the raw bytes (to search for anything)."""

    rows: dict[str, list[dict[str, Any]]]
    raw: bytes


def _copy_database(where: Path, n: int) -> Copy:
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        target = where / f"copy-{n}.sqlite3"
        raw = b""
        for suffix in ("", "-wal"):
            source = Path(f"{name}{suffix}")
            if source.exists():
                shutil.copyfile(source, f"{target}{suffix}")
                raw += source.read_bytes()
        db = sqlite3.connect(target)
        db.row_factory = sqlite3.Row
        try:
            rows = {t: [dict(r) for r in db.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLES}  # noqa: S608
        finally:
            db.close()
        return Copy(rows=rows, raw=raw)
    rows = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY ctid")  # noqa: S608
            names = [c.name for c in cursor.description]
            rows[table] = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    flat = json.dumps(
        rows,
        default=lambda v: (
            bytes(v).hex() + base64.b64encode(bytes(v)).decode()
            if isinstance(v, bytes | memoryview)
            else str(v)
        ),
    )
    return Copy(rows=rows, raw=flat.encode())


def _blob(value: Any) -> bytes:
    if isinstance(value, str):  # PostgreSQL bytea read as text never happens; SQLite gives bytes
        return bytes.fromhex(value)
    return bytes(value)


def _ids(values: Any) -> set[str]:
    return {str(v).replace("-", "") for v in values}


@pytest.mark.db_sensitive
def test_copies_of_the_database_between_votes_do_not_link_a_voter_to_their_ballot(
    transactional_db: None, people: Any, community: Any, tmp_path: Path
) -> None:
    assembly = general(community, secret_ballots=True)
    group = voters(community, 6)
    author = membership_of(people["member"], community)
    p = open_proposal(assembly, author, process="approval", options=["A", "B", "C", "D", "E", "F"])
    ids = [str(o.pk) for o in p.options.all()]
    # Ballots of every size, from one option to all six; reasons typed (a secret ballot keeps none).
    ballots = [
        (ids[:1], ""),
        (ids, ""),
        (ids[2:4], "marker-reason-kiwi"),
        (ids[:5], "🙂" * 2000),
        (ids[5:], "marker-reason-plum " * 100),
        (ids[1:2], ""),
    ]
    copies = [_copy_database(tmp_path, 0)]
    receipts = {}
    for n, (voter, (choice, reason)) in enumerate(zip(group, ballots, strict=True), start=1):
        receipts[voter.pk] = services.vote_cast(proposal=p, by=voter, choices=choice, reason=reason).receipt
        copies.append(_copy_database(tmp_path, n))
    # The first voter changes their ballot with their receipt; a copy after that too.
    services.vote_cast(proposal=p, by=group[0], choices=ids[3:], receipt=receipts[group[0].pk])
    copies.append(_copy_database(tmp_path, 7))
    key_id = BallotBox.objects.get(proposal=p).key_id
    assert keys.ballot_key_path(key_id).exists()

    services.proposal_close(proposal=p, now=after_close(p))
    after = _copy_database(tmp_path, 8)

    # What the thief learns from the diffs: which sealed row is whose (one new participation, one
    # new sealed row each time). The rest of the test shows that this is worth nothing.
    owner: dict[str, int] = {}
    for before, now in itertools.pairwise(copies[:7]):
        new_voter = {r["membership_id"] for r in now.rows["assemblies_participation"]} - {
            r["membership_id"] for r in before.rows["assemblies_participation"]
        }
        new_rows = {str(r["id"]) for r in now.rows["assemblies_sealedballot"]} - {
            str(r["id"]) for r in before.rows["assemblies_sealedballot"]
        }
        assert len(new_voter) == 1 and len(new_rows) == 1
        owner[new_rows.pop()] = new_voter.pop()
    assert len(owner) == 6

    sealed_rows = [r for c in copies for r in c.rows["assemblies_sealedballot"]]
    published = after.rows["assemblies_ballot"]
    assert len(published) == 6 and not after.rows["assemblies_sealedballot"]
    assert {r["reason"] for r in published} == {""}
    assert not after.rows["assemblies_ballotbox"]

    # Before the close no clear ballot and no receipt digest exists anywhere in any copy.
    digests = {r["receipt_hash"] for r in published}
    for copy in copies:
        assert not copy.rows["assemblies_ballot"]
        for digest in digests:
            assert digest.encode() not in copy.raw and digest[:12].encode() not in copy.raw
        for code in receipts.values():
            assert code.encode() not in copy.raw and code.replace("-", "").encode() not in copy.raw
    for copy in [*copies, after]:
        assert b"marker-reason" not in copy.raw and "🙂".encode() not in copy.raw

    # Ids: the published ballots' keys are fresh, none is a sealed row's.
    assert not _ids(r["id"] for r in published) & _ids(r["id"] for r in sealed_rows)
    # The lookup column shares nothing with the published digests (not equal, no prefix, no hash).
    for row in sealed_rows:
        lookup = row["lookup"]
        assert lookup not in digests and not any(lookup[:12] == d[:12] for d in digests)
        assert all(hashlib.sha256(d.encode()).hexdigest() != lookup for d in digests)
    # Lengths: every sealed ballot of the vote, in every copy, has the same length; no clear time.
    blobs = [_blob(r["sealed"]) for r in sealed_rows]
    assert len({len(b) for b in blobs}) == 1
    assert {b[1:9] for b in blobs} == {bytes(8)}  # Fernet's timestamp field says nothing
    assert set(sealed_rows[0]) == {"id", "proposal_id", "lookup", "sealed"}
    assert set(copies[1].rows["assemblies_ballotbox"][0]) == {"id", "proposal_id", "key_id", "pad"}
    # The change rewrote the first voter's row in place: its length and lookup did not change.
    changed = next(
        r for r in copies[7].rows["assemblies_sealedballot"] if owner.get(str(r["id"])) == group[0].pk
    )
    first = next(r for r in copies[1].rows["assemblies_sealedballot"])
    assert changed["lookup"] == first["lookup"] and _blob(changed["sealed"]) != _blob(first["sealed"])

    # The key is gone once the close committed: no key on the server opens any sealed row of any copy.
    assert not keys.ballot_key_path(key_id).exists()
    for other in keys.ballot_key_ids():
        fernet = Fernet(keys.ballot_key_read(other) or b"")
        for blob in blobs:
            with pytest.raises(InvalidToken):
                fernet.decrypt(base64.urlsafe_b64encode(blob))

    # What is public after the close works: each voter finds their own ballot with their receipt.
    p.refresh_from_db()
    wanted = {group[0].pk: sorted(ids[3:])} | {
        v.pk: sorted(choice) for v, (choice, _r) in zip(group[1:], ballots[1:], strict=True)
    }
    for voter_id, code in receipts.items():
        mine = selectors.ballot_for_receipt(p, code)
        assert mine is not None and sorted(mine.choices) == wanted[voter_id]
    assert {tuple(sorted(r["ballot"].split(", "))) for r in selectors.published_ballots(p)} == {
        tuple(sorted(p.options.get(pk=int(i)).label for i in c)) for c in wanted.values()
    }


def test_every_ballot_of_a_vote_is_sealed_to_the_same_length_and_opens_with_its_key() -> None:
    key = Fernet.generate_key()
    pad = sealing.pad_for(range(100000, 100040))
    small = sealing.Opened(position="", choices=[], receipt_hash="0" * 64)
    large = sealing.Opened(
        position="", choices={str(i): 32767 for i in range(100000, 100040)}, receipt_hash="f" * 64
    )
    ranked = sealing.Opened(
        position="", choices=[str(i) for i in range(100000, 100040)], receipt_hash="e" * 64
    )
    sealed = [sealing.seal(key, b, pad=pad) for b in (small, large, ranked, small)]
    assert len({len(s) for s in sealed}) == 1 and sealed[0] != sealed[3]
    assert [sealing.unseal(key, s) for s in sealed] == [small, large, ranked, small]
    assert len(sealed[0]) < 2048  # a sealed ballot of a 40-option vote stays small
    with pytest.raises(InvalidToken):
        sealing.unseal(Fernet.generate_key(), sealed[0])
    # The lookup needs the key: another key gives another value for the same digest.
    assert sealing.lookup(key, "a" * 64) == sealing.lookup(key, "a" * 64)
    assert sealing.lookup(key, "a" * 64) != sealing.lookup(Fernet.generate_key(), "a" * 64)


@pytest.mark.django_db
def test_casting_takes_as_many_queries_whatever_the_size_of_the_box(people: Any, community: Any) -> None:
    assembly = general(community, secret_ballots=True)
    group = voters(community, 42)
    p = open_proposal(assembly, membership_of(people["member"], community), process="majority")
    codes = []

    def cast(i: int, **kw: Any) -> int:
        with CaptureQueriesContext(connection) as queries:
            codes.append(services.vote_cast(proposal=p, by=group[i], position="agree", **kw).receipt)
        return len(queries)

    cast(0)  # the first ballot makes the box and its key
    small = [cast(1), cast(2)]
    for i in range(3, 40):
        services.vote_cast(proposal=p, by=group[i], position="disagree")
    assert cast(40) == cast(41) == small[0] == small[1]
    with CaptureQueriesContext(connection) as early:
        services.vote_cast(proposal=p, by=group[1], position="abstain", receipt=codes[1])
    with CaptureQueriesContext(connection) as late:
        services.vote_cast(proposal=p, by=group[40], position="abstain", receipt=codes[3])
    assert len(early) == len(late)
    assert SealedBallot.objects.filter(proposal=p).count() == 42


@pytest.mark.django_db
def test_a_secret_block_needs_no_reason_and_keeps_none(people: Any, community: Any) -> None:
    assembly = general(community, secret_ballots=True)
    mara = membership_of(people["member"], community)
    p = open_proposal(assembly, mara, process="consent")
    services.vote_cast(proposal=p, by=mara, position="object", reason="marker-reason")
    assert [b.position for b in services.ballots_sealed(proposal=p)] == ["object"]


@pytest.mark.django_db
def test_closing_opens_the_box_under_fresh_ids_and_erases_the_sealed_rows_and_the_key(
    people: Any, community: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assembly = general(community, secret_ballots=True)
    group = voters(community, 5)
    p = open_proposal(assembly, membership_of(people["member"], community), process="majority")
    positions = ["agree", "agree", "disagree", "abstain", "disagree"]
    for voter, position in zip(group, positions, strict=True):
        services.vote_cast(proposal=p, by=voter, position=position, reason=f"why {voter.pk}")
    sealed_ids = set(SealedBallot.objects.values_list("id", flat=True))
    key_id = BallotBox.objects.get(proposal=p).key_id
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.tally["counts"]["agree"] == 2 and outcome.participants == 5
    assert sorted(Ballot.objects.filter(proposal=p).values_list("position", flat=True)) == sorted(positions)
    assert set(Ballot.objects.values_list("reason", flat=True)) == {""}  # a secret ballot keeps no reason
    assert not set(Ballot.objects.values_list("id", flat=True)) & sealed_ids
    assert not SealedBallot.objects.exists() and not BallotBox.objects.exists()
    assert not keys.ballot_key_path(key_id).exists()


@pytest.mark.django_db
def test_opening_a_box_takes_as_many_queries_for_few_ballots_as_for_many(people: Any, community: Any) -> None:
    assembly = general(community, secret_ballots=True)
    author = membership_of(people["member"], community)
    counted = []
    for n in (3, 60):
        group = voters(community, n, prefix=f"Box of {n}")
        p = open_proposal(assembly, author, process="majority", title=f"Vote of {n}")
        for voter in group:
            services.vote_cast(proposal=p, by=voter, position="agree")
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            assert services.ballot_box_open(proposal=p) == n
        counted.append(len(queries))
        assert Ballot.objects.filter(proposal=p).count() == n
    assert counted[0] == counted[1]


@pytest.mark.django_db
def test_a_missing_ballot_key_is_refused_with_a_sentence_and_never_replaced(
    people: Any, community: Any, client_for: Any, settings: Any, tmp_path: Path
) -> None:
    # A folder of keys of its own: the test compares every key in it, and tests on other workers
    # make and delete keys of their own votes in the shared one.
    settings.DP_BALLOT_KEY_DIR = str(tmp_path / "ballot-keys")
    assembly = general(community, secret_ballots=True)
    mara = membership_of(people["member"], community)
    cato = membership_of(people["coordinator"], community)
    p = open_proposal(assembly, mara, process="majority")
    code = services.vote_cast(proposal=p, by=mara, position="agree").receipt
    key_id = BallotBox.objects.get(proposal=p).key_id
    path = keys.ballot_key_path(key_id)
    kept = path.read_bytes()
    path.unlink()
    present = set(keys.ballot_key_ids())
    sentence = "key that opens this vote's sealed ballots is missing"
    with pytest.raises(keys.BallotKeyMissing, match=sentence):
        services.vote_cast(proposal=p, by=cato, position="agree")
    with pytest.raises(keys.BallotKeyMissing):
        services.vote_cast(proposal=p, by=mara, position="disagree", receipt=code)
    with pytest.raises(keys.BallotKeyMissing):
        services.proposal_close(proposal=p, now=after_close(p))
    with pytest.raises(keys.BallotKeyMissing):
        services.ballots_sealed(proposal=p)
    # The page says it too, and the vote stays as it was; the clock passes over it to the others.
    page = client_for("coordinator").post(
        f"/c/riverside/assemblies/general/p/{p.pk}/vote/", {"position": "agree"}
    )
    assert page.status_code == 400 and "sealed ballots is missing" in page.content.decode()
    other = open_proposal(assembly, mara, process="majority", title="Another vote")
    jobs.windows(after_close(other))
    p.refresh_from_db()
    other.refresh_from_db()
    assert p.state == Proposal.State.VOTING and other.state == Proposal.State.CLOSED
    assert set(keys.ballot_key_ids()) == present and BallotBox.objects.get(proposal=p).key_id == key_id
    # With the file back, everything works again.
    path.write_bytes(kept)
    services.vote_cast(proposal=p, by=cato, position="disagree")
    assert sorted(b.position for b in services.ballots_sealed(proposal=p)) == ["agree", "disagree"]


@pytest.mark.django_db
def test_withdrawing_a_secret_vote_erases_its_sealed_ballots_and_key(
    people: Any, community: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assembly = general(community, secret_ballots=True)
    mara = membership_of(people["member"], community)
    p = open_proposal(assembly, mara, process="majority")
    services.vote_cast(proposal=p, by=mara, position="agree")
    key_id = BallotBox.objects.get(proposal=p).key_id
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_withdraw(proposal=p, by=mara)
    assert (
        not SealedBallot.objects.exists() and not BallotBox.objects.exists() and not Ballot.objects.exists()
    )
    assert not keys.ballot_key_path(key_id).exists()


@pytest.mark.django_db
def test_the_upgrade_seals_the_clear_ballots_of_open_secret_votes(
    people: Any, community: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import importlib

    migration = importlib.import_module("dualpower.assemblies.migrations.0005_sealed_ballots")
    from dualpower.assemblies.models import Participation
    from dualpower.assemblies.selectors import receipt_hash

    assembly = general(community, secret_ballots=True)
    group = voters(community, 3)
    p = open_proposal(assembly, membership_of(people["member"], community), process="majority")
    # As the version before sealing stored them: a participation and a clear ballot each.
    codes = [f"AAAA-BBBB-CCCC-000{i}" for i in range(3)]
    for voter, code, position in zip(group, codes, ["agree", "disagree", "agree"], strict=True):
        Participation.objects.create(proposal=p, membership=voter)
        Ballot.objects.create(proposal=p, position=position, receipt_hash=receipt_hash(p.pk, code))
    migration.seal_open_secret_ballots(django_apps, None)
    assert not Ballot.objects.exists() and SealedBallot.objects.filter(proposal=p).count() == 3
    assert sorted(b.position for b in services.ballots_sealed(proposal=p)) == ["agree", "agree", "disagree"]
    # The old receipt still changes the ballot, and is found in the published count after the close.
    services.vote_cast(proposal=p, by=group[1], position="agree", receipt=codes[1])
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.tally["counts"]["agree"] == 3
    p.refresh_from_db()
    found = selectors.ballot_for_receipt(p, codes[1])
    assert found is not None and found.position == "agree"


@pytest.mark.django_db
def test_init_names_a_vote_whose_key_is_missing_and_deletes_left_over_keys(
    people: Any, community: Any
) -> None:
    from dualpower.ops.sealing import LEFT_OVER_AFTER, ballot_keys_check

    assembly = general(community, secret_ballots=True)
    mara = membership_of(people["member"], community)
    p = open_proposal(assembly, mara, process="majority", title="Rent strike")
    services.vote_cast(proposal=p, by=mara, position="agree")
    keys.ballot_key_path(BallotBox.objects.get(proposal=p).key_id).unlink()
    old_id, _k = keys.ballot_key_create()
    past = time.time() - LEFT_OVER_AFTER - 60
    os.utime(keys.ballot_key_path(old_id), (past, past))
    new_id, _k = keys.ballot_key_create()  # a first ballot in flight: its box is not committed yet
    said: list[str] = []
    ballot_keys_check(say=said.append)
    text = " ".join(said)
    assert "“Rent strike”" in text and "no new key was made" in text
    assert not keys.ballot_key_path(old_id).exists() and keys.ballot_key_path(new_id).exists()
    keys.ballot_key_delete(new_id)


@pytest.mark.db_sensitive
def test_a_backup_leaves_the_ballot_keys_out_and_says_so(
    transactional_db: None, people: Any, community: Any, tmp_path: Path, settings: Any
) -> None:
    from dualpower.ops.backup import backup_create

    settings.MEDIA_ROOT = tmp_path / "media"
    assembly = general(community, secret_ballots=True)
    mara = membership_of(people["member"], community)
    p = open_proposal(assembly, mara, process="majority")
    services.vote_cast(proposal=p, by=mara, position="agree", reason="marker-backup-reason")
    key = keys.ballot_key_read(BallotBox.objects.get(proposal=p).key_id)
    assert key
    said: list[str] = []
    archive = backup_create(tmp_path / "node.tar.gz", say=said.append)
    assert any("1 secret votes are open" in s and "keys that open them" in s for s in said)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        raw = b"".join(tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())  # type: ignore[union-attr]
    assert not any("ballot-keys" in n or n.endswith(".key") for n in names)
    assert key not in raw and b"marker-backup-reason" not in raw
