"""Forms for assemblies' pages. They only parse; the services decide what is allowed."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies import actions, processes
from dualpower.assemblies.models import Proposal


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("The proposal"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    process = forms.ChoiceField(label=_("How will we decide?"), choices=())
    voting_mode = forms.ChoiceField(
        label=_("Where is the vote taken?"), choices=Proposal.VotingMode.choices, initial="online"
    )
    options = forms.CharField(
        label=_("Options (one per line)"),
        help_text=_("For polls and elections only. For a time poll write dates as 2026-12-01 18:00."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    seats = forms.IntegerField(label=_("How many are chosen"), min_value=1, max_value=50, initial=1)
    dots = forms.IntegerField(
        label=_("Dots per member (dot votes)"), min_value=0, max_value=20, initial=0, required=False
    )
    topic = forms.CharField(
        label=_("Topic (optional)"),
        help_text=_("One word such as housing or budget; members may delegate their vote by topic."),
        required=False,
        max_length=60,
    )
    action_kind = forms.ChoiceField(label=_("If it passes, do this"), required=False, choices=())
    action_params = forms.CharField(
        label=_("Details of the action (one per line: name = value)"),
        help_text=_("For example: application = 12, or membership = 4 and role = coordinator."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    draft = forms.BooleanField(label=_("Keep as a draft for now"), required=False)

    def __init__(self, *args: Any, default_process: str = "consent", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["process"]).choices = processes.choices()
        self.fields["process"].initial = default_process
        cast(forms.ChoiceField, self.fields["action_kind"]).choices = [("", _("Nothing else"))] + [
            (k.key, str(k.label)) for k in actions.kinds()
        ]

    def options_list(self) -> list[dict[str, Any]]:
        process = processes.PROCESSES.get(self.cleaned_data.get("process", ""))
        lines = [ln.strip() for ln in (self.cleaned_data.get("options") or "").splitlines() if ln.strip()]
        if process is not None and process.shape == "time":
            return [{"label": ln, "starts_at": ln} for ln in lines]
        return [{"label": ln} for ln in lines]

    def actions_list(self) -> list[dict[str, Any]]:
        kind = self.cleaned_data.get("action_kind")
        if not kind:
            return []
        params: dict[str, Any] = {}
        for line in (self.cleaned_data.get("action_params") or "").splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                params[key.strip()] = value.strip()
        return [{"kind": kind, "params": params}]


class OutcomeStatementForm(forms.Form):
    text = forms.CharField(
        label=_("What was decided, in your words"),
        help_text=_("Shown on the proposal's page above the count. Each version is kept, with who wrote it."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
