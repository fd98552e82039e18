"""Forms for the panels' pages: they parse; the services decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.panels.models import Panel
from dualpower.panels.services import PURPOSE_MAX, SEED_MAX, SIZE_MAX, TITLE_MAX

_ITEM = re.compile(r"^(?P<value>.*\S)\s+(?P<min>\d+)\s*-\s*(?P<max>\d+)$")


def parse_quotas(text: str) -> dict[str, dict[str, tuple[int, int]]]:
    """Read one feature a line: ``gender: woman 4-6, man 4-6, another gender 0-2``."""
    features: dict[str, dict[str, tuple[int, int]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, rest = line.partition(":")
        if not colon or not name.strip():
            raise forms.ValidationError(
                _("Line %(n)d: start with the feature's name and a colon, e.g. “gender:”.") % {"n": number}
            )
        values: dict[str, tuple[int, int]] = {}
        for item in rest.split(","):
            match = _ITEM.match(item.strip())
            if match is None:
                raise forms.ValidationError(
                    _("Line %(n)d: write each value with its quota, like “woman 4-6” (got “%(item)s”).")
                    % {"n": number, "item": item.strip()}
                )
            values[match["value"]] = (int(match["min"]), int(match["max"]))
        features[name.strip()] = values
    return features


def quotas_text(quotas: dict[str, dict[str, tuple[int, int]]]) -> str:
    return "\n".join(
        f"{feature}: " + ", ".join(f"{value} {lo}-{hi}" for value, (lo, hi) in values.items())
        for feature, values in quotas.items()
    )


class PanelForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX)
    purpose = forms.CharField(
        label=gettext_lazy("Purpose"),
        max_length=PURPOSE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What the panel will decide or advise on, and how much time it asks of people."
        ),
    )
    size = forms.IntegerField(label=gettext_lazy("Panel size"), min_value=1, max_value=SIZE_MAX)
    objective = forms.ChoiceField(
        label=gettext_lazy("Fairness rule"), choices=Panel.Objective.choices, initial=Panel.Objective.MAXIMIN
    )
    quotas = forms.CharField(
        label=gettext_lazy("Features and quotas"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One feature a line: its name, a colon, then each value with at least-at most seats, "
            "separated by commas. For example: “gender: woman 4-6, man 4-6, another gender 0-2”."
        ),
    )

    def clean_quotas(self) -> dict[str, dict[str, tuple[int, int]]]:
        return parse_quotas(self.cleaned_data["quotas"])


class VolunteerForm(forms.Form):
    """One question per feature; the answers are seen by coordinators only."""

    def __init__(self, *args: Any, quotas: dict[str, dict[str, tuple[int, int]]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, (feature, values) in enumerate(quotas.items()):
            self.fields[f"f{i}"] = forms.ChoiceField(
                label=feature, choices=[("", _("Choose"))] + [(v, v) for v in values]
            )
        self.features = list(quotas)

    def answers(self) -> dict[str, str]:
        return {feature: self.cleaned_data[f"f{i}"] for i, feature in enumerate(self.features)}


class CloseForm(forms.Form):
    seed_source = forms.CharField(
        label=gettext_lazy("Where the seed will come from"),
        max_length=SEED_MAX,
        help_text=gettext_lazy(
            "A public event nobody controls or knows in advance, e.g. “the numbers of the national "
            "lottery draw on 5 December, written with spaces”."
        ),
    )


class SeedForm(forms.Form):
    seed = forms.CharField(
        label=gettext_lazy("The seed"),
        max_length=SEED_MAX,
        help_text=gettext_lazy("Exactly as it will be published, e.g. “2026-12-05 4 17 23 31 42”."),
    )
