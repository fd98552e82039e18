"""Forms for the working-group pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.groups.models import GroupMembership
from dualpower.groups.services import NAME_MAX, PURPOSE_MAX


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=PURPOSE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the group does and how people can help."),
    )
    is_open = forms.BooleanField(
        label=_("Anyone in the community can join"),
        required=False,
        initial=True,
        help_text=_("If not, a convener approves each request to join."),
    )


class LeaveForm(forms.Form):
    """Leaving; the last convener names who takes over."""

    new_convener = forms.TypedChoiceField(
        label=_("Who convenes the group after you?"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, successors: list[GroupMembership] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(gm.pk, gm.membership.display_name) for gm in successors or []]
        field = self.fields["new_convener"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Choose a member")), *choices]
        field.required = bool(choices)
