"""What the food app's pages share: the methods they answer, who is acting, a choice picked from
the options a form offered, the gardens' one-form page (with its Remove button when the thing
can be removed), and the views that add, change and remove what the food group keeps."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.actions import Message, Success, form_action, post_action
from dualpower.web.permissions import check

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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


# A form's choice among the community's options: (the field, the form's keyword for the options,
# the community's options).
Choices = tuple[str, str, Callable[[Community], Iterable[Any]]]


def _offered(choices: Choices | None, community: Community) -> dict[str, list[Any]]:
    """The options the form offers, by the form's keyword."""
    if choices is None:
        return {}
    _field, offered, of = choices
    return {offered: list(of(community))}


def _picked(choices: Choices | None, options: dict[str, list[Any]], data: dict[str, Any]) -> dict[str, Any]:
    """The form's data with the choice made as the option picked."""
    if choices is None:
        return data
    field, offered, _of = choices
    return {**data, field: pick(options[offered], data[field])}


def adder(
    perm: str,
    create: Callable[..., Any],
    *,
    form: Callable[..., forms.BaseForm],
    choices: Choices | None = None,
    done: str,
    message: StrOrPromise,
    title: StrOrPromise,
) -> Callable[..., HttpResponse]:
    """The view of a page that adds something to the community: ``create(community=, by=me,
    **data)``, then to the ``done`` page with ``message``. ``choices`` as for ``changer``."""

    @require_http_methods(GET_POST)
    @with_community
    def view(request: HttpRequest, community: Community) -> HttpResponse:
        check(request, perm, community)
        me = me_in(request, community)
        options = _offered(choices, community)
        return garden_form(
            request,
            form=form(request.POST or None, **options),
            run=lambda data: create(community=community, by=me, **_picked(choices, options, data)),
            success=food_url(done, community),
            message=str(message),
            title=str(title),
        )

    return view


def fields_of(found: Any, *names: str, **shown: Any) -> dict[str, Any]:
    """A form's first values: ``found``'s fields ``names``, and the values ``shown`` as given."""
    return {**{name: getattr(found, name) for name in names}, **shown}


def changer(
    perm: str,
    get: Callable[..., Any],
    update: Callable[..., Any],
    kw: str,
    *,
    form: Callable[..., forms.BaseForm],
    initial: Callable[[Any], dict[str, Any]],
    done: str,
    done_on: str = "",
    remove: str,
    choices: Choices | None = None,
    template: str = FORM_PAGE,
    context: Callable[[Any], Mapping[str, Any]] | None = None,
) -> Callable[..., HttpResponse]:
    """The view of a change page: ``get(community=, pk=)`` finds the thing, its ``form`` starts
    from ``initial(it)``, and ``update(**{kw: it, "by": me, **data})`` saves it; then to the ``done``
    page (of the thing's ``done_on`` attribute, if given), with a Remove button posting to the page
    ``remove``. ``choices`` is (the field, the form's keyword, the community's options): the form
    offers the options and the field's choice reaches ``update`` as the option picked."""

    @require_http_methods(GET_POST)
    @with_community
    def view(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
        check(request, perm, community)
        found, me = get(community=community, pk=pk), me_in(request, community)
        options = _offered(choices, community)
        return garden_form(
            request,
            form=form(request.POST or None, initial=initial(found), **options),
            run=lambda data: update(**{kw: found, "by": me}, **_picked(choices, options, data)),
            success=food_url(done, community, *([getattr(found, done_on)] if done_on else [])),
            message=_("“%(name)s” was saved.") % {"name": str(found)},
            title=_("Change %(name)s") % {"name": str(found)},
            remove=food_url(remove, community, found.pk),
            template=template,
            context=context(found) if context is not None else None,
        )

    return view
