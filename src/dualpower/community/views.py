"""A community's own pages: the dashboard of what needs me, its description and settings, the audit log."""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dualpower.clean import clean_int_or_none
from dualpower.community import dashboard, hooks, services
from dualpower.community.decorators import with_community
from dualpower.community.forms import CommunityForm
from dualpower.community.models import AuditEntry, Community
from dualpower.community.selectors import audit_page
from dualpower.errors import InvalidInput
from dualpower.web.actions import form_action
from dualpower.web.fragments import Later
from dualpower.web.moments import moment_texts
from dualpower.web.permissions import check


@require_GET
@with_community
def community_dashboard(request: HttpRequest, community: Community) -> HttpResponse:
    if request.user.is_authenticated and not request.user.has_perm("community.view_dashboard", community):
        # An applicant waiting for a decision sees their application, not a refusal.
        elsewhere = hooks.visitor_page(request.user, community)
        if elsewhere:
            return redirect(elsewhere)
    check(request, "community.view_dashboard", community)
    return render(
        request,
        "community/dashboard.html",
        {"panels": dashboard.rendered_panels(request=request, community=community)},
    )


@require_GET
@with_community
def community_about(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "community.view_community", community)
    return render(
        request,
        "community/about.html",
        {
            "can_change": request.user.has_perm("community.change_community", community),
            "admission_label": Community.Admission(community.admission).label,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def community_edit(request: HttpRequest, community: Community) -> HttpResponse:
    """Coordinators describe the community and set how applicants are admitted."""
    check(request, "community.change_community", community)
    form = CommunityForm(request.POST or None, initial=CommunityForm.initial_for(community))
    return form_action(
        request,
        form=form,
        run=lambda _data: services.community_update(
            community=community, actor_user=request.user, **form.changes()
        ),
        success=reverse("community-about", args=[community.slug]),
        message=_("The community's settings were saved."),
        template="community/edit.html",
    )


@require_GET
@with_community
def audit_log(request: HttpRequest, community: Community) -> HttpResponse:
    """The log a page at a time, newest first: ``?before=<entry>`` for older entries,
    ``?after=<entry>`` for newer ones (the position, not a page number, so that a deep page costs
    what the first one does)."""
    check(request, "community.view_audit", community)
    before, after = (
        clean_int_or_none(
            request.GET.get(name), field=name, label=_("The position in the log"), low=0, high=AUDIT_MAX_ID
        )
        for name in ("before", "after")
    )
    if before is not None and after is not None:
        raise InvalidInput(_("Ask for entries before one entry or after one, not both."), field="after")
    # The log reads the same for everyone admitted: the table and its pager are a kept fragment
    # (web/fragments.py) keyed by the position asked for; the entries are read only to render it.
    page: Any = SimpleLazyObject(lambda: audit_page(community=community, before=before, after=after))
    return render(
        request,
        "community/audit.html",
        {"before": before, "after": after, "page": page, "rows": Later(lambda: _audit_rows(page.entries))},
    )


def _audit_rows(entries: list[AuditEntry]) -> SafeString:
    """The log's ``<tr>`` rows, each preceded by the whitespace the template had: written here
    rather than through the template's loop (two ``{% trans %}`` and two date filters per row, half
    of the page's own CPU). The same HTML: each moment as ``|date:'c'`` and ``|date:"DATETIME_FORMAT"``
    write it (web/moments.py), the sentence escaped as ``{{ }}`` escapes it.

    Each row is kept per process under everything it is made from (``_row_key``), so nothing needs
    invalidating: the entries are append-only, and what readers see in their place (a redaction, an
    actor's new name) is part of the key."""
    shared = (get_language(), timezone.get_current_timezone_name())
    when = what = ""
    rows = []
    for entry in entries:
        key = (*shared, *_row_key(entry))
        row = _kept_rows.get(key)
        if row is None:
            if not when:
                when, what = escape(_("When")), escape(_("What happened"))
            iso, text = moment_texts(entry.created_at)
            sentence = conditional_escape(hooks.audit_sentence(entry))
            row = (
                f'\n        <tr><td data-label="{when}"><time datetime="{escape(iso)}">{escape(text)}</time>'
                f'</td>\n            <td data-label="{what}">{sentence}</td></tr>\n      '
            )
            if len(_kept_rows) >= _KEPT_MAX:
                _kept_rows.clear()
            _kept_rows[key] = row
        rows.append(row)
    return mark_safe("".join(rows))  # noqa: S308  # every value escaped above


_KEPT_MAX = 5_000  # bounded: a busy log's recent pages, in two languages
_kept_rows: dict[tuple[Any, ...], str] = {}


@receiver(setting_changed)
def _forget(**_kwargs: Any) -> None:
    # Tests change the languages, time zone and translations: no row may outlive them.
    _kept_rows.clear()


def _row_key(entry: AuditEntry) -> tuple[Any, ...]:
    """What an entry's row is made from, read before ``audit_sentence`` puts the shown words in
    place: its stored fields, the words shown instead of them, and its actor's name now."""
    actor = entry.actor
    return (
        entry.pk,
        entry.created_at,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.summary,
        repr(entry.data),
        entry.decision_ref,
        getattr(entry, "shown_summary", None),
        getattr(entry, "shown_data", None),
        None if actor is None else (actor.pk, actor.display_name),
    )


# The largest id a database keeps (a 64-bit integer): a larger position is refused, not a 500.
AUDIT_MAX_ID = 2**63 - 1
