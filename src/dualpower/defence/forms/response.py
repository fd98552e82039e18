"""Forms for rapid response and eviction defence: they parse; the services decide (and refuse with
a sentence). The report form is built to be filled in under a minute on a phone: two rows of big
choices, an optional sentence, an optional photo."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualpower.defence.models.response import CourtDate, EvictionCase, Incident
from dualpower.defence.services.response_incidents import FOLLOW_UPS
from dualpower.defence.services.response_rights import LANGUAGES
from dualpower.members.models import Membership

WHEN = (
    ("0", _("Now")),
    ("15", _("15 minutes ago")),
    ("30", _("30 minutes ago")),
    ("60", _("An hour ago")),
    ("180", _("Earlier today")),
)


def _area_choices(areas: list[str]) -> list[tuple[str, str]]:
    return [(a, a) for a in areas]


def _phone_field(label: Any, help_text: Any) -> forms.CharField:
    """A caller's phone number (optional): a phone keyboard, never remembered by the browser."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=help_text,
    )


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is happening"), choices=Incident.Kind.choices, widget=forms.RadioSelect
    )
    area = forms.ChoiceField(label=_("Where (area)"), widget=forms.RadioSelect)
    when = forms.ChoiceField(label=_("When"), choices=WHEN, initial="0")
    seen = forms.CharField(
        label=_("What did you see? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Vehicles, uniforms, how many. No names, no addresses. Sealed; erased when the incident closes."
        ),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("Seen only by the verifier, and deleted from the server when the report is verified."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    caller = _phone_field(
        _("The caller's number (hotline calls only, optional)"),
        _("Never stored: kept only as a keyed hash, so that a spam caller can be banned."),
    )

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = _area_choices(areas)  # type: ignore[attr-defined]

    def service_kwargs(self, now: dt.datetime) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "area": data["area"],
            "seen": data.get("seen") or "",
            "seen_at": now - dt.timedelta(minutes=int(data.get("when") or 0)),
            "photo": data.get("photo") or None,
            "caller": data.get("caller") or "",
            "now": now,
        }


class FollowUpForm(forms.Form):
    needs = forms.MultipleChoiceField(
        label=_("What the household needs"),
        choices=[(k, label) for k, (_cat, label) in FOLLOW_UPS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Each becomes a request to the mutual aid network. Choose none if no follow-up is needed."
        ),
    )
    household = forms.CharField(
        label=_("Household code"), max_length=20, required=False, help_text=_("A code, never a name.")
    )


class ProfileForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label=_("Areas you can reach when on call"), widget=forms.CheckboxSelectMultiple, required=False
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        help_text=_("Sealed; shown only to the coordinators of the rota."),
    )

    def __init__(self, *args: Any, areas: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = _area_choices(areas)  # type: ignore[attr-defined]


class SettingsForm(forms.Form):
    areas = forms.CharField(
        label=_("Area cells, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("Neighbourhood cells people choose from when they report: never addresses."),
    )
    group = forms.ChoiceField(
        label=_("Working group that keeps the eviction board and rights pages"), required=False
    )

    def __init__(self, *args: Any, groups: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("None"))] + [(str(pk), name) for pk, name in groups]  # type: ignore[attr-defined]


class CaseForm(forms.Form):
    household = forms.CharField(
        label=_("Household code"), max_length=20, help_text=_("A code, never a name.")
    )
    landlord = forms.CharField(label=_("Landlord"), max_length=120)
    case_worker = forms.ChoiceField(label=_("Case worker"), required=False)

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["case_worker"].choices = [("", _("Nobody yet"))] + [  # type: ignore[attr-defined]
            (str(m.pk), m.display_name) for m in members
        ]

    def case_worker_chosen(self) -> Membership | None:
        return self.members.get(str(self.cleaned_data.get("case_worker") or ""))


class CourtDateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CourtDate.Kind.choices)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Court or place"), max_length=120, required=False)
    vigil_places = forms.CharField(label=_("Vigil places"), initial="4", max_length=3)
    support_places = forms.CharField(label=_("Court support places"), initial="2", max_length=3)

    def at(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in CourtDate.Outcome.choices if c[0] != CourtDate.Outcome.PENDING],
    )


class CloseCaseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How it ended"),
        choices=[c for c in EvictionCase.Status.choices if c[0] != EvictionCase.Status.OPEN],
    )


class RightsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    language = forms.ChoiceField(label=_("Language"), choices=[(code, code) for code in LANGUAGES])
    body = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 14}))
    slug = forms.CharField(widget=forms.HiddenInput, required=False)


class BanForm(forms.Form):
    """Ban one reporter: a member, a caller's number, or whoever brought in a report (by its code)."""

    member = forms.ChoiceField(label=_("A member"), required=False)
    number = _phone_field(
        _("A caller's number"), _("Kept only as a keyed hash: the list never shows it again.")
    )
    code = forms.CharField(
        label=_("Or the code of a report they sent"),
        required=False,
        max_length=12,
        help_text=_("The verifier gives you the code; whoever filed or phoned in that report is banned."),
    )

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._members = {str(m.pk): m for m in members}
        self.fields["member"].choices = [  # type: ignore[attr-defined]
            ("", _("(nobody)")),
            *[(str(m.pk), m.display_name) for m in members],
        ]

    def member_chosen(self) -> Membership | None:
        return self._members.get(str(self.cleaned_data.get("member") or ""))


class ShareForm(forms.Form):
    language = forms.ChoiceField(choices=[(code, code) for code in LANGUAGES], widget=forms.HiddenInput)
    shared = forms.BooleanField(required=False, widget=forms.HiddenInput)
