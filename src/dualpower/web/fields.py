"""Form fields every app's pages share.

``MoneyField``: an amount of money typed as people write it ("12.50", Spanish "12,50", "1,250.00"),
read by ``dualpower.clean.clean_amount`` (ASCII digits and the active language's separators, never
guessed) into whole cents, and shown back the same way (``formatting.format_amount``) when a form
opens with an amount already stored.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from dualpower.clean import clean_amount
from dualpower.errors import InvalidInput
from dualpower.formatting import format_amount


class MoneyField(forms.Field):
    """An amount in cents, typed in the reader's language; ``min_cents`` is the least accepted."""

    widget = forms.TextInput
    max_length = 30

    def __init__(self, *, min_cents: int = 0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.min_cents = min_cents
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "maxlength": str(self.max_length)}
        )

    def prepare_value(self, value: Any) -> Any:
        # A stored amount (an int of cents) is shown as people write it; typed text comes back as typed.
        if isinstance(value, int) and not isinstance(value, bool):
            return format_amount(value, grouping=False)
        return value

    def to_python(self, value: Any) -> int | None:
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        label = str(self.label or _("The amount"))
        if len(text) > self.max_length:
            raise ValidationError(_("%(what)s is too large.") % {"what": label})
        try:
            cents = clean_amount(text, field="amount", label=label)
        except InvalidInput as exc:
            raise ValidationError(exc.detail) from None
        if cents < self.min_cents:
            raise ValidationError(
                _("%(what)s must be at least %(least)s.")
                % {"what": label, "least": format_amount(self.min_cents)}
            )
        return cents


def _money_help() -> str:
    return _("Write it as you would on paper, for example %(amount)s.") % {
        "amount": format_amount(1250, grouping=False)
    }


# The example in the reader's language when the page is drawn ("12.50", Spanish "12,50").
MONEY_HELP: Any = lazy(_money_help, str)()
