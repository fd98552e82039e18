"""The co-op registry: starting a co-op (with its assembly), its name, purpose and bylaws, its
ledger accounts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.assemblies import names
from dualpower.assemblies.selectors import assembly_slug_taken
from dualpower.assemblies.services import assembly_create
from dualpower.clean import clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import changes_save
from dualpower.coops.models import Cooperative, CoopMember
from dualpower.coops.services._common import BOARD, MEMBER, audit, check_can_join
from dualpower.errors import Conflict, InvalidInput
from dualpower.ledger.models import Account
from dualpower.ledger.selectors import currencies_of
from dualpower.ledger.services import account_open
from dualpower.members.models import Membership

NAME_MAX = 120
PURPOSE_MAX = 5000
# Words the co-op pages use in their own URLs: never a co-op's slug.
RESERVED_SLUGS = frozenset({"new"})
# A sanity bound, not a bylaw: 100 million in the smallest unit per share.
SHARE_PRICE_MAX = 100_000_000
SHARES_MAX = 1_000_000
BYLAWS = ("share_price", "min_shares", "max_shares", "min_cash_percent")


def _clean_bylaws(values: Mapping[str, object]) -> dict[str, int]:
    cleaned = {
        "share_price": clean_int(
            values["share_price"],
            field="share_price",
            label=_("The share price"),
            low=1,
            high=SHARE_PRICE_MAX,
        ),
        "min_shares": clean_int(
            values["min_shares"], field="min_shares", label=_("The minimum shares"), low=0, high=SHARES_MAX
        ),
        "max_shares": clean_int(
            values["max_shares"], field="max_shares", label=_("The maximum shares"), low=1, high=SHARES_MAX
        ),
        "min_cash_percent": clean_int(
            values["min_cash_percent"],
            field="min_cash_percent",
            label=_("The minimum cash share"),
            low=0,
            high=100,
        ),
    }
    if cleaned["min_shares"] > cleaned["max_shares"]:
        raise InvalidInput(_("The minimum shares cannot be more than the maximum."), field="min_shares")
    return cleaned


def _free_slug(community: Community, name: str) -> str:
    base = slugify(name)[:50] or "coop"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Cooperative.objects.filter(community=community, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _free_assembly_slug(community: Community, slug: str) -> str:
    base = f"coop-{slug}"[:55]
    candidate, n = base, 1
    while assembly_slug_taken(community=community, slug=candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def coop_create(
    *,
    community: Community,
    name: str,
    kind: str,
    purpose: str = "",
    share_price: int = 1000,
    min_shares: int = 1,
    max_shares: int = 100,
    min_cash_percent: int = 20,
    founder: Membership | None = None,
    by: Membership | None,
) -> Cooperative:
    """Register a co-op with its own assembly; ``founder`` (if given) is its first board member."""
    name = clean_text(name, field="name", label=_("A co-op's name"), limit=NAME_MAX, required=True)
    purpose = clean_text(purpose, field="purpose", label=_("A purpose"), limit=PURPOSE_MAX)
    if kind not in Cooperative.Kind.values:
        raise InvalidInput(
            _("A co-op is one of: %(kinds)s.") % {"kinds": ", ".join(Cooperative.Kind.values)}, field="kind"
        )
    bylaws = _clean_bylaws(
        {
            "share_price": share_price,
            "min_shares": min_shares,
            "max_shares": max_shares,
            "min_cash_percent": min_cash_percent,
        }
    )
    if Cooperative.objects.filter(community=community, name__iexact=name).exists():
        raise Conflict(_("This community already has a co-op called “%(name)s”.") % {"name": name})
    if founder is not None:
        check_can_join(community, founder)
    slug = _free_slug(community, name)
    assembly = assembly_create(
        community=community,
        name=names.members_assembly_name(name),
        kind="coop",
        slug=_free_assembly_slug(community, slug),
        description=_("One member, one vote: the members of the co-op %(name)s.") % {"name": name},
        actor=by,
    )
    coop = Cooperative.objects.create(
        community=community, slug=slug, name=name, kind=kind, purpose=purpose, assembly=assembly, **bylaws
    )
    audit(coop, by, "coop.create", kind=kind, **bylaws)
    coop_accounts_open(coop=coop, by=by)
    if founder is not None:
        CoopMember.objects.create(
            coop=coop, membership=founder, status=MEMBER, role=BOARD, joined_at=timezone.now()
        )
        audit(coop, by, "coop.member_add", founder.display_name, membership=founder.pk, role=BOARD)
    return coop


class CoopChanges(TypedDict, total=False):
    """What ``coop_update`` may change: name, purpose, status and the bylaws (``BYLAWS``)."""

    name: str
    purpose: str
    status: str
    share_price: int
    min_shares: int
    max_shares: int
    min_cash_percent: int


@transaction.atomic
def coop_update(*, coop: Cooperative, by: Membership | None, **changes: Unpack[CoopChanges]) -> Cooperative:
    """Change a co-op's name, purpose, status or bylaws. Its address (slug) stays the same."""
    allowed = {"name", "purpose", "status", *BYLAWS}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    coop = Cooperative.objects.select_for_update().get(pk=coop.pk)
    if "name" in changes:
        changes["name"] = clean_text(
            changes["name"], field="name", label=_("A co-op's name"), limit=NAME_MAX, required=True
        )
        if (
            Cooperative.objects.filter(community=coop.community, name__iexact=changes["name"])
            .exclude(pk=coop.pk)
            .exists()
        ):
            raise Conflict(
                _("This community already has a co-op called “%(name)s”.") % {"name": changes["name"]}
            )
    if "purpose" in changes:
        changes["purpose"] = clean_text(
            changes["purpose"], field="purpose", label=_("A purpose"), limit=PURPOSE_MAX
        )
    if "status" in changes and changes["status"] not in Cooperative.Status.values:
        raise InvalidInput(_("Unknown status."), field="status")
    if set(BYLAWS) & set(changes):
        bylaws = _clean_bylaws({key: changes.get(key, getattr(coop, key)) for key in BYLAWS})
        changes["share_price"] = bylaws["share_price"]
        changes["min_shares"] = bylaws["min_shares"]
        changes["max_shares"] = bylaws["max_shares"]
        changes["min_cash_percent"] = bylaws["min_cash_percent"]
    changes_save(
        target=coop,
        changes=changes,
        community=coop.community,
        actor=by,
        action="coop.update",
        summary=str(changes.get("name", coop.name)),
    )
    return coop


@transaction.atomic
def coop_accounts_open(*, coop: Cooperative, by: Membership | None) -> list[Account]:
    """Open the co-op's account in each of the community's currencies in use (the ledger returns
    an account already open, so this is safe to repeat when a new currency starts)."""
    return [
        account_open(
            currency=currency,
            owner_kind=Account.OwnerKind.COOPERATIVE,
            owner_id=coop.pk,
            name=coop.name,
            by=by,
        )
        for currency in currencies_of(community=coop.community, include_inactive=False)
    ]
