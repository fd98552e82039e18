"""What every app's API router shares: authentication choices and bounded pagination.

A base module, below every app (the community's router imports it too): routers import from
here, never from ``dualpower.api``, which assembles the routers into the one API. It imports no
app: the members app registers how a personal access token is read
(``register_token_authenticator``, in members/registrations.py).

What a token may do is decided here, where it authenticates: a ``read`` token only reads (GET,
HEAD, OPTIONS); a ``write`` token does what its owner may, except what ``session_only`` marks
(managing tokens and the account itself), which needs a signed-in session. Both are refused with
403 and a sentence saying so.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.pagination import paginate as ninja_paginate
from ninja.security import APIKeyCookie, HttpBearer

from dualpower.clean import clean_int_or_none
from dualpower.errors import PermissionDenied

# Far beyond any list a node holds, and within a 64-bit integer: a larger offset reaches the
# database as an overflowing number (a 500 on SQLite), so it is refused as a validation error.
MAX_OFFSET = 1_000_000


class Pagination(LimitOffsetPagination):
    """``?limit=&offset=`` on every list, both bounded."""

    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


def paginate(func: Callable[..., Any]) -> Callable[..., Any]:
    """The routers' ``@paginate``: ninja's, with the bounded ``Pagination``."""
    return ninja_paginate(Pagination)(func)


class PageOf:
    """What a ``@paginate`` list returns when each row needs more than its model's fields: ninja
    counts ``queryset`` in the database and slices it, and only the rows of the page asked for go
    through ``convert`` (rows → what the API shows), so a page costs the same whatever the list's
    length."""

    def __init__(self, queryset: Any, convert: Callable[[list[Any]], list[Any]]) -> None:
        self.queryset = queryset
        self.convert = convert

    def all(self) -> Any:
        return self.queryset  # ninja counts with ``.all().count()``

    def __len__(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, window: slice) -> list[Any]:
        return self.convert(list(self.queryset[window]))


# The widest id both databases store (a signed 64-bit column).
MAX_ID = 2**63 - 1


class KeysetInput(Schema):
    """``?before=<id>&limit=``: a page of a list read by keyset, newest first (``next_link``).
    ``before`` is text here so that a bad one is refused by ``keyset_cursor`` with a sentence."""

    before: str | None = None
    limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)


def keyset_cursor(value: str | None, *, field: str = "before") -> int | None:
    """The id a keyset page starts before (None for the first page); anything but a whole number
    an id can be is refused (400) with a sentence."""
    label = _("The position “%(field)s”") % {"field": field}
    return clean_int_or_none(value, field=field, label=label, low=1, high=MAX_ID)


def next_link(request: HttpRequest, *, cursor: str, value: int | None) -> str | None:
    """The address of the next page of a list read by keyset (``{"items": [...], "next": ...}``):
    this request's, with ``cursor=value`` (``before=<id>``) in place; None on the last page."""
    if value is None:
        return None
    query = request.GET.copy()
    query[cursor] = str(value)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class TokenGrant(Protocol):
    """What a token authenticator finds: the token's owner and its scope ("read" or "write")."""

    user: Any
    scope: str


class TokenAuthenticator(Protocol):
    def __call__(self, *, raw: str) -> TokenGrant | None: ...


_token_authenticators: list[TokenAuthenticator] = []

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Set on a request authenticated by a token: the token's scope ("read" or "write").
TOKEN_SCOPE_ATTR = "dp_token_scope"  # noqa: S105 - an attribute name, not a secret


def register_token_authenticator(authenticator: TokenAuthenticator) -> None:
    """``authenticator(raw=token)`` returns the token (its ``user`` and ``scope``), or None when
    the token is not valid."""
    if authenticator not in _token_authenticators:
        _token_authenticators.append(authenticator)


def token_scope(request: HttpRequest) -> str | None:
    """The scope of the token that authenticated ``request``; None for a session (or nobody)."""
    return getattr(request, TOKEN_SCOPE_ATTR, None)


class TokenAuth(HttpBearer):
    """Personal access tokens, stored hashed; see members.services.token_create."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        grant = next((g for read in _token_authenticators if (g := read(raw=token)) is not None), None)
        if grant is None:
            return None
        request.user = grant.user
        setattr(request, TOKEN_SCOPE_ATTR, grant.scope)
        if grant.scope != "write" and request.method not in READ_METHODS:
            raise PermissionDenied(
                _("This access token may only read. Create a token that may write to make changes.")
            )
        return grant.user


def session_only(func: Callable[..., Any]) -> Callable[..., Any]:
    """Mark an operation (managing tokens, the account itself) as refused to access tokens, read
    or write: it needs a signed-in session. Put it below the router's decorator."""

    @functools.wraps(func)
    def operation(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if token_scope(request) is not None:
            raise PermissionDenied(
                _("Access tokens cannot manage tokens or the account: this needs a signed-in session.")
            )
        return func(request, *args, **kwargs)

    return operation


class SessionAuth(APIKeyCookie):
    """The browser's session; CSRF is checked for unsafe methods."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # No session cookie, nothing to forge: an anonymous write is a 401, not a CSRF failure.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


class Anonymous:
    """Lets a request through unauthenticated; the rule check decides what it may see."""

    def __call__(self, request: HttpRequest) -> Any:
        return True


token_auth = TokenAuth()
session_auth = SessionAuth()
# Reads of public things accept anyone; writes need a signed-in member.
AUTH_REQUIRED = [token_auth, session_auth]
AUTH_OPTIONAL = [token_auth, session_auth, Anonymous()]
