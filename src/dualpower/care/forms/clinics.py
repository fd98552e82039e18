"""Forms for clinic days, the referral directory, the warm line and crisis calls: they parse;
the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.care.models.clinics import CrisisCall, Referral, ScreeningCount, Station, WarmLineCall
from dualpower.care.services.clinics import SITE_MAX
from dualpower.care.services.clinics_directory import LIMITS
from dualpower.care.services.clinics_lines import AREA_MAX

STATION_KINDS = tuple(Station.Kind.values)
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ClinicDayForm(forms.Form):
    site = forms.CharField(label=_("Site"), max_length=SITE_MAX, help_text=_("Where the clinic is held."))
    day = forms.DateField(label=_("Date"), widget=_DATE)
    start_time = forms.TimeField(
        label=_("Opens at"), initial="09:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    nurses = forms.IntegerField(
        label=_("Places for nurses"), min_value=0, max_value=20, initial=0, required=False
    )
    medics = forms.IntegerField(
        label=_("Places for medics"), min_value=0, max_value=20, initial=0, required=False
    )
    interpreters = forms.IntegerField(
        label=_("Places for interpreters"), min_value=0, max_value=20, initial=0, required=False
    )
    peer_supporters = forms.IntegerField(
        label=_("Places for peer supporters"), min_value=0, max_value=20, initial=0, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One choice per station: its place in the day's order, or not this day. Without script,
        # a phone's select is the plainest way to say an order. Inserted after the time it opens.
        fields = list(self.fields.items())
        at = [name for name, _field in fields].index("start_time") + 1
        places = [("", _("Not this day"))] + [(str(n), str(n)) for n in range(1, len(STATION_KINDS) + 1)]
        stations = {
            f"station_{kind}": forms.TypedChoiceField(
                label=label,
                choices=places,
                coerce=int,
                empty_value=None,
                required=False,
                initial=str(n),
                help_text=_("Stations people pass, in this order (1 first).") if n == 1 else "",
            )
            for n, (kind, label) in enumerate(Station.Kind.choices, start=1)
        }
        self.fields = dict(fields[:at] + list(stations.items()) + fields[at:])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = {kind: data.get(f"station_{kind}") for kind in STATION_KINDS}
        order = sorted((n, kind) for kind, n in chosen.items() if n is not None)
        if not order:
            raise forms.ValidationError(_("Choose at least one station."))
        if len({n for n, _kind in order}) != len(order):
            raise forms.ValidationError(_("Give each station its own place in the order."))
        data["stations"] = [kind for _n, kind in order]
        return data

    def shifts(self) -> dict[str, int]:
        data = self.cleaned_data
        wanted = {
            "nurse": data.get("nurses"),
            "medic": data.get("medics"),
            "interpreter": data.get("interpreters"),
            "peer-supporter": data.get("peer_supporters"),
        }
        return {slug: n for slug, n in wanted.items() if n}


class ScreeningForm(forms.Form):
    kind = forms.ChoiceField(label=_("Screening"), choices=ScreeningCount.Kind.choices)
    positive = forms.BooleanField(label=_("Positive"), required=False)


class ReferralForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=LIMITS["name"])
    kind = forms.ChoiceField(label=_("Kind"), choices=Referral.Kind.choices)
    cost = forms.CharField(
        label=_("Cost"),
        max_length=LIMITS["cost"],
        required=False,
        help_text=_("Free, sliding scale, a fee..."),
    )
    languages = forms.CharField(label=_("Languages"), max_length=LIMITS["languages"], required=False)
    hours = forms.CharField(label=_("Opening hours"), max_length=LIMITS["hours"], required=False)
    accessibility = forms.CharField(
        label=_("Accessibility"),
        max_length=LIMITS["accessibility"],
        required=False,
        help_text=_("Step-free entrance, sign language, childcare..."),
    )
    contact = forms.CharField(label=_("How to reach them"), max_length=LIMITS["contact"], required=False)
    notes = forms.CharField(
        label=_("Notes"), max_length=LIMITS["notes"], required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CallForm(forms.Form):
    started_at = forms.DateTimeField(label=_("When the call started"), widget=_WHEN)
    duration_minutes = forms.IntegerField(label=_("How long (minutes)"), min_value=1, max_value=600)
    topic = forms.ChoiceField(label=_("Topic"), choices=WarmLineCall.Topic.choices)


class DispatchForm(forms.Form):
    situation = forms.ChoiceField(label=_("Situation"), choices=CrisisCall.Situation.choices)
    area = forms.CharField(
        label=_("Where (roughly)"),
        max_length=AREA_MAX,
        help_text=_("A corner, a block or a landmark: enough for the pair to find the person."),
    )


class CloseCallForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CrisisCall.Outcome.choices)
    follow_up = forms.BooleanField(
        label=_("The person wants a care circle for the follow-up"), required=False
    )
