"""Every write about sortition panels: setting one up, volunteering, closing, the seed, the draw.

The order of the steps is what makes the draw trustworthy: volunteers and quotas are frozen and
the lottery is published before the seed is announced, and the panel is drawn from that seed
only. Each step refuses to run out of order. The lottery itself is ``dualpower.core.sortition``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.assemblies.models import Assembly
from dualpower.assemblies.services import assembly_create
from dualpower.core import sortition
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.node.models import Community
from dualpower.node.services import audit_record
from dualpower.notifications.services import notification_send
from dualpower.panels.models import Feature, Panel, Quota, Volunteer

TITLE_MAX = 120
PURPOSE_MAX = 5000
SEED_MAX = 300
NAME_MAX = 60
VALUE_MAX = 80
SIZE_MAX = 1000
FEATURES_MAX = 8
VALUES_MAX = 30
# Features and their quotas, in the order organisers gave them: {feature: {value: (min, max)}}.
FeatureQuotas = Mapping[str, Mapping[str, tuple[int, int]]]


def _clean_text(value: Any, *, field: str, limit: int, required: bool, label: str) -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(_("%(label)s is needed.") % {"label": label}, field=field)
    if len(text) > limit:
        raise InvalidInput(
            _("%(label)s has at most %(n)d characters.") % {"label": label, "n": limit}, field=field
        )
    return text


def _clean_size(size: Any) -> int:
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= SIZE_MAX:
        raise InvalidInput(
            _("The panel size must be a whole number from 1 to %(n)d.") % {"n": SIZE_MAX}, field="size"
        )
    return size


def _clean_features(features: Any, size: int) -> list[tuple[str, list[tuple[str, int, int]]]]:
    if not isinstance(features, Mapping) or not features:
        raise InvalidInput(
            _("Give at least one feature with quotas, e.g. neighbourhood or age band."), field="features"
        )
    if len(features) > FEATURES_MAX:
        raise InvalidInput(_("A panel has at most %(n)d features.") % {"n": FEATURES_MAX}, field="features")
    cleaned = []
    seen: set[str] = set()
    for name, values in features.items():
        name = _clean_text(name, field="features", limit=NAME_MAX, required=True, label=_("A feature's name"))
        if name.lower() in seen:
            raise InvalidInput(_("The feature “%(f)s” is given twice.") % {"f": name}, field="features")
        seen.add(name.lower())
        if not isinstance(values, Mapping) or len(values) < 2:
            raise InvalidInput(
                _("The feature “%(f)s” needs at least two values to choose from.") % {"f": name},
                field="features",
            )
        if len(values) > VALUES_MAX:
            raise InvalidInput(
                _("The feature “%(f)s” has more than %(n)d values.") % {"f": name, "n": VALUES_MAX},
                field="features",
            )
        rows = []
        seen_values: set[str] = set()
        for value, bounds in values.items():
            value = _clean_text(value, field="features", limit=VALUE_MAX, required=True, label=_("A value"))
            if value.lower() in seen_values:
                raise InvalidInput(
                    _("The value “%(v)s” of “%(f)s” is given twice.") % {"v": value, "f": name},
                    field="features",
                )
            seen_values.add(value.lower())
            lo, hi = _bounds(name, value, bounds, size)
            rows.append((value, lo, hi))
        if sum(lo for _, lo, _ in rows) > size:
            raise InvalidInput(
                _("The minimums for “%(f)s” add up to more than the panel size %(n)d.")
                % {"f": name, "n": size},
                field="features",
            )
        if sum(hi for _, _, hi in rows) < size:
            raise InvalidInput(
                _("The maximums for “%(f)s” add up to less than the panel size %(n)d.")
                % {"f": name, "n": size},
                field="features",
            )
        cleaned.append((name, rows))
    return cleaned


def _bounds(feature: str, value: str, bounds: Any, size: int) -> tuple[int, int]:
    ok = (
        isinstance(bounds, list | tuple)
        and len(bounds) == 2
        and all(isinstance(b, int) and not isinstance(b, bool) for b in bounds)
    )
    if not ok or not 0 <= bounds[0] <= bounds[1]:
        raise InvalidInput(
            _("The quota for %(f)s = %(v)s must be two whole numbers: at least, then at most (not less).")
            % {"f": feature, "v": value},
            field="features",
        )
    return bounds[0], min(bounds[1], size)


def _write_features(panel: Panel, features: list[tuple[str, list[tuple[str, int, int]]]]) -> None:
    panel.features.all().delete()
    for i, (name, rows) in enumerate(features):
        feature = Feature.objects.create(panel=panel, name=name, position=i)
        Quota.objects.bulk_create(
            [
                Quota(feature=feature, value=v, min=lo, max=hi, position=j)
                for j, (v, lo, hi) in enumerate(rows)
            ]
        )


def _objective(objective: Any) -> str:
    if objective not in Panel.Objective.values:
        raise InvalidInput(_("The fairness rule is maximin or leximin."), field="objective")
    return str(objective)


@transaction.atomic
def panel_create(
    *,
    community: Community,
    title: str,
    size: int,
    features: FeatureQuotas,
    purpose: str = "",
    objective: str = Panel.Objective.MAXIMIN,
    by: Membership | None,
) -> Panel:
    """Set up a panel open for volunteers, with its features and quotas."""
    title = _clean_text(title, field="title", limit=TITLE_MAX, required=True, label=_("A title"))
    purpose = _clean_text(purpose, field="purpose", limit=PURPOSE_MAX, required=False, label=_("The purpose"))
    size = _clean_size(size)
    cleaned = _clean_features(features, size)
    panel = Panel.objects.create(
        community=community,
        title=title,
        purpose=purpose,
        size=size,
        objective=_objective(objective),
        created_by=by,
    )
    _write_features(panel, cleaned)
    audit_record(community=community, actor=by, action="panel.create", target=panel, summary=title)
    notification_send(
        recipients=Membership.objects.filter(
            community=community,
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.MEMBER, Membership.Role.COORDINATOR],
        ),
        community=community,
        kind="panels.open",
        title=_("Volunteer for a panel drawn by lot: %(title)s") % {"title": title},
        url=f"/c/{community.slug}/panels/{panel.pk}/",
        email=False,
    )
    return panel


def _locked(panel: Panel) -> Panel:
    return Panel.objects.select_for_update().select_related("community").get(pk=panel.pk)


def _must_be_open(panel: Panel) -> None:
    if panel.state != Panel.State.OPEN:
        raise Conflict(_("Sign-up for this panel is closed; its volunteers and quotas can no longer change."))


@transaction.atomic
def panel_update(*, panel: Panel, by: Membership | None, **changes: Any) -> Panel:
    """Change a panel while it is open. Once people volunteered, its features and their values
    stay as they are (their answers refer to them); the numbers in the quotas may still change."""
    panel = _locked(panel)
    _must_be_open(panel)
    unknown = set(changes) - {"title", "purpose", "size", "objective", "features"}
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes:
        panel.title = _clean_text(
            changes["title"], field="title", limit=TITLE_MAX, required=True, label=_("A title")
        )
    if "purpose" in changes:
        panel.purpose = _clean_text(
            changes["purpose"], field="purpose", limit=PURPOSE_MAX, required=False, label=_("The purpose")
        )
    if "size" in changes:
        panel.size = _clean_size(changes["size"])
    if "objective" in changes:
        panel.objective = _objective(changes["objective"])
    current = quotas_of(panel)
    cleaned = _clean_features(changes.get("features", current), panel.size)
    if panel.volunteers.exists():
        shape = [(name, sorted(v for v, _, _ in rows)) for name, rows in cleaned]
        before = [(name, sorted(values)) for name, values in current.items()]
        if shape != before:
            raise Conflict(
                _("People have volunteered with their answers: change only the numbers in the quotas.")
            )
    panel.save(update_fields=["title", "purpose", "size", "objective"])
    _write_features(panel, cleaned)
    audit_record(
        community=panel.community, actor=by, action="panel.update", target=panel, summary=panel.title
    )
    return panel


def quotas_of(panel: Panel) -> dict[str, dict[str, tuple[int, int]]]:
    return {
        feature.name: {q.value: (q.min, q.max) for q in feature.quotas.all()}
        for feature in panel.features.prefetch_related("quotas")
    }


def _clean_answers(panel: Panel, answers: Any) -> dict[str, str]:
    if not isinstance(answers, Mapping):
        raise InvalidInput(_("Answer every question."), field="answers")
    quotas = quotas_of(panel)
    unknown = set(answers) - set(quotas)
    if unknown:
        raise InvalidInput(
            _("This panel does not ask about: %(f)s.") % {"f": ", ".join(sorted(map(str, unknown)))},
            field="answers",
        )
    cleaned = {}
    for feature, values in quotas.items():
        answer = answers.get(feature)
        if answer not in values:
            raise InvalidInput(
                _("For “%(f)s”, choose one of: %(v)s.") % {"f": feature, "v": ", ".join(values)},
                field=feature,
            )
        cleaned[feature] = str(answer)
    return cleaned


@transaction.atomic
def volunteer_signup(*, panel: Panel, membership: Membership, answers: Mapping[str, str]) -> Volunteer:
    """Offer to serve on the panel, with one's own answers to its questions."""
    panel = _locked(panel)
    _must_be_open(panel)
    if membership.community_id != panel.community_id or membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Only members of this community can volunteer for its panels."))
    cleaned = _clean_answers(panel, answers)
    if Volunteer.objects.filter(panel=panel, membership=membership).exists():
        raise Conflict(_("You have already volunteered for this panel."))
    for _attempt in range(10):
        public_id = "V" + secrets.token_hex(3).upper()
        if not Volunteer.objects.filter(panel=panel, public_id=public_id).exists():
            break
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                panel=panel, membership=membership, public_id=public_id, answers=cleaned
            )
    except IntegrityError:
        raise Conflict(_("You have already volunteered for this panel.")) from None
    # The answers stay out of the audit log: only coordinators see them, on the panel's pages.
    audit_record(community=panel.community, actor=membership, action="panel.volunteer", target=panel)
    return volunteer


