"""What someone holding the disk would read of a care circle (issue 16): the database file's bytes
and its write-ahead log, not Django's queries. The notes and a need's details are never there in
plain text; after the circle is closed and the retention has passed, nothing of it is there but
counts — not its title, not the person's code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from dualpower.care.models.circles import Circle, CircleTally, Helper, Need, Note
from dualpower.care.services import circles as services
from dualpower.care.services.circles_erase import circles_erase_expired
from dualpower.care.services.circles_settings import care_settings_update
from dualpower.care.tests.factories_circles import SECRET_DETAILS, SECRET_NOTE, TEST_KEY, member
from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401 - a fixture

TITLE = "Nightly visits for Zephyrine Quillfeather"
CODE = "QZX-7WV"


def raw_bytes() -> bytes:
    if connection.vendor != "sqlite":
        pytest.skip("reads the SQLite file and its WAL; PostgreSQL's files are the server's")
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite only
        pytest.skip("an in-memory database has no file to read")
    path = Path(connection.settings_dict["NAME"])
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_the_raw_database_holds_no_plaintext_and_after_retention_only_counts(
    community: Any, settings: Any
) -> None:
    settings.DP_AID_KEY = TEST_KEY
    opener = member(community, "Dina")
    helper_person = member(community, "Hana")
    circle = services.circle_open(
        community=community, opened_by=opener, person_code=CODE, kind="mental_health", title=TITLE
    )
    helper = services.helper_invite(circle=circle, by=opener, membership=helper_person)
    services.helper_answer(helper=helper, accept=True)
    need = services.need_add(
        circle=circle,
        by=opener,
        kind="visit",
        starts_at=timezone.now() + dt.timedelta(days=1),
        details=SECRET_DETAILS,
    )
    services.need_take(need=need, helper=Helper.objects.get(pk=helper.pk))
    services.note_add(circle=circle, author=opener, body=SECRET_NOTE)

    before = raw_bytes()
    assert SECRET_NOTE.encode() not in before
    assert SECRET_DETAILS.encode() not in before
    assert TITLE.encode() in before  # the title is plain while the circle lives (shown to its pod)

    care_settings_update(community=community, by=None, retention_days=0)
    closed = services.circle_close(circle=circle, by=opener)
    assert closed.closed_at is not None
    assert circles_erase_expired(now=closed.closed_at) == 1

    after = raw_bytes()
    assert TITLE.encode() not in after
    assert CODE.encode() not in after
    assert not (
        Circle.objects.exists() or Need.objects.exists() or Note.objects.exists() or Helper.objects.exists()
    )
    tally = CircleTally.objects.get(community=community)
    assert (tally.kind, tally.circles, tally.helpers, tally.needs, tally.needs_met) == (
        "mental_health",
        1,
        1,
        1,
        1,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_the_seizure_page_counts_what_the_raw_database_holds_of_circles(
    community: Any, people: dict[str, Any], settings: Any
) -> None:
    import sqlite3
    from contextlib import closing

    from dualpower.care.holdings_circles import describe
    from dualpower.care.tests.factories_circles import make_world

    make_world(community, people, settings)
    raw_bytes()  # skips where there is no file to read
    path = connection.settings_dict["NAME"]
    held = describe(community)
    assert {h.what for h in held if h.count} >= {"Care circles", "Private notes of care circles"}
    with closing(sqlite3.connect(path)) as raw:
        for h in held:
            where = " AND ".join(
                f"({part})"
                for part in (
                    f"{h.community_column} = {int(community.pk)}" if h.community_column else "",
                    h.rows_where.format(community=int(community.pk)),
                )
                if part
            )
            (on_disk,) = raw.execute(f'SELECT count(*) FROM "{h.table}" WHERE {where}').fetchone()  # noqa: S608 - names from models
            assert on_disk == h.count, h.what
            for column in h.sealed_columns:
                for (value,) in raw.execute(f'SELECT "{column}" FROM "{h.table}"'):  # noqa: S608 - names from models
                    assert not value or str(value).startswith("gAAAAA"), (h.table, column)
