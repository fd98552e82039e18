"""Forms for the activities pages: they parse; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dualpower.activities.models import Series, TrustRole
from dualpower.activities.services import LABEL_MAX, NOTE_MAX, PLACE_MAX, TEXT_MAX, TITLE_MAX
from dualpower.groups.models import WorkingGroup

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SeriesForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=PLACE_MAX,
        required=False,
        help_text=_("A neighbourhood or a known place, never a home address."),
    )
    group: forms.ModelChoiceField[WorkingGroup] = forms.ModelChoiceField(
        label=_("Working group"),
        queryset=None,  # the community's groups, set by __init__
        required=False,
        empty_label=_("None"),
        help_text=_("Conveners start activities for a group they convene."),
    )
    repeat = forms.ChoiceField(label=_("Repeats"), choices=Series.Repeat.choices, widget=forms.RadioSelect)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week (if every week)"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    month_day = forms.IntegerField(
        label=_("Day of the month (if every month)"), min_value=1, max_value=28, required=False
    )
    starts_on = forms.DateField(label=_("First date"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if it goes on until stopped."),
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(
        label=_("How long (minutes)"), min_value=1, max_value=24 * 60, initial=120
    )

    def __init__(self, *args: Any, groups: QuerySet[WorkingGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[WorkingGroup]", self.fields["group"]).queryset = groups


class SlotForm(forms.Form):
    label = forms.CharField(label=_("Role in the activity"), max_length=LABEL_MAX, required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=500, required=False)
    required_role = forms.ModelChoiceField(
        label=_("Needs the trust role"),
        queryset=TrustRole.objects.none(),
        required=False,
        empty_label=_("Anyone"),
    )

    def __init__(self, *args: Any, roles: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[TrustRole]", self.fields["required_role"]).queryset = (
            roles if roles is not None else TrustRole.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("label") and not data.get("capacity"):
            self.add_error("capacity", _("How many places?"))
        return data


SlotFormSet = forms.formset_factory(SlotForm, extra=4, max_num=12)


class SeriesEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    place = forms.CharField(label=_("Place"), max_length=PLACE_MAX, required=False)


class SeriesScheduleForm(forms.Form):
    """When a regular activity happens. Only the fields its kind of repeat has are shown."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        # Left to the service, so "choose a day" is said in one place with its own sentence.
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    month_day = forms.IntegerField(label=_("Day of the month"), min_value=1, max_value=28)
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_("How long (minutes)"), min_value=1, max_value=24 * 60)
    ends_on = forms.DateField(
        label=_("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty if it goes on until stopped."),
    )

    def __init__(self, *args: Any, series: Series, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "weekdays": series.weekdays,
                "month_day": series.month_day,
                "start_time": series.start_time,
                "duration_minutes": series.duration_minutes,
                "ends_on": series.ends_on,
            },
        )
        kwargs.setdefault("prefix", "schedule")
        super().__init__(*args, **kwargs)
        if series.repeat != Series.Repeat.WEEKLY:
            del self.fields["weekdays"]
        if series.repeat != Series.Repeat.MONTHLY:
            del self.fields["month_day"]


class FeedbackForm(forms.Form):
    note = forms.CharField(
        label=_("How did it go?"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating (optional)"),
        choices=[("", _("No rating")), *[(n, str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )


class TrustRoleForm(forms.Form):
    name = forms.CharField(label=_("Name of the role"), max_length=80)
    description = forms.CharField(
        label=_("What it means"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    threshold = forms.IntegerField(label=_("Vouches needed"), min_value=1, max_value=50, initial=2)
