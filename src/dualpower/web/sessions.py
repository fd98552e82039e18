"""Sessions kept in the database, as Django keeps them, read with SQL written once per process
(with the database's state: web/fragments.py).

Every signed-in request reads its session first. Building that one query through the ORM cost
about a tenth of what the community's simplest page costs in CPU; the query itself is one
lookup by primary key. Writing, expiring and clearing sessions are Django's own. Sessions stay in
the database (not signed cookies) so that signing out and erasing an account end them at once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import db
from django.core import signing
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.utils import timezone

from dualpower.web import fragments

# A session's stored text whose signature was checked, and the serialised data it carries: the
# same text is checked once per process rather than on every request (the HMAC, base64 and zlib
# of Django's ``signing.loads``). The data are parsed afresh each time (the session's own copy).
_KEPT_MAX = 10_000  # bounded: one entry per session text (a session changes its text when written)
_verified: dict[tuple[str, str, str], bytes] = {}


class _Serialised:
    """A "serializer" that leaves the data as the bytes the signature covers."""

    def loads(self, data: bytes) -> bytes:
        return data


@receiver(setting_changed)
def _forget_verified(**_kwargs: Any) -> None:
    _verified.clear()  # tests change the secret key


class SessionStore(db.SessionStore):
    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        # Django's ``decode`` (an empty session for a text not signed with our key, or unreadable),
        # the signature checked once per text and key.
        key = (str(session_data), self.key_salt, settings.SECRET_KEY)
        data = _verified.get(key)
        if data is None:
            try:
                data = signing.loads(session_data, salt=self.key_salt, serializer=_Serialised)  # type: ignore[arg-type]
            except Exception:  # Django's own answer: logged if the signature is bad
                return super().decode(session_data)
            if len(_verified) >= _KEPT_MAX:
                _verified.clear()
            _verified[key] = data
        try:
            decoded: dict[str, Any] = self.serializer().loads(data)
        except Exception:  # as Django: unreadable data is an empty session
            return {}
        return decoded

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
        fragments.note_version(row[1])
        # ``load`` reads only the data; the expiry was checked in the query.
        return self.model(session_key=key, session_data=row[0])


@cache
def _load_sql(model: Any, vendor: str) -> str:
    # The same statement as ``Session.objects.get(session_key=key, expire_date__gt=now)``.
    quote = connection.ops.quote_name
    meta = model._meta

    def column(name: str) -> str:
        return quote(str(meta.get_field(name).column))

    # With the database's state (web/fragments.py): the first query of a signed-in visitor's
    # request reads it, so what the request reads next (their account, the community, the page's
    # rows) may be served as kept while nothing is written.
    return (
        f"SELECT {column('session_data')}, {fragments.version_sql(vendor)} "  # noqa: S608  # our own names
        f"FROM {quote(meta.db_table)} WHERE {column('session_key')} = %s AND {column('expire_date')} > %s"
    )
