"""The REST API at /api/v1/: one NinjaAPI, each app adds its router.

Errors are always ``{"detail": "...", "code": "..."}`` with a 4xx status; validation
errors also name the field. Browser sessions (with CSRF) and personal access tokens
(``Authorization: Bearer dp_...``) both authenticate.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from dualpower.errors import DomainError


class TokenAuth(HttpBearer):
    """Personal access tokens, stored hashed; see members.services.token_create."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from dualpower.members.services import token_authenticate

        user = token_authenticate(raw=token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session; CSRF is checked for unsafe methods."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

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

api = NinjaAPI(
    title="dualpower",
    version="1",
    urls_namespace="api-v1",
    description="The API of a dualpower node. Errors are `{detail, code}` with a 4xx status.",
    auth=AUTH_REQUIRED,
)


def _error(request: HttpRequest, status: int, detail: str, code: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(part) for part in err.get("loc", ()) if part not in {"body", "payload", "query", "path"}]
        errors.append({"field": ".".join(loc), "message": err.get("msg", "invalid")})
    first = errors[0] if errors else {"field": "", "message": "invalid"}
    detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    return _error(request, 422, detail, "validation_error", field=first["field"], errors=errors)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Sign in or send a valid access token.", "not_authenticated")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "Not found.", "not_found")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc), "error")


def _register_routers() -> None:
    from dualpower.groups.api import router as groups_router
    from dualpower.members.api import router as members_router
    from dualpower.node.api import router as node_router

    api.add_router("/", node_router)
    api.add_router("/", members_router)
    api.add_router("/", groups_router)


_register_routers()
