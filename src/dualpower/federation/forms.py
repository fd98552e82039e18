"""The forms of federation's pages: following someone elsewhere, blocking a server."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class FollowForm(forms.Form):
    handle = forms.CharField(
        label=_("Address of who to follow"),
        help_text=_("Like @garden@example.org, or the address of its page."),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class BlockForm(forms.Form):
    host = forms.CharField(
        label=_("Server to block"),
        help_text=_("Its name, such as example.org."),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        max_length=300,
        required=False,
    )


class PersonForm(forms.Form):
    """A member choosing to be visible on the fediverse (persons.py checks the handle)."""

    handle = forms.CharField(
        label=_("Handle"),
        help_text=_("Letters a to z, digits and underscores. To change it later, stop and choose again."),
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    name = forms.CharField(
        label=_("Name shown (optional)"),
        help_text=_("Left empty, your handle is shown. A pseudonym is fine."),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    summary = forms.CharField(
        label=_("About you (optional)"),
        help_text=_("A few words, public to everyone."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