@transaction.atomic
def volunteer_withdraw(*, panel: Panel, membership: Membership) -> None:
    panel = _locked(panel)
    _must_be_open(panel)
    deleted, _n = Volunteer.objects.filter(panel=panel, membership=membership).delete()
    if not deleted:
        raise Conflict(_("You have not volunteered for this panel."))
    audit_record(community=panel.community, actor=membership, action="panel.withdraw", target=panel)


def pool_and_quotas(panel: Panel) -> tuple[sortition.Pool, sortition.Quotas]:
    """The engine's view of the panel: volunteers by pseudonym and their answers, and the quotas."""
    pool = sortition.Pool.of({v.public_id: v.answers for v in panel.volunteers.all()})
    return pool, sortition.Quotas.of(quotas_of(panel))


def _lottery_json(distribution: sortition.Distribution) -> dict[str, Any]:
    return {
        "objective": distribution.objective,
        "panel_size": distribution.panel_size,
        "features": list(distribution.features),
        "total_tickets": distribution.total_tickets,
        "profiles": [{"values": list(p.values), "members": list(p.members)} for p in distribution.profiles],
        "lottery": [{"counts": list(c.counts), "tickets": c.tickets} for c in distribution.lottery],
        "never_selectable": list(distribution.never_selectable),
        "table": sortition.lottery_table(distribution),
    }


