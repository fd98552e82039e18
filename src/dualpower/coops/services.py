"""Every write about co-ops: the registry, joining and leaving, the board, bylaws.

Capital operations and patronage live in capital.py and patronage.py. Who may call each verb is
decided in rules.py; the services keep the invariants (only community members join, a co-op keeps
a board while it has members, nobody leaves holding capital) and write the audit log.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.assemblies.services import assembly_create
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.coops import selectors
from dualpower.coops.models import Cooperative, CoopMember
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send

NAME_MAX = 120
PURPOSE_MAX = 5000
# Words the co-op pages use in their own URLs: never a co-op's slug.
RESERVED_SLUGS = frozenset({"new"})
# A sanity bound, not a bylaw: 100 million in the smallest unit per share.
SHARE_PRICE_MAX = 100_000_000
SHARES_MAX = 1_000_000
BYLAWS = ("share_price", "min_shares", "max_shares", "min_cash_percent")
MEMBER = CoopMember.Status.MEMBER
PENDING = CoopMember.Status.PENDING
LEFT = CoopMember.Status.LEFT
BOARD = CoopMember.Role.BOARD


def _clean_name(name: Any) -> str:
    name = str(name if name is not None else "").strip()
    if not name:
        raise InvalidInput(_("A co-op needs a name."), field="name")
    if len(name) > NAME_MAX:
        raise InvalidInput(_("A co-op's name has at most %(n)d characters.") % {"n": NAME_MAX}, field="name")
    return name


def _clean_purpose(purpose: Any) -> str:
    purpose = str(purpose if purpose is not None else "").strip()
    if len(purpose) > PURPOSE_MAX:
        raise InvalidInput(_("A purpose has at most %(n)d characters.") % {"n": PURPOSE_MAX}, field="purpose")
    return purpose


def _whole(value: Any, field: str, *, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(_("%(what)s must be a whole number.") % {"what": what}, field=field)
    if not low <= value <= high:
        raise InvalidInput(
            _("%(what)s must be between %(low)s and %(high)s.") % {"what": what, "low": low, "high": high},
            field=field,
        )
    return value


def _clean_bylaws(values: dict[str, Any]) -> dict[str, int]:
    cleaned = {
        "share_price": _whole(
            values["share_price"], "share_price", low=1, high=SHARE_PRICE_MAX, what=_("The share price")
        ),
        "min_shares": _whole(
            values["min_shares"], "min_shares", low=0, high=SHARES_MAX, what=_("The minimum shares")
        ),
        "max_shares": _whole(
            values["max_shares"], "max_shares", low=1, high=SHARES_MAX, what=_("The maximum shares")
        ),
        "min_cash_percent": _whole(
            values["min_cash_percent"], "min_cash_percent", low=0, high=100, what=_("The minimum cash share")
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
    from dualpower.assemblies.models import Assembly

    base = f"coop-{slug}"[:55]
    candidate, n = base, 1
    while Assembly.objects.filter(community=community, slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _audit(coop: Cooperative, by: Membership | None, action: str, summary: str = "", **data: Any) -> None:
    audit_record(
        community=coop.community,
        actor=by,
        action=action,
        target=coop,
        summary=summary or coop.name,
        data=data,
    )


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
    name = _clean_name(name)
    purpose = _clean_purpose(purpose)
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
        _check_can_join(community, founder)
    slug = _free_slug(community, name)
    assembly = assembly_create(
        community=community,
        name=_("%(name)s members' assembly") % {"name": name},
        kind="coop",
        slug=_free_assembly_slug(community, slug),
        description=_("One member, one vote: the members of the co-op %(name)s.") % {"name": name},
        actor=by,
    )
    coop = Cooperative.objects.create(
        community=community, slug=slug, name=name, kind=kind, purpose=purpose, assembly=assembly, **bylaws
    )
    _audit(coop, by, "coop.create", kind=kind, **bylaws)
    coop_accounts_open(coop=coop, by=by)
    if founder is not None:
        CoopMember.objects.create(
            coop=coop, membership=founder, status=MEMBER, role=BOARD, joined_at=timezone.now()
        )
        _audit(coop, by, "coop.member_add", founder.display_name, membership=founder.pk, role=BOARD)
    return coop


@transaction.atomic
def coop_update(*, coop: Cooperative, by: Membership | None, **changes: Any) -> Cooperative:
    """Change a co-op's name, purpose, status or bylaws. Its address (slug) stays the same."""
    allowed = {"name", "purpose", "status", *BYLAWS}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    coop = Cooperative.objects.select_for_update().get(pk=coop.pk)
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"])
        if (
            Cooperative.objects.filter(community=coop.community, name__iexact=changes["name"])
            .exclude(pk=coop.pk)
            .exists()
        ):
            raise Conflict(
                _("This community already has a co-op called “%(name)s”.") % {"name": changes["name"]}
            )
    if "purpose" in changes:
        changes["purpose"] = _clean_purpose(changes["purpose"])
    if "status" in changes and changes["status"] not in Cooperative.Status.values:
        raise InvalidInput(_("Unknown status."), field="status")
    if set(BYLAWS) & set(changes):
        changes.update(_clean_bylaws({key: changes.get(key, getattr(coop, key)) for key in BYLAWS}))
    before = {key: getattr(coop, key) for key in changes}
    changed = {key: value for key, value in changes.items() if before[key] != value}
    if not changed:
        return coop
    for key, value in changed.items():
        setattr(coop, key, value)
    coop.save(update_fields=list(changed))
    _audit(coop, by, "coop.update", before={k: before[k] for k in changed}, after=changed)
    return coop


