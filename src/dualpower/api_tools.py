"""What every app's API router shares: authentication choices and bounded pagination.

A base module, below every app (the community's router imports it too): routers import from
here, never from ``dualpower.api``, which assembles the routers into the one API. It imports no
app: the members app registers how a personal access token is read
(``register_token_authenticator``, in members/registrations.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.pagination import paginate as ninja_paginate
from ninja.security import APIKeyCookie, HttpBearer

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


class TokenAuthenticator(Protocol):
    def __call__(self, *, raw: str) -> Any: ...


_token_authenticators: list[TokenAuthenticator] = []


def register_token_authenticator(authenticator: TokenAuthenticator) -> None:
    """``authenticator(raw=token)`` returns the token's user, or None when the token is not valid."""
    if authenticator not in _token_authenticators:
        _token_authenticators.append(authenticator)


class TokenAuth(HttpBearer):
    """Personal access tokens, stored hashed; see members.services.token_create."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = next((u for read in _token_authenticators if (u := read(raw=token)) is not None), None)
        if user is not None:
            request.user = user
        return user


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
