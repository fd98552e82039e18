"""A filter form's fields as HTML, kept per process: a page of filters (the aid list's) rendered
its form's select boxes through Django's widget templates on every visit, an option at a time,
about 2 ms of CPU for the same HTML each time.

The key is everything the HTML is made from: the form's class, the language, what the caller
says its choices depend on (``depends_on``: the community's categories, say), and the value each
field reads from the data (what a widget shows and what its errors come from). Nothing needs
invalidating: other choices or other values give another key. Only for forms whose HTML depends
on nothing else (no per-request token, no per-person initial values beyond the data).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

_KEPT_MAX = 1_000  # bounded: the data are the visitor's (a query string), so keys are many
_kept: dict[tuple[Any, ...], str] = {}


def _frozen(value: Any) -> Hashable:
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value if isinstance(value, str | int | bool | type(None)) else repr(value)


def _kept_html(form: forms.Form, depends_on: Hashable, how: str, render: Callable[[], str]) -> str | None:
    """``render()`` kept under the form's key (see the module's text), or None when the form's
    HTML may hang on what the key leaves out (an unbound form with initial values)."""
    if not form.is_bound and (form.initial or any(f.initial is not None for f in form.fields.values())):
        return None
    values = tuple(
        (name, _frozen(field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))))
        for name, field in form.fields.items()
    )
    key = (type(form), how, form.prefix, form.is_bound, get_language(), depends_on, values)
    html = _kept.get(key)
    if html is None:
        if len(_kept) >= _KEPT_MAX:
            _kept.clear()
        html = _kept[key] = render()
    return html


def form_fields_html(form: forms.Form, *, depends_on: Hashable) -> SafeString:
    """``partials/_form_fields.html`` of the bound ``form``, rendered once per key (see the
    module's text); an unbound form (its initial values are not in the key) is rendered afresh."""

    def render() -> str:
        return render_to_string("partials/_form_fields.html", {"form": form})

    html = _kept_html(form, depends_on, "fields", render) if form.is_bound else None
    # Rendered by our own template, escaped there.
    return mark_safe(render() if html is None else html)  # noqa: S308


def form_as_div_html(form: forms.Form, *, depends_on: Hashable = None) -> SafeString:
    """``form.as_div()`` (Django's own rendering), kept per key like ``form_fields_html``; an
    unbound form without initial values is kept too (its HTML then hangs on the language alone)."""
    html = _kept_html(form, depends_on, "as_div", lambda: str(form.as_div()))
    return mark_safe(str(form.as_div()) if html is None else html)  # noqa: S308  # Django's escaped output
