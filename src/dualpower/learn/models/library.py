"""The library of things: what the community (or a member) lends, loans, and holds in a queue.

A ``Thing`` belongs to the community's library (``owner`` empty; its keepers are the
coordinators and the library's working group) or to a member who lends it with the same rules.
A ``Loan`` is open while the thing is out: one open loan per thing, kept by the database. When
it comes back the loan row is deleted and only counts remain (``Thing.times_lent`` and the
month's ``LoanTally``): who borrowed what is not kept. A ``Hold`` is a place in a thing's queue.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualpower.activities.models import TrustRole
from dualpower.community.models import Community
from dualpower.groups.models import WorkingGroup
from dualpower.ledger.models import Currency
from dualpower.members.models import Membership
from dualpower.uploads import UploadTo

TITLE_MAX = 120
TEXT_MAX = 2000
PLACE_MAX = 120
MAX_LOAN_DAYS = 90
MAX_RENEWALS = 10
MAX_READY_DAYS = 14


class Condition(models.TextChoices):
    NEW = "new", _("As new")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair: shows use")
    WORN = "worn", _("Worn: works, needs care")
    BROKEN = "broken", _("Broken: needs repair")


class Category(models.TextChoices):
    TOOLS = "tools", _("Tools")
    BOOKS = "books", _("Books")
    KITCHEN = "kitchen", _("Kitchen")
    CHILDREN = "children", _("Children's gear")
    OTHER = "other", _("Other")


class LibrarySettings(models.Model):
    """Who keeps the community's library (beside its coordinators)."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="library_settings")
    keepers = models.ForeignKey(
        WorkingGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"library of {self.community_id}"


class Thing(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="library_things")
    title = models.CharField(_("what it is"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, max_length=TEXT_MAX)
    category = models.CharField(_("kind"), max_length=12, choices=Category.choices, default=Category.OTHER)
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    photo = models.FileField(upload_to=UploadTo("learn"), blank=True, max_length=200)
    # A deposit in the community's own currency (smallest unit), held by the community's account
    # while the thing is out and paid back on return. 0: none.
    deposit = models.BigIntegerField(_("deposit"), default=0)
    deposit_currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The tier of trust a valuable thing needs: a trust role members vouch for.
    trust_role = models.ForeignKey(
        TrustRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pickup = models.CharField(_("where to pick it up"), max_length=PLACE_MAX, blank=True)
    # Empty: the community's library. Else the member who lends it.
    owner = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="things_lent"
    )
    loan_days = models.PositiveSmallIntegerField(_("days a loan lasts"), default=14)
    max_renewals = models.PositiveSmallIntegerField(_("renewals allowed"), default=2)
    ready_days = models.PositiveSmallIntegerField(_("days a ready hold waits"), default=3)
    is_lendable = models.BooleanField(_("lent now"), default=True)
    times_lent = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(deposit__gte=0), name="learn_thing_deposit_not_negative"),
            models.CheckConstraint(
                condition=Q(deposit=0) | Q(deposit_currency__isnull=False),
                name="learn_thing_deposit_has_currency",
            ),
            models.CheckConstraint(
                condition=Q(loan_days__gte=1, loan_days__lte=MAX_LOAN_DAYS), name="learn_thing_loan_days"
            ),
            models.CheckConstraint(condition=Q(max_renewals__lte=MAX_RENEWALS), name="learn_thing_renewals"),
            models.CheckConstraint(
                condition=Q(ready_days__gte=1, ready_days__lte=MAX_READY_DAYS), name="learn_thing_ready_days"
            ),
        ]
        indexes = [models.Index(fields=["community", "title"], name="learn_thing_list")]

    def __str__(self) -> str:
        return self.title


class Loan(models.Model):
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="loans")
    borrower = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="library_loans")
    started_at = models.DateTimeField(auto_now_add=True)
    due_on = models.DateField()
    renewals = models.PositiveSmallIntegerField(default=0)
    condition_out = models.CharField(max_length=10, choices=Condition.choices)
    deposit = models.BigIntegerField(default=0)  # what was taken, paid back on return
    reminded_on = models.DateField(null=True, blank=True)
    overdue_told_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            # A thing is lent to one person at a time (loans are deleted on return).
            models.UniqueConstraint(fields=["thing"], name="learn_one_loan_per_thing"),
            models.CheckConstraint(condition=Q(deposit__gte=0), name="learn_loan_deposit_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.thing_id} lent to {self.borrower_id}"


class Hold(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        READY = "ready", _("Ready to pick up")

    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="holds")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="library_holds")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    placed_at = models.DateTimeField(auto_now_add=True)
    # The member paused their own hold: they keep their place but are passed over until then.
    paused_until = models.DateField(null=True, blank=True)
    ready_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["thing", "membership"], name="learn_one_hold_per_member"),
            models.UniqueConstraint(
                fields=["thing"], condition=Q(status="ready"), name="learn_one_ready_hold_per_thing"
            ),
            models.CheckConstraint(
                condition=Q(status="waiting") | Q(ready_until__isnull=False), name="learn_ready_hold_has_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} holds {self.thing_id}"


class LoanTally(models.Model):
    """What remains of loans after return: how many, per community and month."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    month = models.CharField(max_length=7)  # "2026-12"
    returned = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "month"], name="learn_one_tally_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.month}: {self.returned}"


__all__ = [
    "Category",
    "Condition",
    "Hold",
    "LibrarySettings",
    "Loan",
    "LoanTally",
    "Thing",
]
