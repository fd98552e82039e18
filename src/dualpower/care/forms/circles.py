"""Forms of the care circle pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.care.models.circles import Circle, Helper, Need
from dualpower.care.services.circles import DETAILS_MAX, NOTE_MAX


class CircleForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it for?"), choices=Circle.Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("What the people you invite will see, e.g. “Meals while Ana recovers”."),
    )


class CircleForSomeoneForm(CircleForm):
    person_code = forms.CharField(
        label=_("Code of the person"),
        max_length=12,
        help_text=_("A short code that stands for them (their aid request's code, say): never their name."),
    )


def _member_field(label: Any, choices: list[tuple[int, str]]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, coerce=int, choices=[("", _("Choose a member")), *choices], empty_value=None
    )


class InviteForm(forms.Form):
    sees = forms.ChoiceField(
        label=_("They may see"),
        choices=Helper.Sees.choices,
        initial=Helper.Sees.SLOTS,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"membership": _member_field(_("Who"), members), **self.fields}


class HandOverForm(forms.Form):
    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"] = _member_field(_("Who runs the circle with you"), members)


class NeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Need.Kind.choices)
    starts_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    label = forms.CharField(
        label=_("Short description"),
        max_length=120,
        required=False,
        help_text=_("Seen by every helper of the circle, e.g. “Dinner for three, no nuts”."),
    )
    details = forms.CharField(
        label=_("Details for the helper who takes it"),
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An address, a door code: sealed, and shown only to the helper who takes this need."),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Private note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sealed; read by whoever runs the circle and the helpers allowed to read notes."),
    )


class PantryForm(forms.Form):
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=10_000, initial=1)

    def __init__(self, *args: Any, items: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "item": forms.TypedChoiceField(
                label=_("From the pantry"),
                coerce=int,
                choices=[("", _("Choose an item")), *items],
                empty_value=None,
            ),
            **self.fields,
        }


class AidForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"))
    description = forms.CharField(
        label=_("What the circle cannot cover"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    neighbourhood = forms.CharField(
        label=_("Neighbourhood or cross streets"),
        max_length=80,
        help_text=_("Never an exact address: listings show this to every member."),
    )

    def __init__(self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = categories


class SettingsForm(forms.Form):
    retention_days = forms.IntegerField(
        label=_("Days a closed circle is kept"),
        min_value=0,
        max_value=3650,
        help_text=_(
            "After this many days a closed circle is erased and only counts remain; 0 erases it at once."
        ),
    )

    def __init__(self, *args: Any, groups: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["health_group"] = forms.TypedChoiceField(
            label=_("Health working group"),
            coerce=int,
            required=False,
            empty_value=None,
            choices=[("", _("None")), *groups],
            help_text=_("Its conveners see how many circles are open, and may open a circle for someone."),
        )
