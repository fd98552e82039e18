"""The guided set-up of a new community: one plan, made real in one transaction.

It lives in ``ops`` (the wiring layer) because it puts several apps to work at once — the
community, its first coordinator (members), its working groups (groups), the general assembly's
policy (assemblies) and its currencies (ledger) — and only a layer above them all may call them.
It calls their services and never writes their tables itself.

The pages (``ops/views.py``) collect the plan step by step; ``community_set_up`` creates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies.models import Assembly
from dualpower.assemblies.selectors import assemblies_for
from dualpower.assemblies.services.assemblies import AssemblyPolicy, assembly_create
from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record, community_create
from dualpower.errors import InvalidInput
from dualpower.groups import selectors as groups_selectors
from dualpower.groups.services import TEMPLATES, working_group_create
from dualpower.ledger.models import Currency
from dualpower.ledger.selectors import currencies_of
from dualpower.ledger.services.currencies import currency_create
from dualpower.members.models import User
from dualpower.members.services import coordinator_appoint

PLACE_MAX = 120


@dataclass(frozen=True)
class Preset:
    """A ready-made policy for the general assembly, named in plain words."""

    key: str
    label: Promise
    description: Promise
    policy: AssemblyPolicy


PRESETS: tuple[Preset, ...] = (
    Preset(
        "consent",
        gettext_lazy("Consent"),
        gettext_lazy(
            "A proposal passes unless someone objects with a reason; objections improve it. "
            "Quick and safe for most decisions."
        ),
        {"default_process": "consent", "quorum": Decimal("0")},
    ),
    Preset(
        "majority_quorum",
        gettext_lazy("Majority with a quorum"),
        gettext_lazy(
            "A proposal passes with more votes for than against, if at least a quarter of the members vote."
        ),
        {"default_process": "majority", "quorum": Decimal("0.25")},
    ),
    Preset(
        "consensus_fallback",
        gettext_lazy("Consensus, then a two-thirds vote"),
        gettext_lazy(
            "Everyone agrees or stands aside; if someone blocks, two thirds of the votes cast can "
            "still decide, so one person cannot stop everything."
        ),
        {
            "default_process": "modified_consensus",
            "quorum": Decimal("0.25"),
            "supermajority": Decimal("0.6667"),
        },
    ),
    Preset(
        "supermajority",
        gettext_lazy("Two-thirds majority"),
        gettext_lazy(
            "A proposal passes when two thirds of the votes cast are for it, if at least a third of "
            "the members vote. For communities that want weighty decisions to be broadly carried."
        ),
        {"default_process": "supermajority", "quorum": Decimal("0.3333"), "supermajority": Decimal("0.6667")},
    ),
    Preset(
        "consensus",
        gettext_lazy("Full consensus"),
        gettext_lazy(
            "Everyone agrees or stands aside; a single block stops the proposal. Best for small groups."
        ),
        {"default_process": "consensus", "quorum": Decimal("0")},
    ),
)
PRESETS_BY_KEY = {p.key: p for p in PRESETS}


def preset_get(key: str) -> Preset:
    if key not in PRESETS_BY_KEY:
        raise InvalidInput(_("Choose one of the ways of deciding."), field="preset")
    return PRESETS_BY_KEY[key]


def preset_of(assembly: Assembly) -> Preset | None:
    """The preset an assembly's policy still matches (None once the assembly has changed it)."""
    policy = assembly.policy
    for preset in PRESETS:
        if all(getattr(policy, name) == value for name, value in preset.policy.items()):
            return preset
    return None


def group_templates() -> list[tuple[str, str, str]]:
    """The starter working groups to choose from: (key, name, purpose) in the active language."""
    return [(key, _(name), _(purpose)) for key, name, purpose in TEMPLATES]


@dataclass(frozen=True)
class CurrencyPlan:
    name: str
    symbol: str = ""
    # The credit each new member gets, in the currency's smallest unit (cents; minutes for hours).
    credit: int = 0


@dataclass(frozen=True)
class SetupPlan:
    """Everything the steps collected, already read from what was typed."""

    name: str
    display_name: str
    slug: str = ""
    place: str = ""
    description: str = ""
    admission: str = Community.Admission.COORDINATORS
    questions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    groups: tuple[str, ...] = ()  # keys of the group templates
    other_groups: tuple[str, ...] = ()
    preset: str = "consent"
    money: CurrencyPlan | None = None
    time_bank: CurrencyPlan | None = None


def _description(plan: SetupPlan) -> str:
    place = clean_text(plan.place, field="place", label=_("Where you are"), limit=PLACE_MAX)
    if not place:
        return plan.description
    where = _("Where: %(place)s") % {"place": place}
    return f"{where}\n\n{plan.description}".strip()


@transaction.atomic
def community_set_up(*, plan: SetupPlan, by: User) -> Community:
    """Create the community of ``plan`` with ``by`` as its first coordinator, its chosen working
    groups, its general assembly deciding by the chosen preset, and its currency and time bank.
    All or nothing: an error in any part undoes the whole."""
    preset = preset_get(plan.preset)
    community = community_create(
        name=plan.name,
        slug=plan.slug,
        description=_description(plan),
        languages=plan.languages,
        admission=plan.admission,
        application_questions=plan.questions,
        with_group_templates=False,
    )
    display_name = clean_text(
        plan.display_name,
        field="display_name",
        label=_("Your name in this community"),
        limit=80,
        required=True,
    )
    coordinator = coordinator_appoint(user=by, community=community, display_name=display_name)
    templates = {key: (name, purpose) for key, name, purpose in group_templates()}
    for key in plan.groups:
        if key not in templates:
            raise InvalidInput(_("Choose working groups from the list."), field="groups")
        name, purpose = templates[key]
        working_group_create(community=community, name=name, purpose=purpose, by=coordinator)
    for name in plan.other_groups:
        working_group_create(community=community, name=name, by=coordinator)
    assembly_create(
        community=community,
        name=_("General assembly"),
        slug="general",
        kind=Assembly.Kind.GENERAL,
        description=str(preset.description),
        actor=coordinator,
        policy=preset.policy,
    )
    if plan.money is not None:
        currency_create(
            community=community,
            name=plan.money.name,
            kind=Currency.Kind.MUTUAL_CREDIT,
            symbol=plan.money.symbol,
            by=coordinator,
            default_lower_limit=-plan.money.credit,
        )
    if plan.time_bank is not None:
        currency_create(
            community=community,
            name=plan.time_bank.name,
            kind=Currency.Kind.TIME_BANK,
            by=coordinator,
            default_lower_limit=-plan.time_bank.credit,
        )
    audit_record(
        community=community,
        actor=coordinator,
        action="community.set_up",
        target=community,
        summary=community.name,
        data={
            "preset": preset.key,
            "groups": list(plan.groups) + list(plan.other_groups),
            "money": plan.money is not None,
            "time_bank": plan.time_bank is not None,
        },
    )
    return community


@dataclass(frozen=True)
class SetupSummary:
    """How a community is set up, for its dashboard: groups, how it decides, its currencies."""

    groups: list[Any]
    assembly: Assembly | None
    preset: Preset | None
    currencies: list[Currency]


def setup_summary(*, community: Community) -> SetupSummary:
    general = (
        assemblies_for(community=community)
        .filter(kind=Assembly.Kind.GENERAL)
        .select_related("policy")
        .order_by("id")
        .first()
    )
    return SetupSummary(
        groups=list(groups_selectors.groups_of(community=community)[:12]),
        assembly=general,
        preset=preset_of(general) if general is not None else None,
        currencies=list(currencies_of(community=community, include_inactive=False)),
    )
