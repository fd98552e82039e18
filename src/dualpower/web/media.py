"""Uploaded files, served by the app at MEDIA_URL (``dualpower serve`` has no other way to).

Only a file a record holds (``uploads.owner_of``), only under MEDIA_ROOT, only to whoever may see
that record (the owner's permission, through ``check``); the type is read from the file's bytes.
Each answer says ``nosniff``, a sandboxing Content-Security-Policy, and ``inline`` for images,
``attachment`` for anything else, so no upload can run as a page of the node.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from dualpower import uploads
from dualpower.web.permissions import check

SANDBOX = "default-src 'none'; sandbox"


@require_safe
def serve(request: HttpRequest, name: str) -> FileResponse:
    owner = uploads.owner_of(name)
    if owner is None:
        raise Http404
    perm, obj = owner
    check(request, perm, obj)
    path = uploads.stored_path(name)
    kind = uploads.stored_kind(path) if path is not None else None
    if path is None or kind is None:
        raise Http404
    response = FileResponse(
        path.open("rb"),
        content_type=kind.content_type,
        as_attachment=not kind.inline,
        filename=f"{path.stem}.{kind.ext}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # Seen only by those who may: no shared cache keeps it.
    response["Cache-Control"] = "private, max-age=3600"
    return response