def _check_can_join(community: Community, membership: Membership) -> None:
    if membership.community_id != community.pk or not membership.is_active:
        raise PermissionDenied(_("Only people admitted to this community can join its co-ops."))
    if membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Observers follow co-ops but do not join them."))


def _board_members(coop: Cooperative) -> list[Membership]:
    return [
        p.membership
        for p in CoopMember.objects.filter(coop=coop, role=BOARD, status=MEMBER).select_related("membership")
    ]


@transaction.atomic
def coop_join(*, coop: Cooperative, membership: Membership) -> CoopMember:
    """Ask to join a co-op (the board answers); someone who left may ask again."""
    _check_can_join(coop.community, membership)
    if coop.status == Cooperative.Status.DISSOLVED:
        raise Conflict(_("This co-op has been dissolved."))
    place = CoopMember.objects.select_for_update().filter(coop=coop, membership=membership).first()
    if place is not None and place.status != LEFT:
        raise Conflict(
            _("You have already asked to join this co-op.")
            if place.status == PENDING
            else _("You are already a member of this co-op.")
        )
    try:
        with transaction.atomic():
            if place is None:
                place = CoopMember.objects.create(coop=coop, membership=membership, status=PENDING)
            else:
                place.status, place.requested_at, place.left_at = PENDING, timezone.now(), None
                place.save(update_fields=["status", "requested_at", "left_at"])
    except IntegrityError:
        raise Conflict(_("You have already asked to join this co-op.")) from None
    _audit(coop, membership, "coop.join_request", membership.display_name)
    notification_send(
        recipients=_board_members(coop),
        community=coop.community,
        kind="coops.join_request",
        title=_("Someone asked to join %(coop)s") % {"coop": coop.name},
        url=f"/c/{coop.community.slug}/coops/{coop.slug}/",
    )
    return place


