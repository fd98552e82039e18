"""Every write of the knowledge commons: writing and editing a guide (each save a version),
copying another community's guide (a fork that keeps its origin), adopting one by a decision, and
keeping what other communities send (receiving.py calls ``received_keep`` / ``received_remove``).

Each function is one transaction with its audit entry; publishing to other servers
(objects.guide_sync) happens in the same transaction, so the outbox row exists exactly when the
version it announces does.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.clean import clean_choice, clean_text
from dualpower.commons import objects
from dualpower.commons.errors import LicenceForbidsCopy
from dualpower.commons.models import (
    BODY_MAX,
    COPYABLE,
    NOTE_MAX,
    TITLE_MAX,
    Guide,
    GuideVersion,
    Kind,
    Licence,
    ReceivedGuide,
    Visibility,
)
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership


@dataclass(frozen=True)
class GuideText:
    """What a person writes on the guide form, checked once by ``_cleaned``."""

    title: str
    kind: str
    body: str
    licence: str
    language: str
    visibility: str


def _cleaned(text: GuideText, languages: Collection[str] = ()) -> GuideText:
    languages = languages or [code for code, _name in settings.LANGUAGES]
    return GuideText(
        title=clean_text(text.title, field="title", label=_("Title"), limit=TITLE_MAX, required=True),
        kind=clean_choice(text.kind, Kind, field="kind"),
        body=clean_text(text.body, field="body", label=_("Text"), limit=BODY_MAX, required=True),
        licence=clean_choice(text.licence, Licence, field="licence"),
        language=clean_choice(text.language, languages, field="language"),
        visibility=clean_choice(text.visibility, Visibility, field="visibility"),
    )


def _version(guide: Guide, *, by: Membership | None, note: str) -> GuideVersion:
    return GuideVersion.objects.create(
        guide=guide, number=guide.version, title=guide.title, body=guide.body, note=note, by=by
    )


@transaction.atomic
def guide_create(
    *,
    community: Community,
    by: Membership | None,
    text: GuideText,
    note: str = "",
    languages: Collection[str] = (),
) -> Guide:
    """A new guide, version 1; shared with peers or everyone at once if its visibility says so.
    ``languages``: those it may be written in, when not only the interface's (know-your-rights pages)."""
    text = _cleaned(text, languages)
    note = clean_text(note, field="note", label=_("What changed"), limit=NOTE_MAX)
    guide = Guide.objects.create(community=community, created_by=by, version=1, **asdict(text))
    _version(guide, by=by, note=note or _("First version"))
    objects.guide_sync(guide=guide)
    audit_record(
        community=community, actor=by, action="commons.guide_create", target=guide, summary=guide.title
    )
    return guide


@transaction.atomic
def guide_edit(
    *, guide: Guide, by: Membership | None, text: GuideText, note: str = "", languages: Collection[str] = ()
) -> Guide:
    """Save an edit as the next version (the earlier ones stay in the history) and, when the
    guide is shared, send the new version (or withdraw it, when made members-only)."""
    text = _cleaned(text, languages)
    note = clean_text(note, field="note", label=_("What changed"), limit=NOTE_MAX)
    guide = Guide.objects.select_for_update().select_related("community").get(pk=guide.pk)
    if all(getattr(guide, name) == value for name, value in asdict(text).items()):
        raise InvalidInput(_("Nothing changed: this version is the same as the last one."), field="body")
    for name, value in asdict(text).items():
        setattr(guide, name, value)
    guide.version += 1
    guide.save()
    _version(guide, by=by, note=note)
    objects.guide_sync(guide=guide)
    audit_record(
        community=guide.community,
        actor=by,
        action="commons.guide_edit",
        target=guide,
        summary=f"{guide.title} (v{guide.version})",
    )
    return guide


@transaction.atomic
def guide_copy(*, received: ReceivedGuide, by: Membership | None) -> Guide:
    """Copy another community's guide into ours as a members-only draft (a fork): version 1 is
    their text as received; it keeps their id, name, licence and version. Refused when its
    licence does not allow copies."""
    if received.licence not in COPYABLE:
        raise LicenceForbidsCopy(
            _("“%(title)s” is published with all rights reserved: its licence does not allow copies.")
            % {"title": received.title}
        )
    community = received.community
    languages = [code for code, _name in settings.LANGUAGES]
    guide = Guide.objects.create(
        community=community,
        title=received.title,
        kind=received.kind,
        body=received.body,
        # Share-alike: a copy keeps the licence; the others are kept too (the origin chose them).
        licence=received.licence,
        language=received.language if received.language in languages else settings.LANGUAGE_CODE,
        visibility=Visibility.MEMBERS,
        version=1,
        origin_uri=received.uri,
        origin_community=received.origin_name,
        origin_licence=received.licence,
        origin_version=received.version,
        created_by=by,
    )
    _version(
        guide,
        by=by,
        note=_("Copied from %(origin)s, their version %(version)s")
        % {"origin": received.origin_name, "version": received.version},
    )
    audit_record(
        community=community,
        actor=by,
        action="commons.guide_copy",
        target=guide,
        summary=f"{guide.title} ({received.origin_name})",
    )
    return guide


@transaction.atomic
def guide_adopt(*, guide: Guide, decision_ref: str) -> Guide:
    """The assembly adopted the guide as it is now (its latest version): run by the decision's
    action ``commons.adopt``; the audit entry carries the decision."""
    guide = Guide.objects.select_for_update().select_related("community").get(pk=guide.pk)
    if guide.state == Guide.State.ADOPTED and guide.adopted_version == guide.version:
        raise Conflict(_("This version of “%(title)s” is adopted already.") % {"title": guide.title})
    guide.state = Guide.State.ADOPTED
    guide.adopted_version = guide.version
    guide.adopted_decision_ref = decision_ref
    guide.save(update_fields=["state", "adopted_version", "adopted_decision_ref", "updated_at"])
    audit_record(
        community=guide.community,
        actor=None,
        action="commons.guide_adopt",
        target=guide,
        summary=f"{guide.title} (v{guide.version})",
        decision_ref=decision_ref,
    )
    return guide


# --- what other communities send (receiving.py) ----------------------------------------------


def received_keep(*, community: Community, uri: str, actor_uri: str, fields: dict[str, Any]) -> bool:
    """Keep (or bring up to date) another community's guide for ``community``; an older version
    arriving after a newer one changes nothing. In the inbox's transaction. Whether it was kept."""
    known = ReceivedGuide.objects.select_for_update().filter(community=community, uri=uri).first()
    if known is not None:
        if known.actor_uri != actor_uri or known.version > fields["version"]:
            return False
        for name, value in fields.items():
            setattr(known, name, value)
        known.save()
        return True
    ReceivedGuide.objects.create(community=community, uri=uri, actor_uri=actor_uri, **fields)
    return True


def received_remove(*, uri: str, actor_uri: str, version: int | None) -> int:
    """Its origin withdrew it: removed from every community here (up to ``version``, when the
    Delete names one: a newer version that arrived first stays). How many were removed."""
    rows = ReceivedGuide.objects.filter(uri=uri, actor_uri=actor_uri)
    if version is not None:
        rows = rows.filter(version__lte=version)
    removed, _detail = rows.delete()
    return removed
