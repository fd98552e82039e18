"""What the food app's pages share: the methods they answer, who is acting, a choice picked from
the options a form offered, and the gardens' one-form page (with its Remove button when the thing
can be removed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.actions import Message, Success, form_action, post_action
from dualpower.web.permissions import check

GET = ["GET", "HEAD"]
GET_POST = ["GET", "HEAD", "POST"]
FORM_PAGE = "food/growing/form.html"

T = TypeVar("T")


class HasPk(Protocol):
    pk: Any


P = TypeVar("P", bound=HasPk)


def me_in(request: HttpRequest, community: Community) -> Membership:
    """The membership of the person acting (every rule the food pages check admits only them)."""
    me = membership_for(request.user, community)
    assert me is not None  # every rule used here admits only admitted people
    return me


def pick(options: Iterable[P], pk: object) -> P | None:
    """The option a form's choice named (None when nothing was chosen)."""
    return next((option for option in options if option.pk == pk), None)


def garden_form(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    run: Callable[[dict[str, Any]], T],
    success: str | Success[T],
    message: Message[T],
    title: str,
    remove: str = "",
    template: str = FORM_PAGE,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A page of one form (add or change something); ``remove`` is the URL its Remove button posts
    to, when it has one."""
    return form_action(
        request,
        form=form,
        run=run,
        success=success,
        message=message,
        template=template,
        context={"title": title, "remove": remove, **(context or {})},
    )


def food_url(name: str, community: Community, *args: Any) -> str:
    """The address of the food page ``name`` of ``community``."""
    return reverse(f"food:{name}", args=[community.slug, *args])


def remover(
    perm: str,
    get: Callable[..., Any],
    remove: Callable[..., None],
    kw: str,
    done: str,
    done_on: str = "",
    *,
    edit: str,
) -> Callable[..., HttpResponse]:
    """The view of a Remove button: ``get(community=, pk=)`` finds the thing, ``remove(**{kw: it,
    "by": me})`` removes it; refused (with its sentence) back on its ``edit`` page, done to the
    ``done`` page (of the thing's ``done_on`` attribute, if given)."""

    @require_POST
    @with_community
    def view(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
        check(request, perm, community)
        found = get(community=community, pk=pk)
        name = str(found)
        target = food_url(done, community, *([getattr(found, done_on)] if done_on else []))
        return post_action(
            request,
            run=lambda: remove(**{kw: found, "by": me_in(request, community)}),
            back=food_url(edit, community, found.pk),
            success=lambda _result: target,
            message=_("“%(name)s” was removed.") % {"name": name},
        )

    return view


def fields_of(found: Any, *names: str, **shown: Any) -> dict[str, Any]:
    """A form's first values: ``found``'s fields ``names``, and the values ``shown`` as given."""
    return {**{name: getattr(found, name) for name in names}, **shown}


def change_page(
    request: HttpRequest,
    community: Community,
    found: Any,
    *,
    form: Any,
    run: Callable[[dict[str, Any]], Any],
    success: str,
    remove: str,
    template: str = FORM_PAGE,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The page that changes ``found``, with its Remove button (posting to the page ``remove``)."""
    return garden_form(
        request,
        form=form,
        run=run,
        success=success,
        message=_("“%(name)s” was saved.") % {"name": str(found)},
        title=_("Change %(name)s") % {"name": str(found)},
        remove=food_url(remove, community, found.pk),
        template=template,
        context=context,
    )
