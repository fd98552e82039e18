"""The forms of the commons' pages: writing or editing a guide, and the search box."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dualpower.commons.models import BODY_MAX, NOTE_MAX, TITLE_MAX, Kind, Licence, Visibility


class GuideForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.GUIDE)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Plain text: leave an empty line between paragraphs."),
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=Licence.choices,
        initial=Licence.CC_BY_SA,
        help_text=_("Under CC BY-SA, others may copy and adapt it if they credit you and share alike."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    visibility = forms.ChoiceField(label=_("Who can read it"), choices=Visibility.choices)
    note = forms.CharField(
        label=_("What changed"),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("A line for the history, like “added the section on quorum”."),
    )

    def __init__(self, *args: Any, may_share: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visibility = self.fields["visibility"]
        assert isinstance(visibility, forms.ChoiceField)
        if not may_share:
            # Sharing speaks for the community: its coordinators choose it.
            visibility.choices = [(Visibility.MEMBERS.value, Visibility.MEMBERS.label)]
            visibility.help_text = _("Coordinators can share a guide with peer communities or publicly.")
        else:
            visibility.help_text = _(
                "Peers: the communities this one peers with, by decision. Everyone: anyone on the fediverse."
            )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any kind")), *Kind.choices], required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any language")), *settings.LANGUAGES], required=False
    )
