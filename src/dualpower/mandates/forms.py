"""Forms for the delegates' pages: they parse; the services decide."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any, cast

from django import forms
from django.utils.timezone import make_aware
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies.models import Proposal
from dualpower.mandates.models import Mandate
from dualpower.mandates.services import NOTE_MAX


class MandateDraftForm(forms.Form):
    proposal = forms.TypedChoiceField(label=_("Proposal of the spokescouncil"), coerce=int)
    position = forms.ChoiceField(
        label=_("Our delegates should"), choices=Mandate.Position.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note to the delegates"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Reasons, or the conditions under which they may change their vote."),
    )
    expires_on = forms.DateField(
        label=_("The mandate expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a mandate that lasts until the vote closes."),
    )

    def __init__(self, *args: Any, proposals: list[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["proposal"]).choices = [
            (p.pk, f"{p.title} ({p.assembly.name})") for p in proposals
        ]

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        return make_aware(datetime.combine(day, time(23, 59))) if day else None