def _locked(place: CoopMember) -> CoopMember:
    locked = (
        CoopMember.objects.select_for_update(of=("self",))
        .select_related("coop__community", "membership")
        .filter(pk=place.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("This person is not in the co-op."))
    return locked


@transaction.atomic
def coop_request_approve(*, place: CoopMember, by: Membership) -> CoopMember:
    place = _locked(place)
    if place.status != PENDING:
        raise Conflict(_("There is no open request to join from this person."))
    place.status, place.joined_at = MEMBER, timezone.now()
    place.save(update_fields=["status", "joined_at"])
    _audit(
        place.coop, by, "coop.request_approve", place.membership.display_name, membership=place.membership_id
    )
    notification_send(
        recipients=[place.membership],
        community=place.coop.community,
        kind="coops.joined",
        title=_("You are now a member of %(coop)s") % {"coop": place.coop.name},
        url=f"/c/{place.coop.community.slug}/coops/{place.coop.slug}/",
    )
    return place


@transaction.atomic
def coop_request_decline(*, place: CoopMember, by: Membership) -> None:
    place = _locked(place)
    if place.status != PENDING:
        raise Conflict(_("There is no open request to join from this person."))
    if place.register.exists() or place.operations.exists():
        # Someone who left and asked again keeps their history: back to "left".
        place.status = LEFT
        place.save(update_fields=["status"])
    else:
        place.delete()
    _audit(
        place.coop, by, "coop.request_decline", place.membership.display_name, membership=place.membership_id
    )


@transaction.atomic
def coop_leave(*, place: CoopMember, by: Membership) -> CoopMember:
    """Leave the co-op (or withdraw a request). Capital is sold back first; the last board
    member of a co-op with other members names a successor first."""
    place = _locked(place)
    if place.status == LEFT:
        raise Conflict(_("This person has already left the co-op."))
    if place.status == PENDING:
        return _withdraw(place, by)
    capital = selectors.capital_for(member=place)
    if capital.shares or capital.amount:
        raise Conflict(
            _(
                "Capital is still held (%(shares)s shares, %(amount)s in the capital account): "
                "sell it back or transfer it first."
            )
            % {"shares": capital.shares, "amount": capital.amount}
        )
    if (
        place.operations.filter(status__in=["draft", "approved"]).exists()
        or place.operations_received.filter(status__in=["draft", "approved"]).exists()
    ):
        raise Conflict(_("Finish or cancel the open capital operations first."))
    if place.role == BOARD:
        others = CoopMember.objects.filter(coop=place.coop, status=MEMBER).exclude(pk=place.pk)
        if others.exists() and not others.filter(role=BOARD).exists():
            raise Conflict(_("This is the co-op's last board member: name another board member first."))
    place.status, place.role, place.left_at = LEFT, CoopMember.Role.MEMBER, timezone.now()
    place.save(update_fields=["status", "role", "left_at"])
    _audit(place.coop, by, "coop.leave", place.membership.display_name, membership=place.membership_id)
    return place


def _withdraw(place: CoopMember, by: Membership) -> CoopMember:
    place.status = LEFT
    place.save(update_fields=["status"])
    _audit(
        place.coop, by, "coop.request_withdraw", place.membership.display_name, membership=place.membership_id
    )
    return place


@transaction.atomic
def coop_board_set(*, place: CoopMember, is_board: bool, by: Membership) -> CoopMember:
    """Put a member on the board or take them off; a co-op with members keeps a board."""
    place = _locked(place)
    if place.status != MEMBER:
        raise Conflict(_("Only members of the co-op sit on its board."))
    role = BOARD if is_board else CoopMember.Role.MEMBER
    if place.role == role:
        return place
    if (
        not is_board
        and not CoopMember.objects.filter(coop=place.coop, role=BOARD, status=MEMBER)
        .exclude(pk=place.pk)
        .exists()
    ):
        raise Conflict(_("A co-op needs a board: name another board member first."))
    place.role = role
    place.save(update_fields=["role"])
    _audit(
        place.coop,
        by,
        "coop.board_set" if is_board else "coop.board_unset",
        place.membership.display_name,
        membership=place.membership_id,
    )
    return place


@transaction.atomic
def coop_accounts_open(*, coop: Cooperative, by: Membership | None) -> list[Any]:
    """Open the co-op's account in each of the community's currencies in use (the ledger returns
    an account already open, so this is safe to repeat when a new currency starts)."""
    from dualpower.ledger.models import Account
    from dualpower.ledger.selectors import currencies_of
    from dualpower.ledger.services import account_open

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
