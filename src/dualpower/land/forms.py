"""Forms for the land trust pages: they parse; the services decide."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.core.economy import Criterion, Formula
from dualpower.land.models import GroundLease, Home
from dualpower.land.words import FORMULA_LABELS
from dualpower.members.models import Membership
from dualpower.web.fields import MONEY_HELP, MoneyField


class JSONField(forms.CharField):
    """A JSON value typed by a coordinator (a lease's formula parameters, the criteria)."""

    widget = forms.Textarea(attrs={"rows": 6, "spellcheck": "false"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("This is not valid JSON.")) from None


class ParcelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    address = forms.CharField(
        label=_("Address"), required=False, max_length=300, help_text=_("Only coordinators see it.")
    )
    acquired_on = forms.DateField(
        label=_("Acquired on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class HomeForm(forms.Form):
    parcel = forms.TypedChoiceField(label=_("Parcel"), coerce=int)
    label = forms.CharField(
        label=_("Label"), max_length=120, help_text=_("A public name, never the address.")
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=300,
        help_text=_("Only coordinators and the household holding the lease see it."),
    )
    # The same bounds as the service's, so the form says what is wrong beside the field.
    bedrooms = forms.IntegerField(label=_("Bedrooms"), min_value=0, max_value=50, initial=2)
    min_household = forms.IntegerField(
        label=_("Smallest household it houses"), min_value=1, max_value=100, initial=1
    )
    max_household = forms.IntegerField(
        label=_("Largest household it houses"), min_value=1, max_value=100, initial=4
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, parcels: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parcel"]
        assert isinstance(field, forms.ChoiceField)  # declared above; the choices come per request
        field.choices = [(p.pk, p.name) for p in parcels]


FORMULA_HELP = _(
    "The formula's parameters as JSON; amounts in cents, rates as text. Examples — appraisal_based: "
    '{"purchase_price": 15000000, "initial_appraisal": 20000000, "owner_share": "1/4"}; '
    'fixed_rate_simple: {"purchase_price": 15000000, "annual_rate": "0.02", "purchase_date": "2020-05-01"}; '
    'indexed: {"purchase_price": 15000000, "purchase_year": 2020, "index": {"2020": 100, "2025": "118.4"}}; '
    'itemized: {"purchase_price": 15000000, "purchase_date": "2020-05-01", "improvements": '
    '[{"description": "New roof", "cost": 800000, "completed": "2022-06-01", "useful_life_years": 20}]}.'
)


class LeaseForm(forms.Form):
    home = forms.TypedChoiceField(label=_("Home"), coerce=int)
    leaseholder = forms.TypedChoiceField(label=_("Leaseholder"), coerce=int)
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    term_years = forms.IntegerField(label=_("Term (years)"), min_value=1, initial=99)
    monthly_fee = MoneyField(label=_("Monthly ground lease fee"), help_text=MONEY_HELP)
    formula = forms.ChoiceField(
        label=_("Resale formula"), choices=[(f.value, FORMULA_LABELS.get(f.value, f.value)) for f in Formula]
    )
    formula_params = JSONField(label=_("Formula parameters"), help_text=FORMULA_HELP)

    def __init__(self, *args: Any, homes: list[Home], members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["home"]
        assert isinstance(field, forms.ChoiceField)  # declared above; the choices come per request
        field.choices = [(h.pk, h.label) for h in homes]
        field = self.fields["leaseholder"]
        assert isinstance(field, forms.ChoiceField)  # declared above; the choices come per request
        field.choices = [(m.pk, m.display_name) for m in members]


class LeaseEndForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How it ends"),
        choices=[
            (GroundLease.Status.ENDED, _("Ended (sold or moved)")),
            (GroundLease.Status.TERMINATED, _("Terminated")),
        ],
    )
    ended_on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))


class ResaleForm(forms.Form):
    """What only the day of sale can tell; which fields show depends on the lease's formula."""

    current_appraisal = MoneyField(
        label=_("Current appraised value"), min_cents=1, required=False, help_text=MONEY_HELP
    )
    resale_date = forms.DateField(
        label=_("Date of resale"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    resale_year = forms.IntegerField(
        label=_("Index year of resale"), min_value=1900, max_value=2200, required=False
    )

    def __init__(self, *args: Any, needed: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in needed:
                del self.fields[name]


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Stewardship note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ApplyForm(forms.Form):
    household_size = forms.IntegerField(label=_("People in your household"), min_value=1, max_value=50)

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fact_keys = []
        for criterion in criteria:
            if criterion.max_units == 1:
                field: forms.Field = forms.BooleanField(label=criterion.description, required=False)
            else:
                field = forms.IntegerField(label=criterion.description, min_value=0, initial=0)
            self.fields[f"fact_{criterion.key}"] = field
            self.fact_keys.append(criterion.key)

    def facts(self) -> dict[str, int]:
        return {key: int(self.cleaned_data[f"fact_{key}"] or 0) for key in self.fact_keys}


class AnnounceForm(forms.Form):
    seed = forms.CharField(
        label=_("Seed for the lottery"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for a random one. It is published now, before the draw."),
    )


class SettingsForm(forms.Form):
    coordinators_may_allocate = forms.BooleanField(
        label=_("Coordinators may adopt an allocation without a decision of the assembly"), required=False
    )
    criteria = JSONField(
        label=_("Published priority criteria"),
        help_text=_("A list of {key, description, points_per_unit, max_units}. years_waiting is computed."),
    )
