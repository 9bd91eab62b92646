"""Portal users: the email address is the login; each user picks English or Arabic."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person with a login. Site administrators are superusers; coordinators have the flag."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    is_coordinator = models.BooleanField(
        _("coordinator"),
        default=False,
        help_text=_("Cluster team and Ministry of Health co-chair: approves and validates."),
    )
    erased_at = models.DateTimeField(
        _("personal data erased at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The person deleted their account: their name and address are gone, the records "
            "they worked on stay, attributed to a former member."
        ),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])
    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name other people see; a deleted account shows as a former member."""
        if self.erased_at is not None:
            return gettext("Former member")
        return self.full_name or self.email

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_site_admin(self) -> bool:
        return self.is_superuser

    @property
    def has_privileged_role(self) -> bool:
        """Coordinators, site administrators and anyone else with the Django admin: they reach
        every organisation's data, so they are held to two-factor authentication
        (``accounts.mfa``) and to a shorter idle session (``accounts.middleware``)."""
        return self.is_coordinator or self.is_superuser or self.is_staff

    @property
    def is_cluster_coordinator(self) -> bool:
        """Coordinators act on the cluster's workflows; site administrators may too."""
        return self.is_active and (self.is_coordinator or self.is_superuser)
