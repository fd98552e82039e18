"""Forms for people's pages. They parse and label; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.members.models import AccessToken, Membership
from dualpower.members.services import MAX_ANSWER, MAX_REASON


def split_list(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class ApplicationForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name in this community"),
        max_length=80,
        help_text=_("A pseudonym is fine. Members will see this name."),
    )

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for i, question in enumerate(self.questions):
            self.fields[f"answer_{i}"] = forms.CharField(
                label=question, max_length=MAX_ANSWER, widget=forms.Textarea(attrs={"rows": 4})
            )

    def answers(self) -> list[str]:
        return [self.cleaned_data[f"answer_{i}"] for i in range(len(self.questions))]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, shown to the applicant"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"), max_length=80, help_text=_("A pseudonym is fine.")
    )
    languages = forms.CharField(
        label=_("Languages you speak"),
        required=False,
        max_length=400,
        help_text=_("Separate them with commas."),
    )
    neighbourhood = forms.CharField(
        label=_("Neighbourhood"),
        required=False,
        max_length=80,
        help_text=_("Only the neighbourhood, never your street or house number."),
    )
    skills = forms.CharField(
        label=_("Skills you can offer"),
        required=False,
        max_length=800,
        help_text=_("Separate them with commas: cooking, plumbing, translation…"),
    )
    contact = forms.CharField(
        label=_("Contact details"),
        required=False,
        max_length=200,
        help_text=_("A phone number, a messenger handle… Only shown to whom you choose below."),
    )
    contact_visibility = forms.ChoiceField(
        label=_("Who can see my contact details"),
        choices=Membership.Visibility.choices,
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_membership(cls, membership: Membership) -> ProfileForm:
        return cls(
            initial={
                "display_name": membership.display_name,
                "languages": ", ".join(membership.languages or []),
                "neighbourhood": membership.neighbourhood,
                "skills": ", ".join(membership.skills or []),
                "contact": membership.contact,
                "contact_visibility": membership.contact_visibility,
            }
        )

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["languages"] = split_list(data["languages"])
        data["skills"] = split_list(data["skills"])
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=Membership.Role.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log for every member to read."),
    )
    decision_ref = forms.CharField(
        label=_("Decision of the assembly (optional)"),
        required=False,
        max_length=120,
        help_text=_("A reference to the decision that made this change, if there was one."),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=80,
        help_text=_("What the script using it does, for example."),
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("Neither kind can make tokens, change your password or e-mail, or delete your account."),
        required=False,
    )

    def clean_scope(self) -> str:
        # Not chosen: the safe kind.
        return self.cleaned_data.get("scope") or AccessToken.Scope.READ


class DeleteAccountForm(forms.Form):
    confirm_email = forms.CharField(
        label=_("Type your email address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class MemberFilterForm(forms.Form):
    skill = forms.CharField(label=_("Skill"), required=False, max_length=40)
    neighbourhood = forms.CharField(label=_("Neighbourhood"), required=False, max_length=80)
