"""What a seizure of the server would reveal, worked out now from the data itself.

Every app that keeps sensitive records registers a description of them with ``dualpower.holdings``
(aid/holdings.py, defence's registrations); this module puts them together with where each key
lives and what the database does with erased rows. Nothing here is written by hand about a
community: counts are queries, the keys' places are looked up, the database is asked.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dualpower import holdings, keys
from dualpower.community.models import Community
from dualpower.community.selectors import audit_entries_as_stored
from dualpower.defence.models.exposure import DuressPassword
from dualpower.members.models import Membership
from dualpower.members.selectors import members_of
from dualpower.notifications.models import Notification
from dualpower.notifications.selectors import notifications_count

# The keys a holding may name in ``sealed_with``, by name.
KEYS: dict[str, keys.KeySpec] = {"aid": keys.AID, "mfa": keys.MFA}
# The action codes of the audit log that are about aid and community defence.
AUDITED_APPS = ("aid.", "defence.")


@dataclass(frozen=True)
class KeyPlace:
    name: str
    where: str | Promise  # a sentence: where the key is kept, and what that means for a seizure
    on_this_disk: bool  # whoever holds the server's disk holds the key too


@dataclass(frozen=True)
class Section:
    name: str
    title: str | Promise
    holdings: list[holdings.Holding]


@dataclass(frozen=True)
class Report:
    at: datetime
    sections: list[Section]
    keys: list[KeyPlace]
    erased_rows_overwritten: bool
    database: str | Promise  # a sentence: what the database does with an erased row


def key_place(name: str) -> KeyPlace:
    spec = KEYS.get(name)
    if spec is None:
        return KeyPlace(
            name=name, where=_("A key of its own, kept outside the database."), on_this_disk=False
        )
    if getattr(settings, spec.setting, None) or os.environ.get(spec.setting):
        return KeyPlace(
            name=name,
            where=_(
                "In the server's configuration (an environment variable), not in the database nor "
                "in its backups. Whoever holds the running server, or the file that sets that "
                "variable, can read it."
            ),
            on_this_disk=False,
        )
    if keys.key_path(spec).exists():
        return KeyPlace(
            name=name,
            where=_(
                "In a file on this server's disk, beside the database: whoever takes the disk takes "
                "this key too and can open what it seals. Keep the key on another device to change "
                "that (docs/community-defence.md)."
            ),
            on_this_disk=True,
        )
    return KeyPlace(name=name, where=_("No key yet: nothing has been sealed with it."), on_this_disk=False)


def audit_holding(community: Community) -> holdings.Holding:
    """The audit log's entries about aid and defence: append-only, so never erased."""
    about = Q()
    for prefix in AUDITED_APPS:
        about |= Q(action__startswith=prefix)
    count = audit_entries_as_stored(community=community).filter(about).count()
    return holdings.Holding(
        what=_("Audit log entries about mutual aid and community defence"),
        count=count,
        sealed_with=None,
        readable_by_server_holder=_(
            "Who did what and when (the member acting, the action, the object's number), with "
            "the short summary and the request or case codes each entry keeps."
        ),
        erased_when=_("Never: the audit log is append-only, and the database refuses to change it."),
        table="community_auditentry",
        community_column="community_id",
        rows_where=" OR ".join(f"action LIKE '{prefix}%'" for prefix in AUDITED_APPS),
    )


def notification_holding(community: Community) -> holdings.Holding:
    """In-app notifications about aid and defence (their kinds start with the app's name): an
    incident's alerts go with the incident; the rest stay with the person's account."""
    return holdings.Holding(
        what=_("Notifications about mutual aid and community defence"),
        count=notifications_count(community=community, kind_prefixes=AUDITED_APPS),
        sealed_with=None,
        readable_by_server_holder=_(
            "Who was told, when, whether they read it and whether it was emailed; the title and the "
            "link, which carry a request's, an incident's or a household's code, never what was seen, "
            "a place or an address. A duress alert names who used their duress password."
        ),
        erased_when=_(
            "An incident's alerts and notices when the incident is reduced to a count; the others "
            "when the person's account is deleted (read or not, they are kept until then)."
        ),
        table=Notification._meta.db_table,
        community_column="community_id",
        rows_where=" OR ".join(f"kind LIKE '{prefix}%'" for prefix in AUDITED_APPS),
    )


