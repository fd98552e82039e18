"""What the activities API reads and writes."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from dualpower.activities.selectors import signups_of, slots_of
from dualpower.activities.services import LABEL_MAX, NOTE_MAX, PLACE_MAX, TEXT_MAX, TITLE_MAX


class SignUpOut(Schema):
    id: int
    member_id: int = Field(..., alias="membership_id")
    display_name: str
    no_show: bool

    @staticmethod
    def resolve_display_name(obj) -> str:
        return obj.membership.display_name


class SlotOut(Schema):
    id: int
    label: str
    capacity: int
    taken: int
    required_role: str | None = Field(None, description="The slug of the trust role a place here needs.")
    signups: list[SignUpOut]

    @staticmethod
    def resolve_required_role(obj) -> str | None:
        return obj.required_role.slug if obj.required_role_id else None

    @staticmethod
    def resolve_signups(obj) -> list:
        return signups_of(obj)


class ActivityOut(Schema):
    id: int
    series_id: int
    title: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    is_cancelled: bool
    my_signup_id: int | None = None
    slots: list[SlotOut]

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.series.title

    @staticmethod
    def resolve_place(obj) -> str:
        return obj.series.place

    @staticmethod
    def resolve_my_signup_id(obj) -> int | None:
        signup = getattr(obj, "my_signup", None)
        return signup.pk if signup is not None else None

    @staticmethod
    def resolve_slots(obj) -> list:
        return slots_of(obj)


class SlotIn(Schema):
    label: str = Field(..., min_length=1, max_length=LABEL_MAX)
    capacity: int = Field(..., ge=1, le=500, strict=True)
    required_role: str | None = Field(None, description="Slug of a trust role, if a place here needs one.")


class SeriesIn(Schema):
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    description: str = Field("", max_length=TEXT_MAX)
    place: str = Field("", max_length=PLACE_MAX)
    group: str | None = Field(None, description="Slug of the working group it belongs to.")
    repeat: str = Field("once", description="once, weekly or monthly.")
    weekdays: list[int] = Field(default_factory=list, description="Weekly: 0 = Monday ... 6 = Sunday.")
    month_day: int | None = Field(None, description="Monthly: day of the month, 1 to 28.")
    starts_on: dt.date
    ends_on: dt.date | None = None
    start_time: dt.time
    duration_minutes: int = Field(120, strict=True)
    weeks_ahead: int = Field(4, strict=True)
    slots: list[SlotIn]


class SeriesPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    description: str | None = Field(None, max_length=TEXT_MAX)
    place: str | None = Field(None, max_length=PLACE_MAX)


class SlotTemplateOut(Schema):
    label: str
    capacity: int


class SeriesOut(Schema):
    id: int
    title: str
    description: str
    place: str
    group: str | None = None
    repeat: str
    weekdays: list[int]
    month_day: int | None
    starts_on: dt.date
    ends_on: dt.date | None
    start_time: dt.time
    duration_minutes: int
    is_active: bool
    slots: list[SlotTemplateOut]
    organisers: list[int]

    @staticmethod
    def resolve_group(obj) -> str | None:
        return obj.group.slug if obj.group_id else None

    @staticmethod
    def resolve_slots(obj) -> list:
        return list(obj.slot_templates.all())

    @staticmethod
    def resolve_organisers(obj) -> list[int]:
        # .all(): the places a list read ahead (selectors.series_listed), else one query.
        return sorted(place.membership_id for place in obj.organiser_places.all())


class SeriesSchedulePatch(Schema):
    """Only the fields sent change; ``ends_on: null`` means until stopped."""

    weekdays: list[int] | None = Field(None, description="Weekly: 0 = Monday ... 6 = Sunday.")
    month_day: int | None = Field(None, description="Monthly: day of the month, 1 to 28.")
    start_time: dt.time | None = None
    duration_minutes: int | None = Field(None, strict=True)
    ends_on: dt.date | None = None


class ScheduleChangeOut(Schema):
    series: SeriesOut
    removed: int = Field(..., description="Coming dates deleted: they no longer fit, nobody had signed up.")
    kept: list[int] = Field(
        ..., description="Ids of coming dates that no longer fit but stay as they were: people had signed up."
    )
    added: int = Field(..., description="Dates the new schedule made.")

    @staticmethod
    def resolve_kept(obj) -> list[int]:
        return [a.pk for a in obj.kept]


class CapacityIn(Schema):
    capacity: int = Field(..., strict=True)


class NoShowIn(Schema):
    no_show: bool = Field(..., strict=True)


class ShiftFeedbackIn(Schema):
    note: str = Field("", max_length=NOTE_MAX)
    rating: int | None = Field(None, strict=True)


class FeedbackOut(Schema):
    member_id: int = Field(..., alias="membership_id")
    display_name: str
    note: str
    rating: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_display_name(obj) -> str:
        return obj.membership.display_name


class MemberIn(Schema):
    member_id: int = Field(..., strict=True)


class TrustRoleIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    description: str = Field("", max_length=2000)
    threshold: int = Field(2, strict=True)


class TrustRolePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)
    description: str | None = Field(None, max_length=2000)
    threshold: int | None = Field(None, strict=True)


class TrustRoleOut(Schema):
    slug: str
    name: str
    description: str
    threshold: int
    holder_count: int = 0


class HolderOut(Schema):
    member_id: int = Field(..., alias="membership_id")
    display_name: str
    granted_at: dt.datetime

    @staticmethod
    def resolve_display_name(obj) -> str:
        return obj.membership.display_name
