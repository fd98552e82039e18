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
