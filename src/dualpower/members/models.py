"""People: accounts, their membership of a community, applications, trust and roles."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.web.prepared import Prepared


class AccountManager(UserManager["User"]):
    """Accounts are identified by email; there is no username."""

    def _create_user(self, username, email, password, **extra_fields):
        if not email:
            raise ValueError("An account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):  # type: ignore[override]  # no username: email first
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):  # type: ignore[override]  # no username
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(None, email, password, **extra_fields)

    def get(self, *args: Any, **kwargs: Any) -> User:
        """``get``, with the account asked for by its id alone read by SQL written once per process:
        Django's authentication backends read the signed-in account this way on every request,
        and building the query through the ORM cost more CPU than running it (issue 21)."""
        pk = kwargs.get("pk")
        if args or len(kwargs) != 1 or type(pk) is not int or self._db is not None or not 0 < pk < 2**63:
            return super().get(*args, **kwargs)
        found = _account_by_id(pk=pk)
        if not found:
            raise self.model.DoesNotExist(f"{self.model._meta.object_name} matching query does not exist.")
        return found[0]


_account_by_id = Prepared(lambda pk: User.objects.all().filter(pk=pk)[:1], pk=int)


class User(AbstractUser):
    """A login. What the community knows of a person lives on their Membership."""

    # An account is its email address; names belong to memberships. Removing inherited fields
    # by setting them to None is Django's documented way, which the stubs do not model.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    preferred_language = models.CharField(_("language"), max_length=10, blank=True)
    # Counted up to end every session of the account at once (a sign-in with the duress password,
    # services/duress.py): each session carries a hash of the password and of this number.
    sessions_generation = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = AccountManager()  # type: ignore[misc]  # a manager without usernames

    def __str__(self) -> str:
        return self.email

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's hash of the password (sessions started before the password changed end), with
        the sessions' generation mixed in once it was counted up (sessions_end)."""
        if not self.sessions_generation:  # as Django has it: sessions from before stay valid
            return super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]  # Django's private hook
        return salted_hmac(
            "dualpower.members.User.sessions",
            f"{self.password}:{self.sessions_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Membership(models.Model):
    """A person's place in a community: their profile as the community sees it and their role.

    Kept when the person deletes their account (user becomes NULL, status FORMER and the
    display name "former member"), so shared records keep their author.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        COORDINATOR = "coordinator", _("Coordinator")
        OBSERVER = "observer", _("Observer")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        FORMER = "former", _("Former member")

    class Visibility(models.TextChoices):
        NOBODY = "nobody", _("Nobody")
        COORDINATORS = "coordinators", _("Coordinators")
        MEMBERS = "members", _("All members")

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships"
    )
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="memberships")
    display_name = models.CharField(_("display name"), max_length=80, help_text=_("A pseudonym is fine."))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    neighbourhood = models.CharField(
        _("neighbourhood"), max_length=80, blank=True, help_text=_("A neighbourhood, never an address.")
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    contact = models.CharField(_("contact details"), max_length=200, blank=True)
    contact_visibility = models.CharField(
        _("who can see my contact details"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.NOBODY,
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["display_name", "id"]
        # The member list by name, a page at a time by keyset (selectors.members_page).
        indexes = [models.Index(fields=["community", "status", "display_name", "id"], name="members_by_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(user__isnull=False),
                name="one_membership_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status="former", user__isnull=True) | Q(status="active", user__isnull=False),
                name="membership_active_has_account",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class RollCount(models.Model):
    """How many memberships ``community`` has in one role and status, kept by the database itself:
    triggers on the memberships (migration 0007) move the count inside the statement that adds,
    changes or removes a membership. "How many people", "how many vote" are then read from a few
    rows, never counted over a roll of 50,000 (selectors.roll_of)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    people = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "role", "status"], name="one_roll_count_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.role} {self.status}: {self.people}"


class Application(models.Model):
    """A request to join, answered with the community's own questions; decided by the community."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ADMITTED = "admitted", _("Admitted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="applications")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="applications")
    display_name = models.CharField(_("display name"), max_length=80)
    answers = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        "Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="decided_applications"
    )
    decision_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"], condition=Q(status="pending"), name="one_pending_application"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} → {self.community}"

    def answered_questions(self) -> list[tuple[str, str]]:
        """The community's questions next to this applicant's answers, for reading them together."""
        questions = list(self.community.application_questions or [])
        return [
            (questions[i] if i < len(questions) else "", answer)
            for i, answer in enumerate(self.answers or [])
        ]


class Trust(models.Model):
    """A member vouches for an applicant (Karrot's trust model)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="trust")
    given_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="trust_given")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "given_by"], name="trust_once")]

    def __str__(self) -> str:
        return f"{self.given_by} trusts {self.application}"


class RoleChange(models.Model):
    """The record of a decision granting or revoking a role: roles never change silently."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="role_changes")
    role_before = models.CharField(max_length=20, choices=Membership.Role.choices)
    role_after = models.CharField(max_length=20, choices=Membership.Role.choices)
    decided_by = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.CharField(max_length=500)
    decision_ref = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role_before=models.F("role_after")), name="role_change_changes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership}: {self.role_before} → {self.role_after}"


class AccessToken(models.Model):
    """A personal access token for scripts. Only a hash is stored; the token is shown once.

    Its scope says what it may do through the API: ``read`` only reads (GET, HEAD, OPTIONS),
    ``write`` does what its owner may do, except manage tokens and the account itself (that needs
    a signed-in session). Every token of a person is revoked when their password changes.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=80)
    scope = models.CharField(_("what it may do"), max_length=10, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditRedaction(models.Model):
    """The words to show instead of an audit entry's own, once a person it names has deleted their
    account. The entry itself is append-only (database triggers): it keeps its stored text, which
    no page, API or export shows any more; readers see this text (``members.audit_view``)."""

    entry = models.OneToOneField("community.AuditEntry", on_delete=models.PROTECT, related_name="redaction")
    summary = models.CharField(max_length=300, blank=True)
    # The entry's data with the name replaced, as JSON text; empty when its data named nobody.
    data = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"redaction of {self.entry_id}"
