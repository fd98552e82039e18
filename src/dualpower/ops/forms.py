"""The forms of the guided set-up, one a step, and how their answers become a ``SetupPlan``.

Each form reads what was typed (Django's fields, then ``dualpower.clean`` for amounts); ``plan_from``
puts the steps together. What a form cannot know (a name already taken) is the services' to say.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from dualpower.clean import clean_amount, clean_int
from dualpower.community.models import Community
from dualpower.community.selectors import community_find
from dualpower.community.services import QUESTION_MAX, QUESTIONS_MAX
from dualpower.errors import InvalidInput
from dualpower.ops.community_setup import PLACE_MAX, PRESETS, CurrencyPlan, SetupPlan, group_templates

MONEY_DECIMALS = 2


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class StepForm(forms.Form):
    """A step's form: ``check()`` raises an ``InvalidInput`` the form's fields cannot see."""

    def check(self) -> None:
        return None

    @staticmethod
    def hints() -> dict[str, str]:
        """A sentence under each choice of the step's list (choice value → sentence)."""
        return {}

    @classmethod
    def raw(cls, data: Any) -> dict[str, Any]:
        """What was typed in this step's fields, as typed (kept in the draft, even when wrong)."""
        kept: dict[str, Any] = {}
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                kept[name] = data.getlist(name)
            else:
                kept[name] = data.get(name, "")
        return kept

    @classmethod
    def initial_from(cls, kept: dict[str, Any]) -> dict[str, Any]:
        """The draft's values as the form's initial values (a ticked box was kept as "on")."""
        initial: dict[str, Any] = {}
        for name, field in cls.base_fields.items():
            if name not in kept:
                continue
            value = kept[name]
            initial[name] = (
                value in ("on", "true", "True", True) if isinstance(field, forms.BooleanField) else value
            )
        return initial


