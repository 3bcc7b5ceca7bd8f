"""Departments with levels and parents, their roles, organizations and users (DOMAIN "Departments")."""
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .validators import mask_phone, validate_uscc


class User(AbstractUser):
    """A person who signs in: department staff, expert, organization member or volunteer."""

    full_name = models.CharField(_("Full name"), max_length=64, blank=True)
    phone = models.CharField(_("Mobile number"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("User")
        verbose_name_plural = _("User")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        """Chinese names are one string; the workbench header shows it instead of the login."""
        return self.full_name or super().get_full_name()

    @property
    def display_name(self):
        return self.get_full_name() or self.username

    @property
    def masked_phone(self):
        return mask_phone(self.phone)


class CodeManager(models.Manager):
    """Look rows up by their stable code, so fixtures can name parents by code."""

    def get_by_natural_key(self, code):
        return self.get(code=code)


class District(models.Model):
    """A county-level division of Zhengzhou; population feeds the 15% goal (seed 一(三))."""

    code = models.SlugField(_("Code"), max_length=32, unique=True)
    name = models.CharField(_("Name"), max_length=32, unique=True)
    resident_population = models.PositiveIntegerField(
        _("Resident population"), default=0, help_text=_("Updated by the administrator from the latest statistical bulletin.")
    )
    sort_order = models.PositiveSmallIntegerField(_("Sort order"), default=0)

    objects = CodeManager()

    class Meta:
        verbose_name = _("County (city, district)")
        verbose_name_plural = _("County (city, district)")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Department(models.Model):
    """A body that owns queues: one of the ten city bodies, a district counterpart or a base."""

    class Level(models.TextChoices):
        CITY = "city", _("City level")
        DISTRICT = "district", _("County (city, district) level")

    class Kind(models.TextChoices):
        MCA = "mca", _("Civil Affairs Bureau")
        ORG = "org", _("Municipal Party Committee Organization Department")
        PUB = "pub", _("Municipal Party Committee Publicity Department")
        CDG = "cdg", _("Urban and Rural Community Development and Governance Committee")
        CIV = "civ", _("Civilization Office")
        FIN = "fin", _("Finance Bureau")
        EDU = "edu", _("Education Bureau")
        FTU = "ftu", _("Federation of Trade Unions")
        CYL = "cyl", _("Communist Youth League Municipal Committee")
        WF = "wf", _("Women's Federation")
        SCHOOL = "school", _("School")
        INCUBATION_BASE = "incubation_base", _("Social organization incubation base")

    code = models.SlugField(_("Code"), max_length=64, unique=True)
    name = models.CharField(_("Name"), max_length=128)
    kind = models.CharField(_("Kind"), max_length=32, choices=Kind.choices, db_index=True)
    level = models.CharField(_("Level"), max_length=16, choices=Level.choices, default=Level.CITY)
    parent = models.ForeignKey(
        "self", verbose_name=_("Parent department"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    district = models.ForeignKey(
        District, verbose_name=_("District"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="departments",
    )
    capacity = models.PositiveIntegerField(
        _("Incubation capacity"), null=True, blank=True, help_text=_("Incubation bases only: the most organizations incubated at the same time.")
    )
    contact = models.CharField(_("Contact"), max_length=128, blank=True)
    is_active = models.BooleanField(_("Enabled"), default=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("Department")
        verbose_name_plural = _("Department")
        ordering = ["level", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="incubation_base") | models.Q(capacity__isnull=False),
                name="department_base_has_capacity",
                violation_error_message=_("An incubation base needs an incubation capacity."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def ancestors(self):
        """Parents from the nearest upward (escalation path, D2)."""
        node, seen = self.parent, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            yield node
            node = node.parent


class Role(models.TextChoices):
    """Department roles (staff, reviewer, head) and the two cross-department ones."""

    STAFF = "staff", _("Staff")
    REVIEWER = "reviewer", _("Reviewer")
    HEAD = "head", _("Head")
    EXPERT = "expert", _("Expert reviewer")
    LEADER = "leader", _("City leader")
    # a school's teacher in charge of student volunteering: sees that school's consenting
    # students' approved hours and nothing of any department's work (seed 五(一))
    SCHOOL = "school", _("School volunteering coordinator")


DEPARTMENT_ROLES = (Role.STAFF, Role.REVIEWER, Role.HEAD)


class Membership(models.Model):
    """A user holds a role in a department; experts and city leaders hold theirs city-wide."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("User"), on_delete=models.CASCADE,
        related_name="memberships",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("Department"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("Role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("Department role")
        verbose_name_plural = _("Department role")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "department", "role"], name="membership_unique",
                condition=models.Q(department__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role"], name="membership_unique_citywide",
                condition=models.Q(department__isnull=True),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["expert", "leader"]) | models.Q(department__isnull=False),
                name="membership_department_role_needs_department",
                violation_error_message=_("Staff, reviewers and heads must belong to a department."),
            ),
        ]
        indexes = [models.Index(fields=["department", "role"])]

    def __str__(self):
        return f"{self.user} · {self.department or ''} · {self.get_role_display()}"


class OrganizationManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Organization(models.Model):
    """A volunteer-service organization (志愿服务组织), registered or not yet registered."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        MERGED = "merged", _("Merged")
        DISSOLVED = "dissolved", _("Dissolved")

    name = models.CharField(_("Organization name"), max_length=128, unique=True)
    uscc = models.CharField(
        _("Unified social credit code"), max_length=18, null=True, blank=True, unique=True,
        validators=[validate_uscc],
        help_text=_("Required for registered organizations; leave empty for those not yet registered."),
    )
    registered = models.BooleanField(_("Registered"), default=False)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    successor = models.ForeignKey(
        "self", verbose_name=_("Successor organization"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="predecessors", help_text=_("The organization that takes over its work after a merger or dissolution."),
    )
    supervising_department = models.ForeignKey(
        Department, verbose_name=_("Supervising department"), on_delete=models.PROTECT,
        related_name="supervised_organizations",
    )
    district = models.ForeignKey(
        District, verbose_name=_("Located in district"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="organizations",
    )
    fiscal_funded = models.BooleanField(
        _("Fiscally funded people's organization"), default=False,
        help_text=_("Such organizations may not be contractors of government-purchased services."),
    )
    good_standing = models.BooleanField(_("In good standing"), default=True)
    contact_person = models.CharField(_("Contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("Contact phone"), max_length=20, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganizationMember", related_name="organizations",
        verbose_name=_("Members"),
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("Volunteer service organization")
        verbose_name_plural = _("Volunteer service organization")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registered=False) | models.Q(uscc__isnull=False),
                name="organization_registered_has_uscc",
                violation_error_message=_("A registered organization needs a unified social credit code."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(successor__isnull=False),
                name="organization_merged_has_successor",
                violation_error_message=_("A merged organization needs a successor organization."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    def clean(self):
        if self.uscc:
            self.uscc = self.uscc.strip().upper()
        if self.registered and not self.uscc:
            raise ValidationError({"uscc": _("A registered organization needs a unified social credit code.")})
        if self.status == self.Status.MERGED and not self.successor_id:
            raise ValidationError({"successor": _("A merged organization needs a successor organization.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("An organization cannot be its own successor.")})

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class OrganizationMember(models.Model):
    """A user acting for an organization (its manager or a member)."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        MEMBER = "member", _("Member")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, verbose_name=_("Organization"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("User"))
    role = models.CharField(_("Role"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("Organization member")
        verbose_name_plural = _("Organization member")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="organization_member_unique")
        ]

    def __str__(self):
        return gettext("%(user)s of %(organization)s") % {"user": self.user, "organization": self.organization}
