"""API lists answered from rows their router prepared itself, without ninja re-reading them.

Ninja turns what an operation returns into JSON by validating it against the response schema
(every nested object through its ``Schema``'s Python validator and resolvers) and dumping it
again: for a page of fifty activities with their places and people, that and the model instances
read for it were most of the request's CPU. A list whose rows the router builds itself, as plain
dicts with the schema's fields in the schema's order, from one prepared query, need not be checked
again on every request: ``served_as_prepared`` renders them as ninja's JSON renderer would.

What keeps them honest is a test per list (``test_api_prepared.py`` in its app's tests) that its
answer is byte for byte what validating the same rows through the declared schema gives; the OpenAPI
schema is unchanged (ninja still reads the operation's declared response, its parameters and the
paginator from the wrapped function).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from ninja.renderers import JSONRenderer

# The renderer ``dualpower.api`` uses (NinjaAPI's default); the tests compare bytes with it.
RENDERER = JSONRenderer()
CONTENT_TYPE = f"{RENDERER.media_type}; charset={RENDERER.charset}"


def served_as_prepared(func: Callable[..., Any]) -> Callable[..., Any]:
    """Answer 200 with what ``func`` returns (a ``@paginate`` page of prepared rows), rendered to
    JSON as it is, not validated again. Put it between the router's decorator and ``@paginate``;
    errors raised still go through the API's handlers."""

    @functools.wraps(func)
    def operation(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        result = func(request, *args, **kwargs)
        if isinstance(result, HttpResponseBase):
            return result
        return HttpResponse(RENDERER.render(request, result, response_status=200), content_type=CONTENT_TYPE)

    return operation


class PreparedPage:
    """What a ``@paginate`` list returns when its rows come from a ``web.prepared.Prepared`` query
    (SQL written once per process): ninja asks for ``count()`` and one window of rows, and only
    the rows of that window go through ``convert`` (rows → prepared dicts)."""

    def __init__(
        self,
        *,
        window: Callable[[int, int], list[Any]],
        count: Callable[[], int],
        convert: Callable[[list[Any]], list[Any]],
    ) -> None:
        self.window = window
        self.counted = count
        self.convert = convert

    def all(self) -> PreparedPage:
        return self  # ninja counts with ``.all().count()``

    def count(self) -> int:
        return self.counted()

    def __len__(self) -> int:
        return self.counted()

    def __getitem__(self, window: slice) -> list[Any]:
        start = window.start or 0
        return self.convert(self.window(window.stop - start, start))
