"""Parts of the aid list and the dispatch board worked out once rather than on every visit.

``{% request_rows rows "aid:request_detail" %}``: the rows of a table of requests, written in
Python.

Through a row template included once per row, each row translated its eight column labels again,
resolved its link with ``{% url %}`` and ran a dozen variable lookups and filters: about a third of
the aid list's CPU for a page of 25 rows. Here the labels are translated and the link's shape is
worked out once per table; each row is then its values, escaped as the template escaped them
(``truncatechars`` and ``join`` included), in the same HTML.

``{% aid_nav dispatcher %}``: the aid pages' menu (``aid/partials/_nav.html``), six links and
labels the same for everyone of a community in a language, rendered once per process for each
community, language and whether the Dispatch link shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dualpower.formatting import format_number

register = template.Library()

_MARK = "\x01code\x01"  # stands for the request's code while the link's shape is worked out


def _number(value: object) -> str:
    """``{{ value|number }}``."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return ""
    return format_number(value)


def _link_shape(link: str, slug: str) -> tuple[str, str]:
    """The address of ``link`` for a request, before and after its code (as ``{% url %}`` gives)."""
    url = reverse(link, args=[slug, _MARK])
    before, _sep, after = url.partition(quote(_MARK, safe=""))
    return before, after


def _code_in_url(code: str) -> str:
    # As reverse() writes an argument into a path (Django's _reverse_with_prefix).
    return quote(code, safe="!$&'()*+,;=/~:@")


_KEPT_MAX = 1_000  # per community, language and link: few; bounded anyway
_table_parts: dict[tuple[str | None, str, str], tuple[dict[str, str], str, str, str, str]] = {}
_navs: dict[tuple[str | None, str, bool], SafeString] = {}


def _parts(link: str, slug: str) -> tuple[dict[str, str], str, str, str, str]:
    """The labels, the two tags and the link's shape of a table, once per language."""
    key = (get_language(), link, slug)
    found = _table_parts.get(key)
    if found is None:
        if len(_table_parts) >= _KEPT_MAX:
            _table_parts.clear()
        found = _table_parts[key] = _worked_out_parts(link, slug)
    return found


def _worked_out_parts(link: str, slug: str) -> tuple[dict[str, str], str, str, str, str]:
    before, after = _link_shape(link, slug)
    labels: dict[str, str] = {
        key: escape(text)
        for key, text in (
            ("code", _("Code")),
            ("category", _("Category")),
            ("needed", _("What is needed")),
            ("urgency", _("Urgency")),
            ("quantity", _("Still needed / asked")),
            ("neighbourhood", _("Neighbourhood")),
            ("languages", _("Languages")),
            ("status", _("Status")),
        )
    }
    mine = f' <span class="tag">{escape(_("mine"))}</span>'
    stale = f' <span class="tag">{escape(_("stale"))}</span>'
    return labels, mine, stale, before, after


def rows_html(rows: Iterable[Mapping[str, Any]], *, link: str, slug: str) -> SafeString:
    """The ``<tr>`` of each of ``rows`` (request_view dicts), each preceded by a newline."""
    labels, mine, stale, before, after = _parts(link, slug)
    out = []
    for r in rows:
        href = escape(iri_to_uri(before + _code_in_url(str(r["code"])) + after))
        languages = ", ".join(escape(v) for v in r["languages"])
        code = escape(r["code"])
        out.append(
            f'\n<tr>\n  <th scope="row" data-label="{labels["code"]}"><a href="{href}">{code}</a>'
            f"{mine if r.get('is_mine') else ''}{stale if r.get('stale_since') else ''}</th>\n"
            f'  <td data-label="{labels["category"]}">{escape(r["category_name"])}</td>\n'
            f'  <td data-label="{labels["needed"]}">{escape(Truncator(r["description"]).chars(120))}</td>\n'
            f'  <td data-label="{labels["urgency"]}">{escape(r["urgency_name"])}</td>\n'
            f'  <td data-label="{labels["quantity"]}">{_number(r["quantity_open"])} / '
            f"{_number(r['quantity'])} {escape(r['unit'])}</td>\n"
            f'  <td data-label="{labels["neighbourhood"]}">{escape(r["neighbourhood"])}</td>\n'
            f'  <td data-label="{labels["languages"]}">{languages}</td>\n'
            f'  <td data-label="{labels["status"]}">{escape(r["status_name"])}</td>\n'
            "</tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308  # every value above is escaped


@register.simple_tag(takes_context=True)
def request_rows(context: template.Context, rows: Iterable[Mapping[str, Any]], link: str) -> SafeString:
    return rows_html(rows, link=link, slug=context["community"].slug)


@register.simple_tag(takes_context=True)
def aid_nav(context: template.Context, dispatcher: bool) -> SafeString:
    community = context["community"]
    key = (get_language(), community.slug, bool(dispatcher))
    found = _navs.get(key)
    if found is None:
        html = get_template("aid/partials/_nav.html").render(
            {"community": community, "perms_dispatch": bool(dispatcher)}
        )
        if len(_navs) >= _KEPT_MAX:
            _navs.clear()
        found = _navs[key] = mark_safe(html)  # noqa: S308  # rendered by our template, escaped there
    return found
