"""The actions a decision of an assembly carries out itself: admit, change a role, change a policy.

Changing a policy is only possible this way: an assembly's rules change only by its own decision.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dualpower.assemblies import actions, names, processes
from dualpower.assemblies.models import Assembly, Policy
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput, NotFound
from dualpower.formatting import format_percent
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Application, Membership
from dualpower.web.prepared import Prepared

EDITABLE = (
    "default_process",
    "quorum",
    "supermajority",
    "discussion_days",
    "voting_days",
    "secret_ballots",
    "results_hidden_until_close",
    "who_may_propose",
    "liquid_delegation",
    "early_close",
)


def _id(params: actions.Params, key: str) -> int:
    try:
        return int(params[key])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(_("Say which one: “%(k)s” is missing.") % {"k": key}, field="actions") from None


# --- what each action asks for on the proposal form (names, never ids) --------------------------


def pending_applications(community: Community) -> list[tuple[int, str]]:
    return [(a.pk, a.display_name) for a in member_selectors.applications_pending(community=community)]


def active_members(community: Community) -> list[tuple[int, str]]:
    return [(m.pk, m.display_name) for m in member_selectors.members_of(community=community)]


def roles(community: Community) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Membership.Role.choices]


def assemblies_here(community: Community) -> list[tuple[int, str]]:
    return [
        (a.pk, a.name_shown)
        for a in Assembly.objects.filter(community=community, is_archived=False).order_by("name")
    ]


def _process_choices(community: Community) -> list[tuple[str, str]]:
    return processes.choices()


def _proposers(community: Community) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Policy.Proposers.choices]


def _setting(name: str, kind: Any, **extra: Any) -> actions.Need:
    return actions.Need(
        name,
        lazy(lambda: capfirst(Policy.setting(name).verbose_name), str)(),
        kind,
        required=False,
        within="changes",
        **extra,
    )


ADMIT_NEEDS = (actions.Need("application", gettext_lazy("Who is admitted"), options=pending_applications),)
ROLE_NEEDS = (
    actions.Need("membership", gettext_lazy("Whose role"), options=active_members),
    actions.Need("role", gettext_lazy("The role they will have"), options=roles),
)
POLICY_NEEDS = (
    actions.Need("assembly", gettext_lazy("Which assembly"), options=assemblies_here),
    _setting("default_process", "choice", options=_process_choices),
    _setting("quorum", "percent", help=gettext_lazy("A percentage of the eligible members, such as 20.")),
    _setting(
        "supermajority",
        "percent",
        help=gettext_lazy("A percentage of the votes cast, 50 to 100, such as 67."),
    ),
    _setting("discussion_days", "number"),
    _setting("voting_days", "number"),
    _setting("secret_ballots", "yesno"),
    _setting("results_hidden_until_close", "yesno"),
    _setting("who_may_propose", "choice", options=_proposers),
    _setting("liquid_delegation", "yesno"),
    _setting("early_close", "yesno"),
)


# --- admit an applicant ------------------------------------------------------------------------


def _application(community: Community, params: actions.Params) -> Application:
    app = member_selectors.application_find(community=community, pk=_id(params, "application"))
    if app is None:
        raise InvalidInput(_("There is no such application in this community."), field="actions")
    if app.status != Application.Status.PENDING:
        raise InvalidInput(_("This application has already been answered."), field="actions")
    return app


def validate_admit(community: Community, params: actions.Params) -> dict[str, Any]:
    return {"application": _application(community, params).pk}


def describe_admit(community: Community, params: actions.Params) -> str:
    app = member_selectors.application_find(community=community, pk=params.get("application"))
    return _("Admit %(name)s as a member") % {"name": app.display_name if app else "?"}


def run_admit(*, community: Community, params: actions.Params, decision: actions.Decision) -> actions.Result:
    from dualpower.members.services import application_admit_by_decision

    membership = application_admit_by_decision(
        application=_application(community, params), decision_ref=decision.ref
    )
    return actions.result(gettext_lazy("%(name)s was admitted."), name=membership.display_name)


# --- grant or revoke a role ---------------------------------------------------------------------


def _membership(community: Community, params: actions.Params) -> Membership:
    m = member_selectors.membership_find(community=community, pk=_id(params, "membership"), active=True)
    if m is None:
        raise InvalidInput(_("That person is not an active member of this community."), field="actions")
    return m


def validate_role(community: Community, params: actions.Params) -> dict[str, Any]:
    m = _membership(community, params)
    role = str(params.get("role", ""))
    if role not in Membership.Role.values:
        raise InvalidInput(
            _("Choose one of: %(v)s.") % {"v": ", ".join(Membership.Role.values)}, field="actions"
        )
    return {"membership": m.pk, "role": role}


def describe_role(community: Community, params: actions.Params) -> str:
    m = member_selectors.membership_find(community=community, pk=params.get("membership"))
    role = dict(Membership.Role.choices).get(str(params.get("role")), params.get("role"))
    return _("Give %(name)s the role %(role)s") % {"name": m.display_name if m else "?", "role": role}


def run_role(*, community: Community, params: actions.Params, decision: actions.Decision) -> actions.Result:
    from dualpower.members.services import role_change

    m = _membership(community, params)
    role_change(
        membership=m,
        role=params["role"],
        by=None,
        reason=_("Decided by the assembly: %(t)s") % {"t": decision.title[:400]},
        decision_ref=decision.ref,
    )
    role = dict(Membership.Role.choices).get(params["role"], params["role"])
    return actions.result(gettext_lazy("%(name)s now has the role %(role)s."), name=m.display_name, role=role)


# --- change a policy ----------------------------------------------------------------------------


def _policy(community: Community, params: actions.Params) -> Policy:
    policy = Policy.objects.filter(assembly_id=_id(params, "assembly"), assembly__community=community).first()
    if policy is None:
        raise InvalidInput(_("There is no such assembly in this community."), field="actions")
    return policy


def _clean_value(name: str, value: Any) -> Any:
    field = Policy.setting(name)
    if name == "default_process":
        return processes.get(str(value)).key
    if name in ("secret_ballots", "results_hidden_until_close", "liquid_delegation", "early_close"):
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "yes", "on"):
            return True
        if str(value).lower() in ("false", "0", "no", "off", ""):
            return False
        raise InvalidInput(_("Say yes or no for “%(f)s”.") % {"f": field.verbose_name}, field="actions")
    if name in ("quorum", "supermajority"):
        try:
            dec = Decimal(str(value)).quantize(Decimal("0.0001"))
        except InvalidOperation:
            raise InvalidInput(
                _("Give “%(f)s” as a share, such as 0.5.") % {"f": field.verbose_name}, field="actions"
            ) from None
        low = Decimal("0.5") if name == "supermajority" else Decimal("0")
        if not low <= dec <= 1:
            raise InvalidInput(
                _("“%(f)s” must be between %(lo)s and 1.") % {"f": field.verbose_name, "lo": low},
                field="actions",
            )
        return str(dec)
    if name in ("discussion_days", "voting_days"):
        try:
            n = int(value)
        except (TypeError, ValueError):
            raise InvalidInput(_("Give a whole number of days."), field="actions") from None
        if not (1 if name == "voting_days" else 0) <= n <= 90:
            raise InvalidInput(
                _("“%(f)s” must be a number of days up to 90.") % {"f": field.verbose_name}, field="actions"
            )
        return n
    try:
        field.clean(value, None)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="actions") from None
    return value


def validate_policy(community: Community, params: actions.Params) -> dict[str, Any]:
    policy = _policy(community, params)
    changes = params.get("changes")
    if not isinstance(changes, dict) or not changes:
        raise InvalidInput(_("Say what the policy changes to."), field="actions")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(
            _("Unknown policy setting: %(s)s.") % {"s": ", ".join(sorted(unknown))}, field="actions"
        )
    return {"assembly": policy.assembly_id, "changes": {k: _clean_value(k, v) for k, v in changes.items()}}


def setting_words(name: str, value: Any) -> str:
    """A policy setting's value as the reader says it: "20%", "yes", "3 days", the process's name."""
    if name == "default_process":
        found = processes.PROCESSES.get(str(value))
        return str(found.label) if found else str(value)
    if name in ("quorum", "supermajority"):
        try:
            share = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return format_percent(share) if share else _("none")
    if isinstance(value, bool) or name in (
        "secret_ballots",
        "results_hidden_until_close",
        "liquid_delegation",
        "early_close",
    ):
        on = value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes", "on")
        return _("yes") if on else _("no")
    if name in ("discussion_days", "voting_days") and str(value).isdigit():
        return ngettext("%(n)d day", "%(n)d days", int(value)) % {"n": int(value)}
    if name == "who_may_propose":
        return str(dict(Policy.Proposers.choices).get(str(value), value))
    return str(value)


_assembly_by_pk = Prepared(
    lambda pk, community: Assembly.objects.filter(pk=pk, community_id=community)[:1], pk=int, community=int
)


def describe_policy(community: Community, params: actions.Params) -> str:
    raw = str(params.get("assembly"))
    # Described on every visit of a proposal with this action: its SQL written once per process.
    found = _assembly_by_pk(pk=int(raw), community=community.pk) if raw.isdigit() and int(raw) < 2**63 else []
    assembly = found[0] if found else None
    parts = []
    for key, value in dict(params.get("changes") or {}).items():
        label = Policy.setting(key).verbose_name
        parts.append(_("%(setting)s: %(value)s") % {"setting": label, "value": setting_words(key, value)})
    return _("Change how %(a)s decides: %(c)s") % {
        "a": assembly.name_shown if assembly else "?",
        "c": "; ".join(parts),
    }


def run_policy(*, community: Community, params: actions.Params, decision: actions.Decision) -> actions.Result:
    policy = Policy.objects.select_for_update(of=("self",)).filter(pk=_policy(community, params).pk).first()
    if policy is None:  # pragma: no cover - checked by validate
        raise NotFound(_("There is no such assembly in this community."))
    before = {k: str(getattr(policy, k)) for k in params["changes"]}
    for key, value in params["changes"].items():
        setattr(policy, key, Decimal(value) if key in ("quorum", "supermajority") else value)
    policy.save()
    audit_record(
        community=community,
        actor=None,
        action="policy.change",
        target=policy.assembly,
        summary=policy.assembly.name,
        data={"before": before, "after": {k: str(v) for k, v in params["changes"].items()}},
        decision_ref=decision.ref,
    )
    return actions.result(
        gettext_lazy("The policy of %(a)s is changed."), a=names.assembly_name_value(policy.assembly.name)
    )
