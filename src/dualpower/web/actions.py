"""The one way a page acts: run the service, then answer the person the same way on every page.

Two shapes, both for views that already checked the permission (``web.permissions.check``):

``form_action`` — a page with a form (create, edit, decide with a reason...)::

    form = GroupForm(request.POST or None)
    return form_action(
        request,
        form=form,
        run=lambda data: services.working_group_create(community=community, by=me, **data),
        success=lambda group: reverse("groups:detail", args=[community.slug, group.slug]),
        message=lambda group: _("The working group “%(name)s” was started.") % {"name": group.name},
        template="groups/form.html",
        context={"group": None},
    )

  GET: the page with the form (200). POST, form invalid: the same page, what was typed kept, the
  field errors and the error summary at the top (400). POST, valid: ``run(form.cleaned_data)``;
  a ``DomainError`` goes onto its field (or the form) and the same page answers the same way, 400
  whatever the error (an invalid value, a conflict, a refusal: the form needs another look; the
  API keeps each error's own status); success flashes ``message`` and redirects (post/redirect/
  get), or, for an htmx request with ``partial``, returns ``partial(result)``.

``post_action`` — a button without a form (join, approve, cancel, check in...)::

    return post_action(
        request,
        run=lambda: services.group_join(group=wg, membership=me),
        back=reverse("groups:detail", args=[community.slug, wg.slug]),
        message=_("You joined the group."),
        partial=lambda error: render(request, "groups/partials/_group_body.html", {..., "error": error}),
    )

  Success flashes ``message`` and redirects to ``back`` (the page the button is on) or to what
  ``success(result)`` says. A ``DomainError`` flashes its sentence as an error and redirects to
  ``back``, where the page shows it. An htmx request with ``partial`` gets ``partial(error)``
  (``error`` is ``None`` on success) with status 200, so htmx swaps the piece in, the sentence
  inside it.

``NotAuthenticated`` is never caught here: the middleware sends the visitor to sign in. Every
other ``DomainError`` is answered on the page. ``is_htmx`` is the one htmx detector.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dualpower.errors import DomainError, NotAuthenticated

T = TypeVar("T")

# What to do after success: a URL to redirect to, or a response of its own (a page shown once).
Success = Callable[[T], "str | HttpResponse"]
Message = str | Callable[[T], str]


def is_htmx(request: HttpRequest) -> bool:
    """True when htmx made the request (it sends ``HX-Request: true``): answer with the piece."""
    return request.headers.get("HX-Request") == "true"


def attach_error(form: forms.BaseForm, error: DomainError) -> None:
    """Put ``error``'s sentence on its field when the form has that field, else on the whole form.

    A dotted field from a nested API body (``details.phone``) goes on its last part (``phone``).
    """
    field = error.field or ""
    if field not in form.fields and "." in field:
        field = field.rsplit(".", 1)[-1]
    form.add_error(field if field in form.fields else None, error.detail)


def render_form(
    request: HttpRequest,
    template: str,
    form: forms.BaseForm,
    context: Mapping[str, Any] | None = None,
    *,
    form_name: str = "form",
    status: int | None = None,
) -> HttpResponse:
    """The page with ``form`` under ``form_name``; when it has errors, the error summary at the top.

    ``status`` defaults to 400 when the form has errors, else 200. An htmx request gets 200 even
    with errors: htmx swaps only successful answers, and the errors are in the piece.
    """
    if status is None:
        status = 400 if form.errors else 200
    if is_htmx(request):
        status = 200
    # A piece swapped in by htmx has no page top: its form shows its own errors as the alert.
    summary = form if form.errors and not is_htmx(request) else None
    page = {**(context or {}), form_name: form, "error_summary": summary}
    return render(request, template, page, status=status)


def _answer(request: HttpRequest, result: T, success: str | Success[T], message: Message[T]) -> HttpResponse:
    target = success(result) if callable(success) else success
    if isinstance(target, HttpResponse):
        return target  # a page of its own says what happened
    text = message(result) if callable(message) else message
    if text:
        messages.success(request, text)
    return redirect(target)


def form_action(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    run: Callable[[dict[str, Any]], T],
    success: str | Success[T],
    template: str,
    context: Mapping[str, Any] | None = None,
    message: Message[T] = "",
    partial: Callable[[T], HttpResponse] | None = None,
    form_name: str = "form",
) -> HttpResponse:
    """Show ``form`` on ``template``; on POST, run the service with its cleaned data (see the module).

    ``success``: a URL, or ``success(result)`` giving a URL or a response. ``message``: the
    sentence flashed before the redirect (text, or ``message(result)``); not flashed when
    ``success`` returns a response, nor for htmx. ``form_name``: the form's name in the context,
    for a page with several forms.
    """
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except DomainError as error:
            if isinstance(error, NotAuthenticated):
                raise
            attach_error(form, error)
            return render_form(request, template, form, context, form_name=form_name)
        if partial is not None and is_htmx(request):
            return partial(result)
        return _answer(request, result, success, message)
    return render_form(request, template, form, context, form_name=form_name)


def post_action(
    request: HttpRequest,
    *,
    run: Callable[[], T],
    back: str,
    message: Message[T] = "",
    success: Success[T] | None = None,
    partial: Callable[[DomainError | None], HttpResponse] | None = None,
) -> HttpResponse:
    """Run a button's service; answer with a redirect and a message, or the htmx piece (see the module).

    ``back``: the URL of the page the button is on, where a refusal is shown and where success
    returns unless ``success(result)`` gives another URL or a response of its own.
    """
    try:
        result = run()
    except DomainError as error:
        if isinstance(error, NotAuthenticated):
            raise
        if partial is not None and is_htmx(request):
            return partial(error)
        messages.error(request, error.detail)
        return redirect(back)
    if partial is not None and is_htmx(request):
        return partial(None)
    return _answer(request, result, success or back, message)
