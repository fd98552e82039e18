"""What the food app's forms share: the date input and the options of a picker."""

from __future__ import annotations

from typing import Any

from django import forms
from django_stubs_ext import StrOrPromise

DATE = forms.DateInput(attrs={"type": "date"})


def offer(field: forms.Field, options: list[tuple[Any, StrOrPromise]]) -> None:
    """Give a choice field its options (known only when the form is made: the community's)."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = options
