"""The duress password form: it parses; the service decides (and refuses with a sentence)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dualpower.members.models import Membership


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class DuressForm(forms.Form):
    current_password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    password = forms.CharField(
        label=_("Duress password"),
        strip=False,
        max_length=200,
        help_text=_("Different from your password, and one you can remember under pressure."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    alert_to = PeopleField(
        label=_("Who to alert when it is used"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["alert_to"]
        assert isinstance(field, PeopleField)
        field.queryset = people
