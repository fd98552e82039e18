"""The forms of the deliberation pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies.models import Assembly
from dualpower.deliberation.models import (
    DESCRIPTION_MAX,
    QUESTION_MAX,
    REASON_MAX,
    STATEMENT_MAX,
    Deliberation,
)

TITLE_MAX = 200


class OpenForm(forms.Form):
    assembly = forms.ChoiceField(label=_("Which assembly deliberates"))
    question = forms.CharField(
        label=_("The question"),
        max_length=QUESTION_MAX,
        help_text=_("One open question, like “How should we use the empty lot on 5th Street?”"),
    )
    description = forms.CharField(
        label=_("Background"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    moderation = forms.ChoiceField(
        label=_("Moderation"),
        choices=Deliberation.Moderation.choices,
        initial=Deliberation.Moderation.AFTER,
        widget=forms.RadioSelect,
    )
    seeds = forms.CharField(
        label=_("Seed statements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line, each at most 140 characters: a few statements to start the voting."),
    )

    def __init__(self, *args: Any, assemblies: list[Assembly], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assembly"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(a.slug, a.name_shown) for a in assemblies]


class StatementForm(forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": STATEMENT_MAX}),
        help_text=_("One idea, at most 140 characters. Others will agree, disagree or pass on it."),
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Show it")),
            ("reject", _("Take it out")),
            ("duplicate", _("It repeats another")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reason (if taken out)"), max_length=REASON_MAX, required=False)
    duplicate_of = forms.IntegerField(
        label=_("Number of the statement it repeats"), required=False, min_value=1
    )


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title of the proposal"), max_length=TITLE_MAX)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20_000)
