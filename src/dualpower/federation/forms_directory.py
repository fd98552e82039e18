"""The directory profile's form (the page under the Network page, views/directory.py)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dualpower.clean import clean_amount
from dualpower.errors import DomainError
from dualpower.federation.models import REGION_MAX

DEGREE_DECIMALS = 6  # what people paste from a map; rounded to one decimal when saved


def _degrees(value: str, *, field: str, label: str, bound: int) -> Decimal | None:
    if not value.strip():
        return None
    try:
        units = clean_amount(
            value,
            field=field,
            label=label,
            decimals=DEGREE_DECIMALS,
            allow_negative=True,
            limit=bound * 10**6,
        )
    except DomainError as error:
        raise forms.ValidationError(str(error.detail)) from None
    return (Decimal(units) / 10**DEGREE_DECIMALS).quantize(Decimal("0.1"))


class DirectoryProfileForm(forms.Form):
    listed = forms.BooleanField(
        label=_("List this community in the network's directory"),
        help_text=_(
            "Listed, the profile below goes to the communities that follow or peer with this one, "
            "with its working groups, co-ops, peers and member communities. Not listed, they see "
            "only its name."
        ),
        required=False,
    )
    region = forms.CharField(
        label=_("Region"),
        help_text=_(
            "A town or region and its country, like “Jackson, Mississippi, US”. Never a street address."
        ),
        max_length=REGION_MAX,
        required=False,
    )
    latitude = forms.CharField(
        label=_("Latitude on the map (optional)"),
        help_text=_(
            "Like 32.3. Rounded to one decimal (about 11 km) when saved, so that the map shows the "
            "town and never a house or a meeting place."
        ),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = forms.CharField(
        label=_("Longitude on the map (optional)"),
        help_text=_("Like -90.2: west of Greenwich is negative."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the community works in"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_latitude(self) -> Decimal | None:
        return _degrees(
            self.cleaned_data["latitude"], field="latitude", label=str(_("The latitude")), bound=90
        )

    def clean_longitude(self) -> Decimal | None:
        return _degrees(
            self.cleaned_data["longitude"], field="longitude", label=str(_("The longitude")), bound=180
        )
