"""The REST API at /api/v1/: one NinjaAPI, each app adds its router.

Errors are always ``{"detail": "...", "code": "..."}`` with a 4xx status; validation
errors also name the field. Browser sessions (with CSRF) and personal access tokens
(``Authorization: Bearer dp_...``) both authenticate.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from dualpower.api_tools import AUTH_REQUIRED
from dualpower.errors import DomainError


class ObjectBodyParser(Parser):
    """Every request body of this API is a JSON object.

    Ninja's schemas read attributes from any value, so without this a body of ``"x"``, ``0`` or
    ``[]`` would pass as an empty object: a PATCH would answer 200 having understood nothing.
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        return data


class ErrorOut(Schema):
    detail: str = Field(..., description="A sentence for people.")
    code: str = Field(..., description="Stable, for programs: not_found, permission_denied, ...")
    field: str | None = Field(None, description="The field at fault, when there is one.")


# What any operation may answer besides its success: every status that errors.py and the
# handlers below produce, so clients (and contract tests) know the error shape.
ERROR_STATUSES = {
    "400": "The request is malformed or a value is refused.",
    "401": "Not signed in, or the access token is not valid.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such thing here.",
    "409": "The state of things forbids it.",
    "422": "A field does not validate; `field` names it.",
}


class DualpowerAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ErrorOut.model_json_schema()
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": description, "content": error})
        return schema


api = DualpowerAPI(
    title="dualpower",
    version="1",
    urls_namespace="api-v1",
    description="The API of a dualpower node. Errors are `{detail, code}` with a 4xx status.",
    auth=AUTH_REQUIRED,
    parser=ObjectBodyParser(),
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
    # Ninja's own refusals: an unreadable body (400, the code InvalidInput uses), a failed CSRF check.
    code = {400: "invalid", 403: "permission_denied"}.get(exc.status_code, "error")
    return _error(request, exc.status_code, str(exc), code)


def _register_routers() -> None:
    from dualpower.activities.api import router as activities_router
    from dualpower.aid.api import router as aid_router
    from dualpower.assemblies.api import router as assemblies_router
    from dualpower.budgeting.api import router as budgeting_router
    from dualpower.care.api import router as care_router
    from dualpower.community.api import router as node_router
    from dualpower.coops.api import router as coops_router
    from dualpower.defence.api import router as defence_router
    from dualpower.deliberation.api import router as deliberation_router
    from dualpower.food.api import router as food_router
    from dualpower.groups.api import router as groups_router
    from dualpower.inventory.api import router as inventory_router
    from dualpower.land.api import router as land_router
    from dualpower.learn.api import router as learn_router
    from dualpower.ledger.api import router as ledger_router
    from dualpower.mandates.api import router as mandates_router
    from dualpower.meetings.api import router as meetings_router
    from dualpower.members.api import router as members_router
    from dualpower.notifications.api import router as notifications_router
    from dualpower.panels.api import router as panels_router

    api.add_router("/", node_router)
    api.add_router("/", members_router)
    api.add_router("/", groups_router)
    api.add_router("/", notifications_router)
    api.add_router("/", assemblies_router)
    api.add_router("/", meetings_router)
    api.add_router("/", mandates_router)
    api.add_router("/", panels_router)
    api.add_router("/", budgeting_router)
    api.add_router("/", aid_router)
    api.add_router("/", activities_router)
    api.add_router("/", inventory_router)
    api.add_router("/", ledger_router)
    api.add_router("/", coops_router)
    api.add_router("/", land_router)
    api.add_router("/", deliberation_router)
    api.add_router("/", care_router)
    api.add_router("/", food_router)
    api.add_router("/", learn_router)
    api.add_router("/", defence_router)


_register_routers()
