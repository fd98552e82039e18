"""dualpower.web.actions: the one way a page acts, the same on every page.

A form refused by a service comes back with what was typed, the sentence on its field and an error
summary at the top linking to each field; success redirects (or answers htmx with the piece); a
button's refusal comes back as a message on the page it was pressed on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django import forms
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from dualpower.errors import Conflict, DomainError, InvalidInput, NotAuthenticated, PermissionDenied
from dualpower.web.actions import attach_error, form_action, is_htmx, post_action

PAGE = (
    '{% extends "base.html" %}'
    '{% block content %}<form>{% include "partials/_form_fields.html" %}</form>{% endblock %}'
)
PIECE = '<form id="piece">{% include "partials/_form_fields.html" %}</form>'


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)
    note = forms.CharField(required=False)


@pytest.fixture(autouse=True)
def _pages(settings: Any, tmp_path: Path) -> None:
    (tmp_path / "t_page.html").write_text(PAGE)
    (tmp_path / "t_piece.html").write_text(PIECE)
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}, *settings.TEMPLATES[1:]]


def make_request(method: str = "post", data: dict[str, str] | None = None, htmx: bool = False) -> HttpRequest:
    headers = {"HX-Request": "true"} if htmx else {}
    factory = RequestFactory()
    request = factory.post("/x/", data or {}, headers=headers) if method == "post" else factory.get("/x/")
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def flashed(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.tags, str(m)) for m in messages.get_messages(request)]


def raising(error: DomainError) -> Callable[..., Any]:
    def run(*_args: Any) -> Any:
        raise error

    return run


def act(request: HttpRequest, run: Callable[[dict[str, Any]], Any], **kwargs: Any) -> HttpResponse:
    form = NameForm(request.POST if request.method == "POST" else None)
    options: dict[str, Any] = {"success": "/done/", "template": "t_page.html", "message": "Saved.", **kwargs}
    return form_action(request, form=form, run=run, **options)


# --- form_action -------------------------------------------------------------------------------


def test_a_get_shows_the_empty_form_without_a_summary() -> None:
    response = act(make_request("get"), run=raising(Conflict("never run")))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="name"' in html and "error-summary" not in html


def test_an_invalid_form_comes_back_with_what_was_typed_and_the_summary() -> None:
    response = act(make_request(data={"name": "x" * 21, "note": "kept"}), run=raising(Conflict("never run")))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="kept"' in html
    assert 'class="error-summary" role="alert" tabindex="-1"' in html
    assert 'href="#id_name"' in html


def test_a_refusal_goes_on_its_field_and_keeps_what_was_typed() -> None:
    request = make_request(data={"name": "Food", "note": "my note"})
    response = act(request, run=raising(InvalidInput("A group with this name exists.", field="name")))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Food"' in html and 'value="my note"' in html
    summary = html[
        html.index('class="error-summary"') : html.index("</div>", html.index('class="error-summary"'))
    ]
    assert '<a href="#id_name">A group with this name exists.</a>' in summary
    assert html.count("A group with this name exists.") == 2  # in the summary and beside the field
    assert flashed(request) == []


def test_a_refusal_without_a_field_of_the_form_goes_on_the_whole_form() -> None:
    for error in (Conflict("The cycle is closed."), InvalidInput("Bad.", field="elsewhere")):
        form = NameForm({"name": "Food"})
        request = make_request(data={"name": "Food"})
        response = form_action(
            request, form=form, run=raising(error), success="/done/", template="t_page.html"
        )
        assert response.status_code == 400  # a conflict too: the form needs another look
        assert form.non_field_errors() == [error.detail]
        assert f"<li>{error.detail}</li>" in response.content.decode()


def test_a_dotted_field_from_a_nested_body_goes_on_its_last_part() -> None:
    form = NameForm({"name": "Food"})
    form.is_valid()
    attach_error(form, InvalidInput("Too short.", field="details.name"))
    assert form.errors == {"name": ["Too short."]}


def test_success_redirects_with_the_message() -> None:
    request = make_request(data={"name": "Food"})
    seen: list[dict[str, Any]] = []
    response = act(request, run=seen.append)
    assert response.status_code == 302 and response["Location"] == "/done/"
    assert seen == [{"name": "Food", "note": ""}]
    assert flashed(request) == [("success", "Saved.")]


def test_success_and_message_may_depend_on_the_result() -> None:
    request = make_request(data={"name": "Food"})
    response = act(
        request,
        run=lambda data: data["name"].lower(),
        success=lambda slug: f"/groups/{slug}/",
        message=lambda slug: f"Started {slug}.",
    )
    assert response["Location"] == "/groups/food/"
    assert flashed(request) == [("success", "Started food.")]


def test_a_page_of_its_own_after_success_is_returned_as_it_is_without_a_message() -> None:
    request = make_request(data={"name": "Food"})
    response = act(request, run=lambda data: "receipt-123", success=lambda receipt: HttpResponse(receipt))
    assert response.status_code == 200 and response.content == b"receipt-123"
    assert flashed(request) == []


def test_htmx_gets_the_piece() -> None:
    ok = act(
        make_request(data={"name": "Food"}, htmx=True),
        run=lambda data: 7,
        partial=lambda n: HttpResponse(f"n={n}"),
    )
    assert ok.content == b"n=7"
    refused = act(
        make_request(data={"name": "Food"}, htmx=True),
        run=raising(Conflict("No.")),
        template="t_piece.html",
        partial=lambda n: HttpResponse("never"),
    )
    # htmx swaps only successful answers: the form piece with its errors comes back with 200.
    assert refused.status_code == 200 and refused.content.decode().startswith('<form id="piece">')
    assert "No." in refused.content.decode()


@pytest.mark.parametrize("action", ["form", "button"])
def test_a_visitor_who_is_not_signed_in_is_left_to_the_middleware(action: str) -> None:
    request = make_request(data={"name": "Food"})
    with pytest.raises(NotAuthenticated):
        if action == "form":
            act(request, run=raising(NotAuthenticated()))
        else:
            post_action(request, run=raising(NotAuthenticated()), back="/page/")


# --- post_action -------------------------------------------------------------------------------


def test_a_button_redirects_back_with_the_message() -> None:
    request = make_request()
    response = post_action(request, run=lambda: None, back="/page/#agenda", message="You joined.")
    assert response.status_code == 302 and response["Location"] == "/page/#agenda"
    assert flashed(request) == [("success", "You joined.")]


@pytest.mark.parametrize("error", [Conflict("The meeting has ended."), PermissionDenied("Only conveners.")])
def test_a_refused_button_shows_the_sentence_on_the_page_it_was_pressed_on(error: DomainError) -> None:
    request = make_request()
    response = post_action(request, run=raising(error), back="/page/", message="never")
    assert response.status_code == 302 and response["Location"] == "/page/"
    assert flashed(request) == [("error", error.detail)]


def test_a_button_may_go_elsewhere_or_answer_with_a_page_of_its_own() -> None:
    request = make_request()
    response = post_action(
        request, run=lambda: 5, back="/page/", success=lambda n: f"/item/{n}/", message="Made."
    )
    assert response["Location"] == "/item/5/" and flashed(request) == [("success", "Made.")]
    request = make_request()
    response = post_action(
        request, run=lambda: 5, back="/page/", success=lambda n: HttpResponse("once"), message="x"
    )
    assert response.content == b"once" and flashed(request) == []


def test_a_button_pressed_with_htmx_gets_the_piece_with_the_sentence() -> None:
    def piece(error: DomainError | None) -> HttpResponse:
        return HttpResponse(error.detail if error else "fine")

    request = make_request(htmx=True)
    assert (
        post_action(request, run=lambda: None, back="/page/", message="m", partial=piece).content == b"fine"
    )
    refused = post_action(request, run=raising(Conflict("Full.")), back="/page/", partial=piece)
    assert refused.status_code == 200 and refused.content == b"Full."
    assert flashed(request) == []
    # Without a piece to give, htmx is answered like everyone else.
    assert post_action(request, run=lambda: None, back="/page/")["Location"] == "/page/"


def test_htmx_is_recognised_by_its_header() -> None:
    assert is_htmx(make_request(htmx=True))
    assert not is_htmx(make_request())