def _database_sentence(overwritten: bool) -> str | Promise:
    if connection.vendor == "sqlite" and overwritten:
        return _(
            "Erased rows are overwritten with zeros in the database file, and its write-ahead log "
            "is emptied after each erasure. Backups made before an erasure still hold what it erased."
        )
    if connection.vendor == "sqlite":
        return _(
            "Erased rows may stay readable in the free space of the database file until it is "
            "reused: secure deletion is off. Backups made before an erasure still hold what it erased."
        )
    return _(
        "Erased rows stay on the disk until PostgreSQL reuses their space: VACUUM marks it free, it "
        "does not overwrite it, and the write-ahead log keeps them until it is recycled. Backups "
        "made before an erasure still hold what it erased."
    )


def exposure_report(*, community: Community) -> Report:
    sections = [
        Section(name=reg.name, title=reg.title, holdings=found)
        for reg, found in holdings.describe_all(community)
    ]
    sealed_with = sorted({h.sealed_with for s in sections for h in s.holdings if h.sealed_with})
    overwritten = holdings.erased_rows_overwritten()
    return Report(
        at=timezone.now(),
        sections=sections,
        keys=[key_place(name) for name in sealed_with],
        erased_rows_overwritten=overwritten,
        database=_database_sentence(overwritten),
    )


# --- Duress ---------------------------------------------------------------------------------
ALERT_CHOICES_LIMIT = 300


def duress_of(*, user: Any) -> DuressPassword | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return DuressPassword.objects.filter(user_id=user.pk).prefetch_related("alert_to").first()


def alert_choices(
    *, membership: Membership, query: str = "", chosen: Iterable[int] = (), everyone: bool = False
) -> QuerySet[Membership]:
    """Who ``membership`` may choose to alert: the other people of their community with an account,
    by name. Shown: those whose name holds ``query`` (at most ALERT_CHOICES_LIMIT) and those
    ``chosen`` already; ``everyone`` for checking a choice sent back."""
    people = members_of(community=membership.community).exclude(pk=membership.pk).exclude(user__isnull=True)
    if everyone:
        return people
    found = people.filter(display_name__icontains=query) if query else people
    shown = [*found.values_list("pk", flat=True)[:ALERT_CHOICES_LIMIT], *chosen]
    return people.filter(pk__in=shown)


def duress_holding(community: Community) -> holdings.Holding:
    """What the node keeps of the duress passwords of this community's people."""
    count = DuressPassword.objects.filter(community=community).count()
    return holdings.Holding(
        what=_("Duress passwords set here"),
        count=count,
        sealed_with=None,
        readable_by_server_holder=_(
            "Who set one, when it was last used and who it alerts; the password itself only as a "
            "slow one-way hash, like every password; the empty account it opens."
        ),
        erased_when=_("When the member removes it or deletes their account."),
        table=DuressPassword._meta.db_table,
        community_column="community_id",
    )


def duress_alert_holding(community: Community) -> holdings.Holding:
    through = DuressPassword.alert_to.through
    count = through.objects.filter(duresspassword__community=community).count()
    return holdings.Holding(
        what=_("People a duress password alerts"),
        count=count,
        sealed_with=None,
        readable_by_server_holder=_("Who each member chose to alert."),
        erased_when=_("With the duress password."),
        table=through._meta.db_table,
        rows_where=(
            f"duresspassword_id IN (SELECT id FROM {DuressPassword._meta.db_table} "  # noqa: S608 - our own names
            "WHERE community_id = {community})"
        ),
    )
