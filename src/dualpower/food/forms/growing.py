"""Forms for the gardens' pages: they parse; the services decide (quantities are read as text by
the services, in the active language)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from dualpower.food.forms.common import DATE, offer
from dualpower.food.models.growing import FoodSeries, Log, Planting, Unit

QUANTITY = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 8})


def _quantity(label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = "") -> forms.CharField:
    """A quantity or an area, typed as text: the services read it in the active language."""
    return forms.CharField(
        label=label, max_length=20, required=required, widget=QUANTITY, help_text=help_text
    )


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    place = forms.CharField(
        label=_("Place"), max_length=120, required=False, help_text=_("A neighbourhood or a known place.")
    )
    parcel = forms.TypedChoiceField(
        label=_("Land trust parcel"), coerce=int, required=False, empty_value=None
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, parcels: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["parcel"], [("", _("Not on the trust's land")), *[(p.pk, p.name) for p in parcels]])


class PlotForm(forms.Form):
    site = forms.TypedChoiceField(label=_("Site"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=120)
    area_m2 = _quantity(_("Area (m²)"))
    season = forms.CharField(label=_("Season"), max_length=40, required=False)
    steward = forms.TypedChoiceField(label=_("Steward"), coerce=int, required=False, empty_value=None)
    gardeners = forms.TypedMultipleChoiceField(
        label=_("Gardeners"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, sites: list[Any], members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(m.pk, m.display_name) for m in members]
        offer(self.fields["site"], [(s.pk, s.name) for s in sites])
        offer(self.fields["steward"], [("", _("Nobody yet")), *people])
        offer(self.fields["gardeners"], people)


class GardenersForm(forms.Form):
    steward = forms.TypedChoiceField(label=_("Steward"), coerce=int, required=False, empty_value=None)
    gardeners = forms.TypedMultipleChoiceField(
        label=_("Gardeners"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = [(m.pk, m.display_name) for m in members]
        offer(self.fields["steward"], [("", _("Nobody yet")), *people])
        offer(self.fields["gardeners"], people)


class CropEditForm(forms.Form):
    """A crop's name, family, days to maturity and unit (its numbers have a page of their own)."""

    name = forms.CharField(label=_("Name"), max_length=80)
    family = forms.CharField(
        label=_("Family"), max_length=80, required=False, help_text=_("For rotation: nightshades, brassicas…")
    )
    days_to_maturity = forms.IntegerField(label=_("Days to maturity"), min_value=1, max_value=1000)
    unit = forms.ChoiceField(label=_("Counted in"), choices=Unit.choices)


class CropForm(CropEditForm):
    yield_per_m2 = _quantity(
        _("Yield per m²"),
        required=False,
        help_text=_("In the crop's unit. Leave empty if you do not know yet: past harvests will teach it."),
    )


class CropNumbersForm(forms.Form):
    yield_per_m2 = _quantity(_("Yield per m²"), required=False)
    weekly_need = _quantity(
        _("Weekly need (pantry and food aid)"),
        required=False,
        help_text=_(
            "What the pantry and food aid use of this crop in a week, beyond what is counted: open "
            "food requests, the shares and the pantry's stock-outs are added on top."
        ),
    )
    household_portion = _quantity(
        _("Portion for a household asking for food"),
        required=False,
        help_text=_("How much of this crop one open food request is given a week."),
    )


class PlantingEditForm(forms.Form):
    """When a planting is sown, on how much of its plot, over how many weeks it is picked."""

    seeding_date = forms.DateField(label=_("Seeding date"), widget=DATE)
    area_m2 = _quantity(_("Area (m²)"), required=False, help_text=_("Empty: the whole plot."))
    harvest_weeks = forms.IntegerField(label=_("Weeks of harvest"), min_value=1, max_value=52, initial=1)


class PlantingForm(PlantingEditForm):
    plot = forms.TypedChoiceField(label=_("Plot"), coerce=int)
    crop = forms.TypedChoiceField(label=_("Crop"), coerce=int)
    field_order = ["plot", "crop", "seeding_date", "area_m2", "harvest_weeks"]

    def __init__(self, *args: Any, plots: list[Any], crops: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["plot"], [(p.pk, f"{p.site.name} · {p.name}") for p in plots])
        offer(self.fields["crop"], [(c.pk, c.name) for c in crops])


class PlantingStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Planting.Status.choices)


class HarvestForm(forms.Form):
    """The one-tap harvest: only the quantity is asked; the crop's unit is shown beside it."""

    quantity = _quantity(_("How much"))


class LogForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(k, v) for k, v in Log.Kind.choices if k != Log.Kind.RESCUE]
    )
    status = forms.ChoiceField(label=_("Status"), choices=Log.Status.choices, initial=Log.Status.DONE)
    planting = forms.TypedChoiceField(label=_("Planting"), coerce=int, required=False, empty_value=None)
    quantity = _quantity(_("Quantity"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=[("", "—"), *Unit.choices], required=False)
    lot = forms.CharField(label=_("Lot"), max_length=60, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, plantings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(
            self.fields["planting"],
            [("", _("None"))] + [(p.pk, f"{p.crop.name} · {p.plot.name}") for p in plantings],
        )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("farmOS CSV file of logs"))


class SeriesForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=FoodSeries.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=120)
    site = forms.TypedChoiceField(label=_("Site"), coerce=int, required=False, empty_value=None)
    source = forms.CharField(
        label=_("Rescued from"),
        max_length=120,
        required=False,
        help_text=_("For a rescue pickup: the shop or market the food comes from."),
    )
    starts_on = forms.DateField(label=_("First date"), widget=DATE)
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    weekly = forms.BooleanField(label=_("Every week on this day"), required=False)
    places = forms.IntegerField(label=_("People needed"), min_value=1, max_value=50, initial=3)

    def __init__(self, *args: Any, sites: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["site"], [("", _("No site"))] + [(s.pk, s.name) for s in sites])


class RescueForm(forms.Form):
    quantity = _quantity(_("Weight saved (kg)"))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000)


class SeedLotForm(forms.Form):
    variety = forms.CharField(label=_("Variety"), max_length=120)
    crop = forms.TypedChoiceField(label=_("Crop"), coerce=int, required=False, empty_value=None)
    saved_from = forms.CharField(label=_("Saved from"), max_length=200, required=False)
    saved_on = forms.DateField(label=_("Saved on"), required=False, widget=DATE)
    germination_rate = forms.IntegerField(
        label=_("Germination rate (%)"), min_value=0, max_value=100, required=False
    )
    quantity = _quantity(_("Quantity"))
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.G)

    def __init__(self, *args: Any, crops: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer(self.fields["crop"], [("", _("None"))] + [(c.pk, c.name) for c in crops])


class SeedReturnForm(forms.Form):
    quantity = _quantity(_("Seed brought back"))
    germination_rate = forms.IntegerField(
        label=_("Germination rate (%)"), min_value=0, max_value=100, required=False
    )
    saved_from = forms.CharField(label=_("Saved from"), max_length=200, required=False)


# --- changing what the gardens keep --------------------------------------------------------------


class PlotEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    area_m2 = _quantity(_("Area (m²)"))
    season = forms.CharField(label=_("Season"), max_length=40, required=False)


class SeedLotEditForm(SeedLotForm):
    """A lot's record, corrected: its unit stays (loans were counted in it)."""

    def __init__(self, *args: Any, crops: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, crops=crops, **kwargs)
        del self.fields["unit"]
