"""Forms for the inventory pages: they parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.inventory.services import (
    LOCATION_MAX,
    LOT_MAX,
    NAME_MAX,
    QUANTITY_MAX,
    REASON_MAX,
    UNIT_MAX,
    WARNING_DAYS_MAX,
)


class ItemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    unit = forms.CharField(
        label=_("Unit"), max_length=UNIT_MAX, help_text=_("What you count in: boxes, kg, kits...")
    )
    low_threshold = forms.IntegerField(
        label=_("Low-stock level"),
        min_value=0,
        max_value=QUANTITY_MAX,
        initial=0,
        help_text=_("When the stock falls to this or below, stock keepers are told."),
    )
    location = forms.CharField(label=_("Where it is kept"), max_length=LOCATION_MAX, required=False)
    expiry_warning_days = forms.IntegerField(
        label=_("Warn before a lot expires (days)"),
        min_value=0,
        max_value=WARNING_DAYS_MAX,
        initial=30,
        required=False,
        help_text=_(
            "For goods kept by lot (medicines, tests): stock keepers are told this many days before."
        ),
    )

    def clean_expiry_warning_days(self) -> int:
        value = self.cleaned_data.get("expiry_warning_days")
        return 30 if value is None else int(value)


class MovementForm(forms.Form):
    KINDS = [
        ("in", _("In: it arrived")),
        ("out", _("Out: it was given")),
        ("count", _("Count: set to what is on the shelf")),
    ]
    kind = forms.ChoiceField(label=_("What happened"), choices=KINDS, widget=forms.RadioSelect, initial="out")
    quantity = forms.IntegerField(label=_("How many (or the count)"), min_value=0, max_value=QUANTITY_MAX)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False)
    aid_request = forms.CharField(
        label=_("Aid request code (if it went to a request)"),
        max_length=12,
        required=False,
        # The page lists the open requests in a <datalist>: typing filters them, tapping picks one.
        widget=forms.TextInput(attrs={"list": "aid-requests-open", "autocomplete": "off"}),
        help_text=_("Start typing the code or what was needed, then pick the request."),
    )
    lot = forms.CharField(
        label=_("Lot number (medicines, tests, kits)"),
        max_length=LOT_MAX,
        required=False,
        widget=forms.TextInput(attrs={"list": "item-lots", "autocomplete": "off"}),
        help_text=_("For goods kept by lot: the number printed on the box."),
    )
    expires_on = forms.DateField(
        label=_("Expiry date (when a new lot comes in)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