def distribution_of(panel: Panel) -> sortition.Distribution:
    """The lottery published when sign-up closed, rebuilt from what was stored (not recomputed)."""
    data = panel.lottery
    probabilities = tuple(sorted((v.public_id, Fraction(v.probability)) for v in panel.volunteers.all()))
    return sortition.Distribution(
        objective=data["objective"],
        panel_size=data["panel_size"],
        features=tuple(data["features"]),
        quotas=sortition.Quotas.of(quotas_of(panel)),
        profiles=tuple(sortition.Profile(tuple(p["values"]), tuple(p["members"])) for p in data["profiles"]),
        lottery=tuple(sortition.Composition(tuple(c["counts"]), c["tickets"]) for c in data["lottery"]),
        total_tickets=data["total_tickets"],
        probabilities=probabilities,
        never_selectable=tuple(data["never_selectable"]),
        columns_generated=0,
    )


@transaction.atomic
def panel_close(*, panel: Panel, seed_source: str, by: Membership | None) -> Panel:
    """Close sign-up, compute and publish the lottery, and say where the seed will come from."""
    panel = _locked(panel)
    _must_be_open(panel)
    seed_source = _clean_text(
        seed_source,
        field="seed_source",
        limit=SEED_MAX,
        required=True,
        label=_("Where the seed will come from"),
    )
    pool, quotas = pool_and_quotas(panel)
    try:
        distribution = sortition.select_distribution(pool, quotas, panel.size, objective=panel.objective)  # type: ignore[arg-type]
    except ValueError as exc:
        # The engine names the clashing features and the smallest change that would help.
        raise InvalidInput(
            _("No panel can be drawn with these quotas: %(why)s") % {"why": str(exc)}, field="features"
        ) from None
    for volunteer in panel.volunteers.all():
        p = distribution.probability(volunteer.public_id)
        volunteer.probability = f"{p.numerator}/{p.denominator}"
        volunteer.save(update_fields=["probability"])
    panel.state = Panel.State.CLOSED
    panel.closed_at = timezone.now()
    panel.seed_source = seed_source
    panel.lottery = _lottery_json(distribution)
    panel.lottery_fingerprint = sortition.lottery_fingerprint(distribution)
    panel.save(update_fields=["state", "closed_at", "seed_source", "lottery", "lottery_fingerprint"])
    audit_record(
        community=panel.community,
        actor=by,
        action="panel.close",
        target=panel,
        summary=panel.title,
        data={"volunteers": len(pool), "fingerprint": panel.lottery_fingerprint, "seed_source": seed_source},
    )
    notification_send(
        recipients=Membership.objects.filter(panel_volunteering__panel=panel),
        community=panel.community,
        kind="panels.closed",
        title=_("Sign-up closed for %(title)s; your chance of selection is published")
        % {"title": panel.title},
        url=f"/c/{panel.community.slug}/panels/{panel.pk}/",
    )
    return panel