class PlaceForm(StepForm):
    name = forms.CharField(
        label=gettext_lazy("The community's name"),
        max_length=120,
        help_text=gettext_lazy("As people call it, e.g. “Riverside Mutual Aid”."),
    )
    place = forms.CharField(
        label=gettext_lazy("Where you are"),
        max_length=PLACE_MAX,
        required=False,
        help_text=gettext_lazy("A neighbourhood, town or area; never a home address."),
    )
    description = forms.CharField(
        label=gettext_lazy("What the community is for (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    display_name = forms.CharField(
        label=gettext_lazy("Your name in this community"),
        max_length=80,
        help_text=gettext_lazy("You become its first coordinator. A pseudonym is fine."),
    )
    admission = forms.ChoiceField(
        label=gettext_lazy("How people are admitted"),
        choices=Community.Admission.choices,
        initial=Community.Admission.COORDINATORS,
        widget=forms.RadioSelect,
    )
    questions = forms.CharField(
        label=gettext_lazy("Questions for people who apply (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One question a line, e.g. “Which neighbourhood do you live in?”"),
    )
    slug = forms.SlugField(
        label=gettext_lazy("Short name in its address (optional)"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Letters, digits and hyphens; made from the name when left empty."),
    )

    def check(self) -> None:
        from django.utils.text import slugify

        slug = slugify(self.cleaned_data["slug"] or self.cleaned_data["name"])[:60]
        if not slug:
            raise InvalidInput(_("Choose a short name made of letters or digits."), field="slug")
        if community_find(slug=slug) is not None:
            field = "slug" if self.cleaned_data["slug"] else "name"
            raise InvalidInput(
                _("A community with the short name “%(slug)s” already exists on this node: choose another.")
                % {"slug": slug},
                field=field,
            )
        questions = _lines(self.cleaned_data["questions"])
        if len(questions) > QUESTIONS_MAX or any(len(q) > QUESTION_MAX for q in questions):
            raise InvalidInput(
                _("Ask at most %(n)d questions, each shorter than %(chars)d characters.")
                % {"n": QUESTIONS_MAX, "chars": QUESTION_MAX},
                field="questions",
            )


class GroupsForm(StepForm):
    groups = forms.MultipleChoiceField(
        label=gettext_lazy("Working groups to start with"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("You can rename, add or close groups later."),
    )
    other_groups = forms.CharField(
        label=gettext_lazy("Other working groups (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One name a line, e.g. “Childcare”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        templates = group_templates()
        field = self.fields["groups"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(key, name) for key, name, _purpose in templates]
        if not self.is_bound and "groups" not in self.initial:
            self.initial["groups"] = [key for key, _name, _purpose in templates]

    @staticmethod
    def hints() -> dict[str, str]:
        return {key: purpose for key, _name, purpose in group_templates()}

    def check(self) -> None:
        others = _lines(self.cleaned_data["other_groups"])
        if any(len(name) > 120 for name in others):
            raise InvalidInput(_("A group's name has at most 120 characters."), field="other_groups")
        chosen = {name.lower() for key, name, _p in group_templates() if key in self.cleaned_data["groups"]}
        seen: set[str] = set()
        for name in others:
            if name.lower() in chosen or name.lower() in seen:
                raise InvalidInput(
                    _("The working group “%(name)s” is named twice.") % {"name": name}, field="other_groups"
                )
            seen.add(name.lower())


class DecisionsForm(StepForm):
    @staticmethod
    def hints() -> dict[str, str]:
        return {p.key: str(p.description) for p in PRESETS}

    preset = forms.ChoiceField(
        label=gettext_lazy("How the general assembly decides"),
        choices=[(p.key, p.label) for p in PRESETS],
        initial="consent",
        widget=forms.RadioSelect,
    )


class MoneyForm(StepForm):
    money = forms.BooleanField(
        label=gettext_lazy("Start a mutual-credit currency"), required=False, initial=True
    )
    money_name = forms.CharField(
        label=gettext_lazy("Its name"), max_length=80, required=False, initial=gettext_lazy("Roots")
    )
    money_symbol = forms.CharField(
        label=gettext_lazy("Its symbol (optional)"), max_length=12, required=False, initial="R"
    )
    money_credit = forms.CharField(
        label=gettext_lazy("Credit each new member gets"),
        required=False,
        initial="50",
        help_text=gettext_lazy("How far below zero a member may go; 0 means no credit."),
    )
    time_bank = forms.BooleanField(
        label=gettext_lazy("Start a time bank (hours)"), required=False, initial=True
    )
    time_bank_name = forms.CharField(
        label=gettext_lazy("Its name"), max_length=80, required=False, initial=gettext_lazy("Time bank")
    )
    time_bank_hours = forms.CharField(
        label=gettext_lazy("Hours of credit each new member gets"),
        required=False,
        initial="5",
        help_text=gettext_lazy("Members may give this many hours before they have received any."),
    )

    def check(self) -> None:
        self.plans()

    def plans(self) -> tuple[CurrencyPlan | None, CurrencyPlan | None]:
        data = self.cleaned_data
        money = time_bank = None
        if data["money"]:
            if not data["money_name"].strip():
                raise InvalidInput(_("Give the currency a name."), field="money_name")
            credit = clean_amount(
                data["money_credit"] or "0",
                field="money_credit",
                label=_("The credit for new members"),
                decimals=MONEY_DECIMALS,
            )
            money = CurrencyPlan(name=data["money_name"], symbol=data["money_symbol"], credit=credit)
        if data["time_bank"]:
            if not data["time_bank_name"].strip():
                raise InvalidInput(_("Give the time bank a name."), field="time_bank_name")
            hours = clean_int(
                data["time_bank_hours"] or "0",
                field="time_bank_hours",
                label=_("The hours of credit"),
                low=0,
                high=1000,
            )
            time_bank = CurrencyPlan(name=data["time_bank_name"], credit=hours * 60)
        return money, time_bank


def plan_from(place: PlaceForm, groups: GroupsForm, decisions: DecisionsForm, money: MoneyForm) -> SetupPlan:
    """The plan of four valid step forms."""
    p, g = place.cleaned_data, groups.cleaned_data
    currency, time_bank = money.plans()
    language = (get_language() or "en").split("-")[0]
    return SetupPlan(
        name=p["name"],
        display_name=p["display_name"],
        slug=p["slug"],
        place=p["place"],
        description=p["description"],
        admission=p["admission"],
        questions=tuple(_lines(p["questions"])),
        languages=(language,),
        groups=tuple(g["groups"]),
        other_groups=tuple(_lines(g["other_groups"])),
        preset=decisions.cleaned_data["preset"],
        money=currency,
        time_bank=time_bank,
    )
