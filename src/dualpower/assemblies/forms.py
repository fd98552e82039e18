"""Forms for assemblies' pages. They only parse; the services decide what is allowed."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies import actions, processes
from dualpower.assemblies.models import Proposal
from dualpower.community.models import Community

# A list of names longer than this gets a search box beside its picker.
LONG_LIST = 30
YES_NO = (("yes", _("Yes")), ("no", _("No")))


def lazy_format(sentence: Any, label: Any) -> Any:
    """``sentence % {"label": label}`` in the reader's language when the error is shown."""
    return lazy(lambda: str(sentence) % {"label": str(label)}, str)()


def need_field_name(need: actions.Need) -> str:
    """The form field of an action's need: prefixed, so that a need named "seats" or "proposal"
    never meets the proposal's own fields."""
    return f"a_{need.name}"


class ProposalStartForm(forms.Form):
    """The first step: how the assembly decides, and what the decision does. Read from GET, so the
    second step shows only the fields this process and this action use, without JavaScript."""

    process = forms.ChoiceField(label=_("How will we decide?"), choices=(), widget=forms.RadioSelect)
    action = forms.ChoiceField(label=_("If it passes, do this"), required=False, choices=())

    def __init__(self, *args: Any, default_process: str = "consent", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["process"]).choices = processes.choices()
        self.fields["process"].initial = default_process
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", _("Nothing else"))] + [
            (k.key, str(k.label)) for k in actions.pickable()
        ]


class ProposalForm(forms.Form):
    """The second step: the fields the chosen process uses, and a picker for each thing the chosen
    action needs (names, never ids)."""

    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Give the proposal a title.")}
    )
    body = forms.CharField(
        label=_("The proposal"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    voting_mode = forms.ChoiceField(
        label=_("Where is the vote taken?"),
        choices=Proposal.VotingMode.choices,
        initial="online",
        widget=forms.RadioSelect,
    )
    options = forms.CharField(
        label=_("Options (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    seats = forms.IntegerField(label=_("How many are chosen"), min_value=1, max_value=50, initial=1)
    dots = forms.IntegerField(label=_("Dots per member"), min_value=1, max_value=20, initial=3)
    topic = forms.CharField(
        label=_("Topic (optional)"),
        help_text=_("One word such as housing or budget; members may delegate their vote by topic."),
        required=False,
        max_length=60,
    )
    draft = forms.BooleanField(label=_("Keep as a draft for now"), required=False)

    def __init__(
        self,
        *args: Any,
        process: processes.Process,
        kind: actions.ActionKind | None,
        community: Community,
        find: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.process = process
        self.kind = kind
        self.searchable: list[str] = []
        if process.has_options:
            self.fields["options"].required = True
            self.fields["options"].help_text = (
                _("Write dates as 2026-12-01 18:00.")
                if process.shape == "time"
                else _("The candidates' names for an election.")
                if process.key == "stv"
                else ""
            )
        else:
            del self.fields["options"]
        if process.rule is None:  # only yes-or-no decisions are counted in the room
            del self.fields["voting_mode"]
        if not process.multi_winner:
            del self.fields["seats"]
        if process.shape != "dots":
            del self.fields["dots"]
        draft = self.fields.pop("draft")
        for need in kind.needs if kind else ():
            name = need_field_name(need)
            self.fields[name] = self._need_field(need, community, (find or {}).get(name, ""))
        self.fields["draft"] = draft

    def _need_field(self, need: actions.Need, community: Community, find: str) -> forms.Field:
        missing = (
            _("Choose from the list: %(label)s.")
            if need.kind in ("choice", "yesno")
            else _("Fill this in: %(label)s.")
        )
        common: dict[str, Any] = {
            "label": need.label,
            "required": need.required,
            "help_text": need.help,
            "error_messages": {"required": lazy_format(missing, need.label)},
        }
        if need.kind == "number":
            return forms.IntegerField(min_value=0, max_value=100000, **common)
        if need.kind == "percent":
            return forms.DecimalField(
                min_value=0,
                max_value=100,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "any"}),
                **common,
            )
        if need.kind == "text":
            return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)
        empty = [("", _("Choose…") if need.required else (need.empty or _("Leave as it is")))]
        if need.kind == "yesno":
            return forms.TypedChoiceField(
                choices=empty + list(YES_NO), coerce=lambda v: v == "yes", empty_value=None, **common
            )
        options = list(need.options(community)) if need.options else []
        if len(options) > LONG_LIST:
            self.searchable.append(need_field_name(need))
            if find.strip():
                options = [(v, name) for v, name in options if find.strip().casefold() in name.casefold()]
        values = {str(v): v for v, _name in options}
        return forms.TypedChoiceField(
            choices=empty + [(str(v), name) for v, name in options],
            coerce=lambda raw: values.get(raw, raw),
            empty_value=None,
            **common,
        )

    def options_list(self) -> list[dict[str, Any]]:
        lines = [ln.strip() for ln in (self.cleaned_data.get("options") or "").splitlines() if ln.strip()]
        if self.process.shape == "time":
            return [{"label": ln, "starts_at": ln} for ln in lines]
        return [{"label": ln} for ln in lines]

    def actions_list(self) -> list[dict[str, Any]]:
        """The chosen action with its params, built from the pickers (an empty optional one is left out)."""
        if self.kind is None:
            return []
        params: dict[str, Any] = {}
        for need in self.kind.needs:
            value = self.cleaned_data.get(need_field_name(need))
            if value in (None, ""):
                continue
            if need.kind == "percent":
                value = str((Decimal(value) / 100).normalize())
            if need.within:
                params.setdefault(need.within, {})[need.name] = value
            else:
                params[need.name] = value
        return [{"kind": self.kind.key, "params": params}]


class OutcomeStatementForm(forms.Form):
    text = forms.CharField(
        label=_("What was decided, in your words"),
        help_text=_("Shown on the proposal's page above the count. Each version is kept, with who wrote it."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
