"""Forms for the meeting pages: they parse; the services decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dualpower.meetings.services import (
    DEFAULT_AMEND_HOURS,
    MAX_AMEND_HOURS,
    NOTE_MAX,
    NOTES_MAX,
    PLACE_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
)
from dualpower.members.models import Membership

_WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _people(people: Iterable[Membership]) -> list[tuple[str, str | Promise]]:
    return [("", _("Nobody yet")), *[(str(m.pk), m.display_name) for m in people]]


class MeetingForm(forms.Form):
    assembly = forms.ChoiceField(label=_("Assembly"))
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=_WHEN)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=_WHEN)
    place = forms.CharField(label=_("Place"), max_length=PLACE_MAX, required=False)
    call_link = forms.CharField(
        label=_("Call link"),
        max_length=500,
        required=False,
        help_text=_("For people joining by phone or video."),
    )
    is_public = forms.BooleanField(
        label=_("Public: announce this meeting on the fediverse"),
        required=False,
        help_text=_(
            "Its title, time and place are published to the community's followers on Mastodon, "
            "Mobilizon and other servers. The call link, agenda and roles stay here."
        ),
    )
    facilitator = forms.ChoiceField(label=_("Facilitator"), required=False)
    note_taker = forms.ChoiceField(label=_("Note-taker"), required=False)
    timekeeper = forms.ChoiceField(label=_("Timekeeper"), required=False)

    def __init__(
        self,
        *args: Any,
        assemblies: list[tuple[str, str]] | None = None,
        people: Iterable[Membership] = (),
        assembly_fixed: bool = False,
        **kwargs: Any,
    ) -> None:
        """``assembly_fixed``: the assembly was chosen in a first step (the roles are its members);
        the form carries it as a hidden field and the page names it."""
        super().__init__(*args, **kwargs)
        if assemblies is None:
            del self.fields["assembly"]
        else:
            cast(forms.ChoiceField, self.fields["assembly"]).choices = assemblies
            if assembly_fixed:
                self.fields["assembly"].widget = forms.HiddenInput()
        choices = _people(people)
        for role in ("facilitator", "note_taker", "timekeeper"):
            cast(forms.ChoiceField, self.fields[role]).choices = choices
            self.fields[role].help_text = _("Suggested: whoever held this role least recently.")


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=TITLE_MAX)
    notes = forms.CharField(
        label=_("Notes"), max_length=NOTES_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    minutes_allotted = forms.IntegerField(
        label=_("Minutes allotted"), min_value=1, max_value=600, required=False
    )
    proposal = forms.TypedChoiceField(
        label=_("Proposal decided here"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, proposals: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["proposal"]).choices = [
            ("", _("None")),
            *[(p.pk, p.title) for p in proposals],
        ]


class AttendanceForm(forms.Form):
    member = forms.TypedChoiceField(label=_("Record as present"), coerce=int)

    def __init__(self, *args: Any, people: Iterable[Membership] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["member"]).choices = [(m.pk, m.display_name) for m in people]


class MinutesForm(forms.Form):
    summary = forms.CharField(
        label=_("General notes"),
        max_length=SUMMARY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    note = forms.CharField(label=_("What did you change, and why?"), max_length=NOTE_MAX, required=False)

    def __init__(self, *args: Any, items: Iterable[Any] = (), amending: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item_keys: list[tuple[Any, str, str]] = []
        for item in items:
            for part, label in (("notes", _("Discussion")), ("decisions", _("Decisions"))):
                name = f"item_{item.pk}_{part}"
                self.fields[name] = forms.CharField(
                    label=f"{item.title}: {label}",
                    required=False,
                    max_length=10000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            self.item_keys.append((item, f"item_{item.pk}_notes", f"item_{item.pk}_decisions"))
        self.fields["note"].required = amending
        # Keep the note last, after the items.
        self.order_fields([*[k for k in self.fields if k != "note"], "note"])

    def items_data(self) -> dict[str, dict[str, str]]:
        return {
            str(item.pk): {
                "notes": self.cleaned_data.get(notes, ""),
                "decisions": self.cleaned_data.get(decisions, ""),
            }
            for item, notes, decisions in self.item_keys
        }


class OpenMinutesForm(forms.Form):
    hours = forms.IntegerField(
        label=_("Hours for amendments"), min_value=1, max_value=MAX_AMEND_HOURS, initial=DEFAULT_AMEND_HOURS
    )


class TallyForm(forms.Form):
    present = forms.IntegerField(label=_("People present"), min_value=1)

    def __init__(self, *args: Any, positions: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.positions = list(positions)
        for key, label in self.positions:
            self.fields[f"count_{key}"] = forms.IntegerField(
                label=label, min_value=0, initial=0, required=False
            )

    def counts(self) -> dict[str, int]:
        return {key: self.cleaned_data.get(f"count_{key}") or 0 for key, _label in self.positions}
