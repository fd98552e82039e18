"""Forms for the budgeting pages: they parse (money typed as "1,500.50" becomes 150050 cents, read
in the reader's language); the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dualpower.budgeting.models import BallotType, Eligibility, Proposal, Rule
from dualpower.clean import clean_amount
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.groups.models import WorkingGroup
from dualpower.groups.selectors import groups_of


class MoneyField(forms.Field):
    """An amount typed in the currency ("1500", "1,500.50"), cleaned to whole cents."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "20"})

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return clean_amount(text, field="amount", label=str(self.label or _("The amount")))
        except InvalidInput as exc:
            raise ValidationError(exc.detail) from None


class CycleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("What this budget is for"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    budget = MoneyField(
        label=_("Budget (city-wide pot)"),
        help_text=_("Districts, if any, get their own budgets on top of this."),
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="EUR")
    districts = forms.CharField(
        label=_("Districts (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name, budget. For example: North, 20000"),
    )
    categories = forms.CharField(
        label=_("Categories (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            # xgettext:no-python-format
            "One per line: name, at most this % of the budget (or leave the % out). For example: Sport, 30"
        ),
    )
    rule = forms.ChoiceField(
        label=_("Counting rule"),
        choices=Rule.choices,
        initial=Rule.MES,
        help_text=_("Equal Shares gives every group of voters its fair share of the budget."),
    )
    tie_break_seed = forms.IntegerField(
        label=_("Tie-break seed"),
        min_value=0,
        initial=0,
        help_text=_("Published before the vote; it decides exact ties."),
    )
    count_is_binding = forms.BooleanField(
        label=_("The count itself is binding (no assembly decision needed)"), required=False
    )
    ballot_type = forms.ChoiceField(
        label=_("Ballot"), choices=BallotType.choices, initial=BallotType.APPROVAL
    )
    min_choices = forms.IntegerField(label=_("Fewest projects on a ballot"), min_value=0, initial=1)
    max_choices = forms.IntegerField(
        label=_("Most projects on a ballot"),
        min_value=1,
        required=False,
        help_text=_("For ranked ballots: how many to rank (top K)."),
    )
    max_total_cost = MoneyField(
        label=_("Most a ballot's projects may cost together (approval)"), required=False
    )
    points = forms.IntegerField(label=_("Points to spread (cumulative)"), min_value=1, initial=10)
    eligibility = forms.ChoiceField(
        label=_("Who may vote"), choices=Eligibility.choices, initial=Eligibility.MEMBERS
    )
    allow_other_district = forms.BooleanField(
        label=_("Voters may also vote in one other district"), required=False
    )
    working_group: forms.ModelChoiceField[WorkingGroup] = forms.ModelChoiceField(
        label=_("Working group (feasibility review, paper ballots, tracking)"),
        queryset=None,  # the community's groups, set by __init__
        required=False,
    )
    development_from = forms.DateTimeField(
        label=_("Proposal development starts"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    feasibility_from = forms.DateTimeField(
        label=_("Feasibility review starts"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    voting_from = forms.DateTimeField(
        label=_("Voting opens"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    voting_until = forms.DateTimeField(
        label=_("Voting closes"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    implementation_from = forms.DateTimeField(
        label=_("Implementation starts"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[WorkingGroup]", self.fields["working_group"]).queryset = groups_of(
            community=community
        )

    def _pairs(self, name: str, money: bool) -> list[tuple[str, Any]]:
        out = []
        for number, line in enumerate(self.cleaned_data.get(name, "").splitlines(), start=1):
            if not line.strip():
                continue
            label, _sep, value = line.rpartition(",") if "," in line else (line, "", "")
            label, value = label.strip(), value.strip()
            if money:
                try:
                    out.append((label, MoneyField().to_python(value)))
                except ValidationError:
                    raise ValidationError(
                        _("Line %(n)d: write a name, then a comma and an amount.") % {"n": number}
                    ) from None
                if out[-1][1] is None:
                    raise ValidationError(
                        _("Line %(n)d: write a name, then a comma and an amount.") % {"n": number}
                    )
            else:
                if value and not value.isdigit():
                    raise ValidationError(_("Line %(n)d: the limit is a whole percentage.") % {"n": number})
                out.append((label, int(value) if value else None))
        return out

    def clean_districts(self) -> list[tuple[str, Any]]:
        return self._pairs("districts", money=True)

    def clean_categories(self) -> list[tuple[str, Any]]:
        return self._pairs("categories", money=False)


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Your idea, in a few words"), max_length=200)
    description = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    district = forms.ChoiceField(label=_("Where"), required=False)

    def __init__(self, *args: Any, districts: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["district"]).choices = [
            ("", _("The whole community")),
            *[(d.pk, d.name) for d in districts or []],
        ]
        if not districts:
            del self.fields["district"]


class ProposalForm(IdeaForm):
    cost = MoneyField(label=_("Estimated cost"), required=False)
    latitude = forms.DecimalField(
        label=_("Latitude (optional, for the map)"), required=False, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional, for the map)"), required=False, max_digits=10, decimal_places=6
    )

    def __init__(self, *args: Any, ideas: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].label = _("Title")
        self.fields["description"].label = _("Description")
        if ideas:
            self.fields["ideas"] = forms.MultipleChoiceField(
                label=_("Ideas merged into this proposal"),
                required=False,
                choices=[(i.pk, i.title) for i in ideas],
                widget=forms.CheckboxSelectMultiple,
            )

    def coordinates(self) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for name in ("latitude", "longitude"):
            value = self.cleaned_data.get(name)
            out[f"{name}_e6"] = None if value is None else int(value * 1_000_000)
        return out


class FeasibilityForm(forms.Form):
    feasible = forms.TypedChoiceField(
        label=_("Verdict"),
        choices=[("1", _("Feasible")), ("0", _("Not feasible"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Public reason"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("pabulib .pb file"))
    rule = forms.ChoiceField(
        label=_("Count with"),
        required=False,
        choices=[("", _("The file's own rule (Equal Shares if it names none of ours)")), *Rule.choices],
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[])
    reason = forms.CharField(
        label=_("Why it was abandoned"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    spent = MoneyField(label=_("Money spent so far"), required=False)
    group: forms.ModelChoiceField[WorkingGroup] = forms.ModelChoiceField(
        label=_("Responsible working group"), queryset=None, required=False
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = Proposal.Status.choices
        cast("forms.ModelChoiceField[WorkingGroup]", self.fields["group"]).queryset = groups_of(
            community=community
        )


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(label=_("Photo (optional: JPEG, PNG or WebP, at most 5 MB)"), required=False)
