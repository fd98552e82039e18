"""Know-your-rights pages shared with peer communities, through the knowledge commons.

Nothing new travels between servers: a page "shared with peers" is a commons guide of the kind
"Know your rights" (``commons.models.Kind.RIGHTS``), in the page's language, visible to our peers;
the commons publishes it (Create, then Update for each saved edit as its next version, Delete when
it is no longer shared: commons/objects.py). What peers share the same way arrives in the commons
(commons/receiving.py) and is listed on our know-your-rights page with its origin; the defence
working group adopts it as one of our pages (keeping where it came from), then edits or translates
it like any other.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.commons import services as commons
from dualpower.commons.errors import LicenceForbidsCopy
from dualpower.commons.models import COPYABLE, Kind, Licence, ReceivedGuide, Visibility
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.defence.models.response import RightsPage
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership

# The languages pages are written in (the neighbourhood's, not only the interface's).
LANGUAGES = ("en", "es", "fr", "pt", "ar", "zh", "ht", "tl", "vi", "ru", "uk", "pl", "so")


def rights_sync(*, page: RightsPage, by: Membership | None) -> None:
    """Bring the page's commons guide in line with the page, in the caller's transaction: made
    when the page is first shared, its next version when the text changed (the commons sends it to
    the peers), withdrawn (members only) when the page is no longer shared."""
    guide = page.guide
    if guide is None and not page.shared:
        return
    wanted = commons.GuideText(
        title=page.title,
        kind=Kind.RIGHTS,
        body=page.body,
        licence=guide.licence if guide is not None else Licence.CC_BY_SA,
        language=page.language,
        visibility=Visibility.PEERS if page.shared else Visibility.MEMBERS,
    )
    if guide is None:
        page.guide = commons.guide_create(
            community=page.community, by=by, text=wanted, note=_("Know-your-rights page"), languages=LANGUAGES
        )
        page.save(update_fields=["guide"])
    elif any(getattr(guide, name) != value for name, value in asdict(wanted).items()):
        commons.guide_edit(guide=guide, by=by, text=wanted, languages=LANGUAGES)


@transaction.atomic
def rights_page_share(*, page: RightsPage, by: Membership, shared: bool) -> RightsPage:
    """Share the page with peer communities (or stop): it speaks for the community."""
    locked = (
        RightsPage.objects.select_for_update(of=("self",))
        .select_related("community", "guide")
        .get(pk=page.pk)
    )
    if locked.shared == bool(shared):
        return locked
    locked.shared = bool(shared)
    locked.save(update_fields=["shared"])
    rights_sync(page=locked, by=by)
    audit_record(
        community=locked.community,
        actor=by,
        action="defence.rights.share" if locked.shared else "defence.rights.unshare",
        target=locked,
        summary=f"{locked.title} ({locked.language})",
    )
    return locked


@transaction.atomic
def rights_page_adopt(*, community: Community, by: Membership, received: ReceivedGuide) -> RightsPage:
    """Make a peer's know-your-rights page one of ours (its text as received, in its language),
    keeping where it came from; adopting it again brings in their newer version."""
    if received.community_id != community.pk or received.kind != Kind.RIGHTS:
        raise InvalidInput(_("That is not a know-your-rights page sent to this community."), field="page")
    if received.licence not in COPYABLE:
        raise LicenceForbidsCopy(
            _("“%(title)s” is published with all rights reserved: its licence does not allow copies.")
            % {"title": received.title}
        )
    if received.language not in LANGUAGES:
        raise InvalidInput(
            _("This page is in a language (%(code)s) our pages are not written in.")
            % {"code": received.language or "?"},
            field="page",
        )
    slug = slugify(received.title)[:60] or "page"
    page = (
        RightsPage.objects.select_for_update(of=("self",))
        .select_related("community", "guide")
        .filter(community=community, slug=slug, language=received.language)
        .first()
    )
    if page is not None and page.origin_uri != received.uri:
        raise Conflict(
            _("We have a page “%(title)s” in this language already: edit or translate it instead.")
            % {"title": page.title}
        )
    if page is None:
        page = RightsPage(community=community, slug=slug, language=received.language)
    elif page.origin_version is not None and page.origin_version >= received.version:
        raise Conflict(_("This version of the page is adopted already."))
    page.title = received.title[:120]
    page.body = received.body[:20000]
    page.updated_by = by
    page.origin_uri = received.uri
    page.origin_name = received.origin_name
    page.origin_version = received.version
    page.save()
    rights_sync(page=page, by=by)
    audit_record(
        community=community,
        actor=by,
        action="defence.rights.adopt",
        target=page,
        summary=f"{page.title} ({received.origin_name})",
    )
    return page
