"""Forms for the money pages: they parse; the services decide.

Amounts are typed as people write them ("12.50", "1:30") and read exactly by units.units_of in
the forms' ``clean``, so a valid form holds them in the smallest unit. Credit is entered as a
positive number ("may go 100 below zero") and stored as a negative lower limit.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.errors import InvalidInput
from dualpower.ledger.models import Account, Currency
from dualpower.ledger.services import DESCRIPTION_MAX
from dualpower.ledger.units import units_of


def _amount_help(currency: Currency | None) -> str:
    if currency is not None and currency.is_time_bank:
        return str(_("Hours, for example 1.5 or 1:30."))
    if currency is not None and currency.decimals:
        return str(_("For example 12.50 (at most %(n)d decimal places).") % {"n": currency.decimals})
    return str(_("A whole number."))


class AmountField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})


def _read_units(form: forms.Form, currency: Currency, name: str, *, allow_zero: bool = False) -> int | None:
    """Read the field ``name`` as an amount of ``currency``; the sentence goes on the field if wrong."""
    raw = form.cleaned_data.get(name)
    if raw in (None, ""):
        return None
    try:
        return units_of(currency, raw, field=name, label=str(form.fields[name].label), allow_zero=allow_zero)
    except InvalidInput as exc:
        form.add_error(name, exc.detail)
    return None


class PayForm(forms.Form):
    to = forms.TypedChoiceField(label=_("Pay to"), coerce=int)
    amount = AmountField(label=_("Amount"))
    description = forms.CharField(label=_("What for"), max_length=DESCRIPTION_MAX, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=96)

    def __init__(self, *args: Any, currency: Currency, payees: list[Account], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)  # declared above; the choices come per request
        field.choices = [("", _("Choose who to pay")), *((a.pk, a.name) for a in payees)]
        self.fields["amount"].help_text = _amount_help(currency)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["units"] = _read_units(self, self.currency, "amount")
        return data


class RequestForm(forms.Form):
    payer = forms.TypedChoiceField(label=_("Ask whom to pay"), coerce=int)
    amount = AmountField(label=_("Amount"))
    description = forms.CharField(label=_("What for"), max_length=DESCRIPTION_MAX, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=96)

    def __init__(self, *args: Any, currency: Currency, payers: list[Account], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        field = self.fields["payer"]
        assert isinstance(field, forms.ChoiceField)  # declared above; the choices come per request
        field.choices = [("", _("Choose a member")), *((a.pk, a.name) for a in payers)]
        self.fields["amount"].help_text = _amount_help(currency)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["units"] = _read_units(self, self.currency, "amount")
        return data


class CurrencyForm(forms.Form):
    """Starting a currency, or changing its name and policy. Amounts in the currency's units."""

    name = forms.CharField(
        label=_("Name"), max_length=80, help_text=_("For example “Roots” or “Southside Hours”.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Currency.Kind.choices)
    symbol = forms.CharField(label=_("Symbol"), max_length=12, required=False)
    decimals = forms.IntegerField(
        label=_("Decimal places"),
        min_value=0,
        max_value=4,
        initial=2,
        help_text=_("0 to 4; a time bank counts minutes."),
    )
    description = forms.CharField(
        label=_("What it is for"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    default_credit = AmountField(
        label=_("Credit for new members"),
        initial="0",
        help_text=_("How far below zero a new member's account may go."),
    )
    default_upper = AmountField(label=_("Upper limit for new members"), initial="0")
    max_credit = AmountField(
        label=_("Most credit a coordinator may give"),
        initial="0",
        help_text=_("Beyond this, only a decision of the assembly raises someone's credit."),
    )
    max_upper = AmountField(label=_("Highest upper limit a coordinator may set"), initial="0")
    demurrage_basis_points = forms.IntegerField(
        label=_("Demurrage a month, in hundredths of a percent"),
        min_value=0,
        max_value=1000,
        initial=0,
        help_text=_("100 means 1% a month of positive balances, paid to the community account. 0: none."),
    )
    invoice_days = forms.IntegerField(
        label=_("Days a payment request stays open"), min_value=1, max_value=365, initial=14
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, currency: Currency | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        if currency is not None:  # kind and decimals are fixed once amounts exist
            del self.fields["kind"]
            del self.fields["decimals"]
        else:
            del self.fields["is_active"]

    def clean(self) -> dict[str, Any]:
        """Adds ``policy``: the values as the services take them (limits in the smallest unit)."""
        data = super().clean() or {}
        if not self.errors:
            policy = self._policy(data)
            if not self.errors:  # the amounts read
                data["policy"] = policy
        return data

    def _policy(self, data: dict[str, Any]) -> dict[str, Any]:
        if self.currency is not None:
            unit = self.currency
        else:
            kind = data.get("kind", Currency.Kind.MUTUAL_CREDIT)
            unit = Currency(
                kind=kind, decimals=0 if kind == Currency.Kind.TIME_BANK else data.get("decimals") or 0
            )
        values = {
            name: _read_units(self, unit, name, allow_zero=True)
            for name in ("default_credit", "default_upper", "max_credit", "max_upper")
        }
        out = {
            "default_lower_limit": -(values["default_credit"] or 0),
            "default_upper_limit": values["default_upper"] or 0,
            "lowest_lower_limit": -(values["max_credit"] or 0),
            "highest_upper_limit": values["max_upper"] or 0,
            "demurrage_basis_points": data["demurrage_basis_points"],
            "invoice_days": data["invoice_days"],
            "name": data["name"],
            "symbol": data.get("symbol", ""),
            "description": data.get("description", ""),
        }
        if self.currency is None:
            out["kind"] = data["kind"]
            out["decimals"] = data["decimals"]
        else:
            out["is_active"] = data.get("is_active", False)
        return out


class LimitsForm(forms.Form):
    credit = AmountField(label=_("Credit (how far below zero the account may go)"))
    upper = AmountField(label=_("Upper limit"))

    def __init__(self, *args: Any, currency: Currency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean(self) -> dict[str, Any]:
        """Adds ``lower_limit`` and ``upper_limit`` in the smallest unit."""
        data = super().clean() or {}
        credit = _read_units(self, self.currency, "credit", allow_zero=True)
        upper = _read_units(self, self.currency, "upper", allow_zero=True)
        if credit is not None and upper is not None:
            data["lower_limit"], data["upper_limit"] = -credit, upper
        return data


class StatementFilter(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
