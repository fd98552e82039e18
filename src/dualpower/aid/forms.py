"""Forms for the aid pages: they parse; the services decide (and refuse with a sentence)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.aid.models import AidOffer, AidRequest, Privacy, Urgency

DAYS = (
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
)
PRIVATE_HELP = _(
    "Private: encrypted, shown only to dispatchers and, once both sides confirm, the matched volunteer."
)


def _commas(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class RequestForm(forms.Form):
    category = forms.ChoiceField(label=_("What kind of help"))
    description = forms.CharField(
        label=_("What is needed"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown in the listing: no names, addresses or health details here."),
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL
    )
    quantity = forms.IntegerField(label=_("How many"), min_value=1, initial=1)
    unit = forms.CharField(label=_("Of what (e.g. food boxes, lifts)"), max_length=40, required=False)
    window_start = forms.DateTimeField(
        label=_("Needed from"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    window_end = forms.DateTimeField(
        label=_("Needed until"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    languages = forms.CharField(
        label=_("Languages (comma-separated)"),
        max_length=300,
        required=False,
        help_text=_("e.g. Spanish, English"),
    )
    neighbourhood = forms.CharField(
        label=_("Neighbourhood or cross streets"),
        max_length=80,
        help_text=_("Never the exact address: that goes in the private details below."),
    )
    privacy = forms.ChoiceField(
        label=_("Who can see this request"), choices=Privacy.choices, initial=Privacy.MEMBERS
    )
    contact = forms.CharField(
        label=_("Contact details"), max_length=1000, required=False, help_text=PRIVATE_HELP
    )
    address = forms.CharField(
        label=_("Exact address"), max_length=1000, required=False, help_text=PRIVATE_HELP
    )
    health = forms.CharField(
        label=_("Health notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    immigration = forms.CharField(
        label=_("Immigration notes"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    safety = forms.CharField(
        label=_("Safety notes"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    PRIVATE: tuple[str, ...] = ("contact", "address", "health", "immigration", "safety")

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = categories

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        details = {key: data.pop(key) for key in [*self.PRIVATE, "name"] if key in data}
        data["languages"] = _commas(data["languages"])
        data["details"] = details
        return data


class IntakeForm(RequestForm):
    name = forms.CharField(
        label=_("Their name (or how they want to be called)"),
        max_length=200,
        required=False,
        help_text=PRIVATE_HELP,
    )
    contact_channel = forms.ChoiceField(
        label=_("How to reach them"),
        choices=[c for c in AidRequest.Channel.choices if c[0] != AidRequest.Channel.ACCOUNT],
    )
    contact_language = forms.CharField(label=_("Language to contact them in"), max_length=40, required=False)
    PRIVATE = ("name", "contact", "address", "health", "immigration", "safety")

    field_order = ["name", "contact_channel", "contact", "contact_language"]

    def service_kwargs(self) -> dict[str, Any]:
        data = super().service_kwargs()
        return data


class OfferForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("What you can help with"), widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("What you offer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    kind = forms.ChoiceField(
        label=_("Kind of offer"), choices=AidOffer.Kind.choices, initial=AidOffer.Kind.ONE_OFF
    )
    capacity = forms.IntegerField(
        label=_("How many times"),
        min_value=1,
        required=False,
        initial=1,
        help_text=_("Leave empty if inexhaustible."),
    )
    period = forms.ChoiceField(
        label=_("Per (recurring offers)"), choices=[("", "—"), *AidOffer.Period.choices], required=False
    )
    skills = forms.CharField(label=_("Skills (comma-separated)"), max_length=300, required=False)
    languages = forms.CharField(
        label=_("Languages you speak (comma-separated)"), max_length=300, required=False
    )
    neighbourhood = forms.CharField(label=_("Your neighbourhood"), max_length=80)
    days = forms.TypedMultipleChoiceField(
        label=_("Days you are free"),
        choices=DAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    free_from = forms.TimeField(
        label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    free_until = forms.TimeField(
        label=_("Until"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    privacy = forms.ChoiceField(
        label=_("Who can see this offer"), choices=Privacy.choices, initial=Privacy.MEMBERS
    )

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["categories"]).choices = categories

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        days = data.pop("days") or []
        start, end = data.pop("free_from"), data.pop("free_until")
        begin = start.strftime("%H:%M") if start else "00:00"
        finish = end.strftime("%H:%M") if end else "24:00"
        data["availability"] = [[d, begin, finish] for d in days]
        data["skills"] = _commas(data["skills"])
        data["languages"] = _commas(data["languages"])
        if data["kind"] == AidOffer.Kind.INEXHAUSTIBLE:
            data.pop("capacity")
        return data


class FiltersForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Open")),
            ("active", _("Not closed")),
            ("", _("All")),
            *AidRequest.Status.choices,
        ],
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    neighbourhood = forms.CharField(label=_("Neighbourhood"), required=False, max_length=80)
    urgency = forms.ChoiceField(
        label=_("Urgency"), required=False, choices=[("", _("Any")), *Urgency.choices]
    )

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("Any")), *categories]
