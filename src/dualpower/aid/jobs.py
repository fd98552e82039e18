"""Clock jobs of the aid network: erase private details after the retention period, flag stale
requests to dispatchers. Both are idempotent: they do only what is owed at ``now``."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import ngettext, ngettext_lazy

from dualpower.aid import notify
from dualpower.aid.models import CLOSED_STATUSES, AidReferral, AidRequest, AidSettings
from dualpower.aid.services.referrals import referral_outbox_erase, referrals_tick
from dualpower.community.selectors import communities_all
from dualpower.community.services import audit_record
from dualpower.notifications.text import text as notice_text

DEFAULT_RETENTION_DAYS = AidSettings._meta.get_field("retention_days").default
DEFAULT_STALE_DAYS = AidSettings._meta.get_field("stale_days").default


def _settings_by_community() -> dict[int, AidSettings]:
    return {s.community_id: s for s in AidSettings.objects.all()}


def erase_expired(now: datetime) -> str:
    """Empty the sealed details of fulfilled, cancelled or referred requests closed longer ago than
    their community's retention period, and of requests a peer referred to us once the referral's
    expiry is that long past (the copy of details we sent a peer then leaves our outbox too). The
    listing (category, neighbourhood, code) stays for the network's statistics; who it was and
    where they live does not."""
    chosen = _settings_by_community()
    erased = 0
    for community in communities_all().filter(aid_requests__sealed__gt="").distinct():
        days = chosen[community.pk].retention_days if community.pk in chosen else DEFAULT_RETENTION_DAYS
        kept_since = now - timedelta(days=days)
        # A request a peer referred to us is someone else's person: kept while it is worked on
        # here, and no longer than the retention period past the referral's expiry even if nobody
        # closed it (the referring side erased its own copy by then).
        referred_in = AidReferral.objects.filter(
            community=community, direction=AidReferral.Direction.IN, expires_at__lte=kept_since
        ).values("request_id")
        due = AidRequest.objects.filter(
            Q(status__in=CLOSED_STATUSES, closed_at__lte=kept_since) | Q(pk__in=referred_in),
            community=community,
        ).exclude(sealed="")
        with transaction.atomic():
            codes = list(due.values_list("code", flat=True))
            if codes:
                due.update(sealed="", erased_at=now)
                audit_record(
                    community=community,
                    actor=None,
                    action="aid.request.erase",
                    # People read aid/audit.py's sentence for "aid.request.erase", not this.
                    summary=str(len(codes)),
                    data={"codes": codes, "retention_days": days},
                )
                erased += len(codes)
    # What we sent a peer for requests erased here leaves our outbox too (services/referrals.py).
    referral_outbox_erase(now=now)
    if not erased:
        return ""
    return ngettext(
        "Erased the private details of %(n)d request", "Erased the private details of %(n)d requests", erased
    ) % {"n": erased}


def flag_stale(now: datetime) -> str:
    """Flag open requests with no news for the community's stale period, once, to dispatchers."""
    chosen = _settings_by_community()
    flagged = 0
    open_statuses = [s for s in AidRequest.Status.values if s not in CLOSED_STATUSES]
    for community in communities_all().filter(aid_requests__status__in=open_statuses).distinct():
        days = chosen[community.pk].stale_days if community.pk in chosen else DEFAULT_STALE_DAYS
        due = AidRequest.objects.filter(
            Q(stale_since__isnull=True),
            community=community,
            status__in=open_statuses,
            updated_at__lte=now - timedelta(days=days),
        ).select_related("community")
        with transaction.atomic():
            for request in due:
                AidRequest.objects.filter(pk=request.pk, stale_since__isnull=True).update(stale_since=now)
                notify.dispatchers(
                    request,
                    notice_text(
                        ngettext_lazy(
                            "A request has had no news for %(n)d day",
                            "A request has had no news for %(n)d days",
                            "n",
                        ),
                        n=days,
                    ),
                )
                flagged += 1
    if not flagged:
        return ""
    return ngettext("Flagged %(n)d stale request", "Flagged %(n)d stale requests", flagged) % {"n": flagged}


def referrals_due(now: datetime) -> str:
    """Referrals past their expiry expire; sent details leave the outbox once delivered."""
    return referrals_tick(now)
