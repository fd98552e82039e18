"""Forms for the co-op pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.coops.models import CapitalOperation, Cooperative, CoopMember
from dualpower.coops.services import NAME_MAX, PURPOSE_MAX
from dualpower.web.fields import MONEY_HELP, MoneyField


class CoopForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=NAME_MAX)
    kind = forms.ChoiceField(label=_("Kind of co-op"), choices=Cooperative.Kind.choices)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=PURPOSE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    share_price = MoneyField(label=_("Price of one share"), min_cents=1, initial=1000, help_text=MONEY_HELP)
    min_shares = forms.IntegerField(label=_("Minimum shares per member"), min_value=0, initial=1)
    max_shares = forms.IntegerField(label=_("Maximum shares per member"), min_value=1, initial=100)
    min_cash_percent = forms.IntegerField(
        label=_("Minimum share of patronage paid in cash (%)"),
        min_value=0,
        max_value=100,
        initial=20,
        help_text=_("The rest is retained in members' capital accounts."),
    )


class CoopEditForm(CoopForm):
    status = forms.ChoiceField(label=_("Status"), choices=Cooperative.Status.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class OperationForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=CapitalOperation.Kind.choices)
    shares = forms.IntegerField(label=_("Number of shares"), min_value=1)
    member = forms.TypedChoiceField(label=_("Member"), coerce=int, required=False, empty_value=None)
    to_member = forms.TypedChoiceField(
        label=_("To (transfers only)"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, members: list[CoopMember], is_board: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(p.pk, p.membership.display_name) for p in members]
        field = self.fields["to_member"]
        assert isinstance(field, forms.ChoiceField)  # declared above; the choices come per request
        field.choices = [("", _("Nobody (not a transfer)")), *choices]
        if is_board:
            field = self.fields["member"]
            assert isinstance(field, forms.ChoiceField)  # declared above; the choices come per request
            field.choices = [("", _("Myself")), *choices]
            self.fields["member"].help_text = _("Whose shares: the board drafts for any member.")
        else:
            del self.fields["member"]


class PatronageForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2200)
    surplus = MoneyField(label=_("Surplus to allocate"), min_cents=1, help_text=MONEY_HELP)
    measure = forms.ChoiceField(
        label=_("Patronage is measured in"),
        choices=[("hours", _("hours worked")), ("purchases", _("purchases"))],
    )
    cash_percent = forms.IntegerField(label=_("Share paid in cash (%)"), min_value=0, max_value=100)

    def __init__(self, *args: Any, members: list[CoopMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member_fields = []
        for place in members:
            name = f"patronage_{place.pk}"
            self.fields[name] = forms.IntegerField(
                label=_("Patronage of %(name)s") % {"name": place.membership.display_name},
                min_value=0,
                initial=0,
            )
            self.member_fields.append((place.pk, name))

    def patronage(self) -> dict[int, int]:
        return {pk: self.cleaned_data[name] for pk, name in self.member_fields}