@transaction.atomic
def panel_seed_announce(*, panel: Panel, seed: str, by: Membership | None) -> Panel:
    """Publish the seed, with the time, once the public event it comes from has happened."""
    panel = _locked(panel)
    if panel.state == Panel.State.OPEN:
        raise Conflict(_("Close sign-up first: the seed is announced only once the lottery is published."))
    if panel.state != Panel.State.CLOSED:
        raise Conflict(_("The seed for this panel was already announced; it cannot change."))
    seed = _clean_text(seed, field="seed", limit=SEED_MAX, required=True, label=_("The seed"))
    panel.seed = seed
    panel.seed_announced_at = timezone.now()
    panel.state = Panel.State.SEEDED
    panel.save(update_fields=["seed", "seed_announced_at", "state"])
    audit_record(
        community=panel.community,
        actor=by,
        action="panel.seed",
        target=panel,
        summary=seed,
        data={"seed": seed},
    )
    return panel


@transaction.atomic
def panel_draw(*, panel: Panel, by: Membership | None) -> Panel:
    """Draw the panel from the announced seed; the selected members become an assembly of kind panel."""
    panel = _locked(panel)
    if panel.state == Panel.State.DRAWN:
        raise Conflict(_("This panel was already drawn; a draw happens once."))
    if panel.state != Panel.State.SEEDED:
        raise Conflict(
            _("Announce the seed before the draw: the draw uses only a seed published beforehand.")
        )
    drawn = sortition.draw(distribution_of(panel), panel.seed)
    Volunteer.objects.filter(panel=panel, public_id__in=drawn.members).update(selected=True)
    assembly = assembly_create(
        community=panel.community,
        name=panel.title,
        kind=Assembly.Kind.PANEL,
        slug=f"panel-{panel.pk}",
        description=panel.purpose,
        actor=by,
    )
    panel.state = Panel.State.DRAWN
    panel.drawn_at = timezone.now()
    panel.ticket = drawn.ticket
    panel.assembly = assembly
    panel.save(update_fields=["state", "drawn_at", "ticket", "assembly"])
    audit_record(
        community=panel.community,
        actor=by,
        action="panel.draw",
        target=panel,
        summary=panel.title,
        data={"seed": drawn.seed, "ticket": drawn.ticket, "selected": list(drawn.members)},
    )
    url = f"/c/{panel.community.slug}/panels/{panel.pk}/"
    selected = Membership.objects.filter(panel_volunteering__panel=panel, panel_volunteering__selected=True)
    notification_send(
        recipients=selected,
        community=panel.community,
        kind="panels.selected",
        title=_("You were drawn for the panel %(title)s") % {"title": panel.title},
        url=url,
    )
    notification_send(
        recipients=Membership.objects.filter(
            panel_volunteering__panel=panel, panel_volunteering__selected=False
        ),
        community=panel.community,
        kind="panels.drawn",
        title=_("The panel %(title)s was drawn") % {"title": panel.title},
        url=url,
    )
    return panel
