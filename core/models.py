import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)  # a field, not the base class flag
    is_staff = models.BooleanField("Django admin access", default=False)
    is_demo = models.BooleanField(default=False, help_text="Created by the local demo set-up")
    date_joined = models.DateTimeField(default=timezone.now)
    sign_in_generation = models.PositiveIntegerField(
        default=0, help_text="Raised to end every session the person has open (see get_session_auth_hash)"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]  # no fields beyond e-mail and password

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django ends every session whose stored hash no longer matches this one, at the session's next request.

        The password alone decides it in Django; the generation lets an admin end someone's sessions without
        touching their password (deactivation, a two-factor reset). Generation 0 keeps Django's own hash, so
        adding it signed nobody out.
        """
        password_hash: str = super()._get_session_auth_hash(secret=secret)  # type: ignore[misc]
        if not self.sign_in_generation:
            return password_hash
        return salted_hmac(
            "core.User.sign_in_generation",
            f"{password_hash}:{self.sign_in_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


def new_board_version() -> str:
    return uuid.uuid4().hex


class Partnership(models.Model):
    """A local area SEND partnership: the council area and its partners."""

    name = models.CharField(max_length=150, unique=True)
    short_name = models.CharField(max_length=80)
    ons_code = models.CharField("ONS code", max_length=9, unique=True, help_text="For example E06000033")
    region = models.CharField(max_length=80)
    has_demo_data = models.BooleanField(
        default=False, help_text="Holds sample history made by the local demo set-up; every page says so"
    )
    # Names what the partnership's board and public pages show, so that a drawing of them can be kept
    # (dashboards.pagecache, public.pagecache). Each change the board sees gives a new one in the change's own
    # transaction (core.audit.board_changed); what the public pages show is a part of it.
    board_version = models.CharField(max_length=32, default=new_board_version, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", "Council"
        ICB = "icb", "Integrated care board"
        NHS_TRUST = "nhs_trust", "NHS trust"
        PARENT_CARER_FORUM = "parent_carer_forum", "Parent carer forum"
        SCHOOL = "school", "School or setting"
        VOLUNTARY = "voluntary", "Voluntary sector"
        OTHER_PUBLIC = "other_public", "Other public body"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(
        default=True,
        help_text="A deactivated organisation is kept for its history; no one is given a role in it",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="organisation_name_unique_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OFFICER = "officer", "Officer"
    LEAD = "lead", "Recommendation lead"
    BOARD = "board", "Board member"
    DEMOCRATIC = "democratic", "Democratic services"
    ADMIN = "admin", "Partnership admin"


class Membership(models.Model):
    """What a user does in one partnership, on behalf of one of its organisations."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["partnership__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership", "role"], name="one_membership_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"


class AuditEvent(models.Model):
    """Append-only record of a change: who, when, what, and the values before and after."""

    class Verb(models.TextChoices):
        """What was done, from a fixed set; the action history reads the value in its sentences."""

        ACCEPTED = "accepted"
        ADDED_TO_THE_PLAN = "added to the plan"
        AGREE = "agree"
        APPROVED = "approved"
        ARCHIVED = "archived"
        ASKED_FOR_A_PASSWORD_RESET = "asked for a password reset"
        BUILD = "build"
        CANCELLED = "cancelled"
        CHANGED_MITIGATING_ACTIONS = "changed mitigating actions"
        CHANGED_RELATIONS = "changed relations"
        CHANGED_ROLES = "changed roles"
        CHOSE_WHAT_IS_PUBLIC = "chose what is public"
        CLOSED = "closed"
        COMPLETED = "completed"
        CORRECTED = "corrected"
        CREATED = "created"
        DEACTIVATED = "deactivated"
        DOWNLOAD = "download"
        DRAFT = "draft"
        ERASED_PERSONAL_DATA = "erased personal data"
        ESCALATED = "escalated"
        EXPORTED_CSV = "exported csv"
        EXPORTED_XLSX = "exported xlsx"
        FAIL = "fail"
        IMPORTED = "imported"
        JOINED_BY_SINGLE_SIGN_ON = "joined by single sign-on"
        OPENED = "opened"
        PUBLISHED = "published"
        QUERIED = "queried"
        REACTIVATED = "reactivated"
        RECEIVED = "received"
        RECORDED = "recorded"
        REDRAFT = "redraft"
        REMOVED = "removed"
        REMOVED_EVIDENCE = "removed evidence"
        RENAMED = "renamed"
        REOPENED = "reopened"
        REORDERED_APPENDICES = "reordered appendices"
        REPLACED = "replaced"
        REPLIED = "replied"
        REQUEST = "request"
        REQUEUE = "requeue"
        RESCORED = "rescored"
        RESET_TWO_FACTOR_SIGN_IN = "reset two-factor sign-in"
        RETRY = "retry"
        RETURNED = "returned"
        REVIEW_REMINDER = "review reminder"
        REVOKED = "revoked"
        RE_PLANNED = "re-planned"
        SENT_AGAIN = "sent again"
        SET_UP_TWO_FACTOR_SIGN_IN = "set up two-factor sign-in"
        SIGNED_IN_BY_SINGLE_SIGN_ON = "signed in by single sign-on"
        SUBMITTED = "submitted"
        SUPERSEDE = "supersede"
        UNLOCKED_SIGN_IN = "unlocked sign-in"
        UPDATED = "updated"
        UPDATED_SECTIONS = "updated sections"
        USED_A_RECOVERY_CODE = "used a recovery code"
        VERIFIED = "verified"
        WITHDREW = "withdrew"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    verb = models.CharField(max_length=40, choices=Verb.choices)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.verb} {self.object_repr}"


class OutboxJob(models.Model):
    """A background job (an e-mail) recorded in the same transaction as the change that causes it.

    It is queued once the change commits; if the broker is down then, it waits here and is queued when the broker
    returns, so a lead's "update submitted" e-mail is late rather than lost.
    """

    task_name = models.CharField(max_length=100)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(queued_at__isnull=True), name="outbox_waiting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name}({self.kwargs})"
