"""Forms of food distribution: what people type is read by the services through dualpower.clean;
these forms only carry it (and build pickers of names, never ids to type)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.food.forms.common import DATE, offer

WEEKDAYS = (
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
)


class ComputeForm(forms.Form):
    week = forms.CharField(label=_("A day of the week to allocate"), widget=DATE)


class CycleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = forms.CharField(label=_("First week"), widget=DATE)
    ends_on = forms.CharField(label=_("Last week"), widget=DATE)
    currency = forms.TypedChoiceField(label=_("Paid in"), coerce=int, required=False, empty_value=None)
    budget = forms.CharField(
        label=_("Budget of the season"),
        required=False,
        help_text=_("What the pledges must reach, in the currency chosen (hours for a time bank)."),
    )

    def __init__(self, *args: Any, currencies: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["currency"], [("", _("Free: no payments")), *currencies])


class CycleEditForm(CycleForm):
    """A cycle's name, weeks and budget, changed: its currency stays (pledges were made in it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["currency"]


class PickupForm(forms.Form):
    name = forms.CharField(label=_("Pickup point"), max_length=120)
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"),
        coerce=int,
        choices=list(WEEKDAYS),
    )
    hours = forms.CharField(label=_("Hours"), max_length=40, required=False)


class BasketForm(forms.Form):
    crop = forms.TypedChoiceField(label=_("Crop"), coerce=int)
    quantity = forms.CharField(label=_("Quantity a week for a share of size 1"))

    def __init__(self, *args: Any, crops: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["crop"], list(crops))


class ShareForm(forms.Form):
    pickup_point = forms.TypedChoiceField(label=_("Pickup point"), coerce=int)
    size = forms.CharField(
        label=_("Size"), initial="1", help_text=_("1 for a household of two to four; 0.5, 2…")
    )
    free = forms.BooleanField(label=_("A free share (pledges nothing)"), required=False)

    def __init__(self, *args: Any, points: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["pickup_point"], list(points))


class PledgeForm(forms.Form):
    amount = forms.CharField(label=_("Your pledge for the season"))
