"""What the tests of kept fragments (web/fragments.py) share: a visit with its query count, what a
visit asks the database for while nothing is written, a page without the visitor's CSRF tokens,
and clients all signed in before the first visit.

No visit needs retrying: fragments and rows are keyed by the database's own count of writing
transactions (``fragments.count_writes``), so two visits with no write between them see the same
state."""

from __future__ import annotations

import re
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# Every form a page gives the visitor's CSRF token in: a form's hidden field, htmx's headers, the
# page's meta tag. The token is masked afresh on every response.
TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": "|csrf-token" content=")[^"]+')

# A visit while nothing is written: the visitor's session (with the database's state); the account,
# the community and the page's rows are kept (fragments.kept_rows), and so are its fragments.
SESSION_ALONE = 1
# What a visitor's first visit reads of their own, kept for them alone: their account, and their
# community with their membership. Another visitor is never given these from someone else's visit.
VISITORS_OWN = 2


def visit(client: Client, url: str, *, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """``url``'s queries and text (asserting a 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers or {})
    assert response.status_code == 200, response.content[:500]
    return len(captured.captured_queries), response.content.decode()


def without_tokens(html: str) -> str:
    """The page with each of the visitor's CSRF tokens blanked (new on every response)."""
    return TOKEN.sub(r"\1", html)


def signed_in(*users: Any) -> list[Client]:
    """A fresh client for each user, all signed in (``force_login``) before any visit.

    Signing in writes (the user's ``last_login``), and a write changes the state fragments are kept
    by: a client signed in between two visits would make the later visit render everything anew,
    and a test that one visitor is not served what another was kept would pass for the wrong
    reason (nothing kept at all, rather than kept apart)."""
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients
