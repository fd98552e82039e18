"""Sessions kept in the database, as Django keeps them, read with SQL written once per process.

Every signed-in request reads its session first. Building that one query through the ORM cost
about a tenth of what the community's simplest page costs in CPU; the query itself is one
lookup by primary key. Writing, expiring and clearing sessions are Django's own. Sessions stay in
the database (not signed cookies) so that signing out and erasing an account end them at once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        row = None
        if key is not None:
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            with connection.cursor() as cursor:
                cursor.execute(_load_sql(self.model, connection.vendor), [key, now])
                row = cursor.fetchone()
        if key is None or row is None:
            self._session_key = None  # as Django does: a new session will get a new key
            return None
        # ``load`` reads only the data; the expiry was checked in the query.
        return self.model(session_key=key, session_data=row[0])


@cache
def _load_sql(model: Any, vendor: str) -> str:
    # The same statement as ``Session.objects.get(session_key=key, expire_date__gt=now)``.
    quote = connection.ops.quote_name
    meta = model._meta

    def column(name: str) -> str:
        return quote(str(meta.get_field(name).column))

    return (
        f"SELECT {column('session_data')} FROM {quote(meta.db_table)} "  # noqa: S608  # our own names
        f"WHERE {column('session_key')} = %s AND {column('expire_date')} > %s"
    )
