"""The form coordinators use to describe their community and set its admission policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.community import services
from dualpower.community.models import Community


class CommunityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=services.NAME_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=services.DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown on the public page of the community."),
    )
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Language codes separated by commas, for example: en, es"),
    )
    admission = forms.ChoiceField(label=_("How applicants are admitted"), choices=Community.Admission.choices)
    trust_threshold = forms.IntegerField(
        label=_("Trust needed to be admitted"),
        min_value=1,
        max_value=services.TRUST_THRESHOLD_MAX,
        help_text=_("When members admit by giving trust: how many members must vouch for an applicant."),
    )
    application_questions = forms.CharField(
        label=_("Questions for applicants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One question a line."),
    )
    is_public = forms.BooleanField(label=_("List this community on the node's front page"), required=False)

    @classmethod
    def initial_for(cls, community: Community) -> dict[str, Any]:
        return {
            "name": community.name,
            "description": community.description,
            "languages": ", ".join(community.languages),
            "admission": community.admission,
            "trust_threshold": community.trust_threshold,
            "application_questions": "\n".join(community.application_questions),
            "is_public": community.is_public,
        }

    def changes(self) -> dict[str, Any]:
        """The cleaned data in the shape ``community_update`` takes."""
        data = dict(self.cleaned_data)
        data["languages"] = [code.strip() for code in data["languages"].split(",") if code.strip()]
        data["application_questions"] = data["application_questions"].splitlines()
        return data
