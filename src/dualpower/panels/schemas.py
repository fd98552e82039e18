"""What the panels API sends and accepts."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from dualpower.panels.models import Panel
from dualpower.panels.selectors import quotas_of


class PanelOut(Schema):
    id: int
    title: str
    purpose: str
    size: int
    objective: str
    state: str
    volunteer_count: int = 0
    quotas: dict[str, dict[str, tuple[int, int]]]
    seed_source: str
    closed_at: datetime | None
    lottery_fingerprint: str
    seed: str
    seed_announced_at: datetime | None
    drawn_at: datetime | None
    ticket: int | None
    assembly_id: int | None

    @staticmethod
    def resolve_quotas(obj: Panel) -> dict[str, dict[str, tuple[int, int]]]:
        return quotas_of(obj)


class PanelIn(Schema):
    title: str
    purpose: str = ""
    size: int = Field(..., strict=True)
    objective: str = "maximin"
    quotas: dict[str, dict[str, tuple[int, int]]] = Field(
        ..., description='{"gender": {"woman": [4, 6], "man": [4, 6]}}: at least and at most per value'
    )


class PanelPatch(Schema):
    title: str | None = None
    purpose: str | None = None
    size: int | None = Field(None, strict=True)
    objective: str | None = None
    quotas: dict[str, dict[str, tuple[int, int]]] | None = None


class VolunteerIn(Schema):
    answers: dict[str, str]


class VolunteerOut(Schema):
    public_id: str
    answers: dict[str, str]
    probability: str
    selected: bool


class VolunteerPrivateOut(VolunteerOut):
    membership_id: int
    name: str = Field(..., alias="membership.display_name")


class CloseIn(Schema):
    seed_source: str


class SeedIn(Schema):
    seed: str
