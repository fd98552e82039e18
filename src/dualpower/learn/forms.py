"""The forms of the learn app's pages. Pickers by name, never ids typed by people."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dualpower.learn.models.learning import PLACE_MAX, TEXT_MAX, TITLE_MAX, URL_MAX, Kind, Reciprocity
from dualpower.learn.models.library import (
    MAX_LOAN_DAYS,
    MAX_READY_DAYS,
    MAX_RENEWALS,
    Category,
    Condition,
)
from dualpower.web.fields import MONEY_HELP, MoneyField


def _choices(rows: Any, label: str = "name") -> list[tuple[str, str]]:
    return [("", "—"), *((str(row.pk), str(getattr(row, label))) for row in rows)]


class ThingForm(forms.Form):
    title = forms.CharField(label=_("What it is"), max_length=TITLE_MAX)
    category = forms.ChoiceField(label=_("Kind"), choices=Category.choices, initial=Category.TOOLS)
    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices, initial=Condition.GOOD)
    description = forms.CharField(
        label=_("Description"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    pickup = forms.CharField(
        label=_("Where to pick it up"),
        max_length=PLACE_MAX,
        required=False,
        help_text=_("A known place or a neighbourhood, never a home address."),
    )
    photo = forms.FileField(label=_("Photo"), required=False, help_text=_("JPEG, PNG or WebP, up to 5 MB."))
    deposit = MoneyField(label=_("Deposit"), required=False, help_text=MONEY_HELP)
    deposit_currency = forms.ChoiceField(label=_("Deposit in"), required=False)
    trust_role = forms.ChoiceField(
        label=_("Lent only to members trusted as"),
        required=False,
        help_text=_("For valuable things: members vouch for each other for this role."),
    )
    loan_days = forms.IntegerField(
        label=_("Days a loan lasts"), min_value=1, max_value=MAX_LOAN_DAYS, initial=14
    )
    max_renewals = forms.IntegerField(
        label=_("Renewals allowed"), min_value=0, max_value=MAX_RENEWALS, initial=2
    )
    ready_days = forms.IntegerField(
        label=_("Days a ready hold waits"), min_value=1, max_value=MAX_READY_DAYS, initial=3
    )
    for_library = forms.BooleanField(
        label=_("It belongs to the community's library (not to me)"), required=False
    )

    def __init__(
        self, *args: Any, currencies: Any = (), roles: Any = (), keeper: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deposit_currency"].choices = _choices(currencies)  # type: ignore[attr-defined]
        self.fields["trust_role"].choices = _choices(roles)  # type: ignore[attr-defined]
        if not keeper:
            del self.fields["for_library"]


class ReturnForm(forms.Form):
    condition = forms.ChoiceField(label=_("Condition on return"), choices=Condition.choices)


class PauseForm(forms.Form):
    until = forms.DateField(
        label=_("Pause my hold until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("You keep your place; others go first until then. Leave empty to resume."),
    )


class KeepersForm(forms.Form):
    keepers = forms.ChoiceField(label=_("Working group keeping the library"), required=False)

    def __init__(self, *args: Any, groups: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keepers"].choices = _choices(groups, "name_shown")  # type: ignore[attr-defined]


class OfferingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("What it is about"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    place = forms.CharField(label=_("Place"), max_length=PLACE_MAX, required=False)
    accessibility = forms.CharField(
        label=_("Accessibility"),
        max_length=300,
        required=False,
        help_text=_("Step-free access, interpretation, childcare, a quiet room…"),
    )
    reciprocity = forms.ChoiceField(
        label=_("In return"), choices=Reciprocity.choices, widget=forms.RadioSelect, initial=Reciprocity.FREE
    )
    hours = forms.CharField(
        label=_("Time-bank hours asked"), required=False, max_length=10, help_text=_("For example 1:30 or 2.")
    )
    asks = forms.CharField(label=_("What the facilitator asks in return"), max_length=300, required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, initial=12)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Session"), max_length=TITLE_MAX)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Place"), max_length=PLACE_MAX, required=False)
    facilitator = forms.ChoiceField(
        label=_("Facilitated by"), required=False, help_text=_("In a study circle, it rotates.")
    )

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].choices = _choices(people, "display_name")  # type: ignore[attr-defined]


class ReadingForm(forms.Form):
    title = forms.CharField(label=_("Reading"), max_length=TITLE_MAX)
    url = forms.CharField(label=_("Link"), max_length=URL_MAX, required=False)
    file = forms.FileField(label=_("Or a PDF"), required=False)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes from the session"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class RoleLinkForm(forms.Form):
    role = forms.ChoiceField(label=_("Completing it proposes the trust role"), required=False)

    def __init__(self, *args: Any, roles: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _choices(roles)  # type: ignore[attr-defined]


class CompletionChoiceForm(forms.Form):
    shown_to_members = forms.BooleanField(label=_("Show my completion to other members"), required=False)
    asks_vouches = forms.BooleanField(label=_("Ask the role's holders to vouch for me"), required=False)
