"""Departments with levels and parents, their roles, organizations and users (DOMAIN "Departments")."""
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import mask_phone, validate_uscc


class User(AbstractUser):
    """A person who signs in: department staff, expert, organization member or volunteer."""

    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

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

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    resident_population = models.PositiveIntegerField(
        _("常住人口"), default=0, help_text=_("由管理员按最新统计公报更新。")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = CodeManager()

    class Meta:
        verbose_name = _("县（市、区）")
        verbose_name_plural = _("县（市、区）")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class Department(models.Model):
    """A body that owns queues: one of the ten city bodies, a district counterpart or a base."""

    class Level(models.TextChoices):
        CITY = "city", _("市级")
        DISTRICT = "district", _("县（市、区）级")

    class Kind(models.TextChoices):
        MCA = "mca", _("民政局")
        ORG = "org", _("市委组织部")
        PUB = "pub", _("市委宣传部")
        CDG = "cdg", _("城乡社区发展治理委员会")
        CIV = "civ", _("文明办")
        FIN = "fin", _("财政局")
        EDU = "edu", _("教育局")
        FTU = "ftu", _("总工会")
        CYL = "cyl", _("团市委")
        WF = "wf", _("妇联")
        INCUBATION_BASE = "incubation_base", _("社会组织孵化基地")

    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类别"), max_length=32, choices=Kind.choices, db_index=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, default=Level.CITY)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级部门"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    district = models.ForeignKey(
        District, verbose_name=_("所属区县"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="departments",
    )
    capacity = models.PositiveIntegerField(
        _("孵化容量"), null=True, blank=True, help_text=_("仅孵化基地：同时在孵组织的上限。")
    )
    contact = models.CharField(_("联系方式"), max_length=128, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = CodeManager()

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["level", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="incubation_base") | models.Q(capacity__isnull=False),
                name="department_base_has_capacity",
                violation_error_message=_("孵化基地必须填写孵化容量。"),
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

    STAFF = "staff", _("经办人")
    REVIEWER = "reviewer", _("审核人")
    HEAD = "head", _("负责人")
    EXPERT = "expert", _("评审专家")
    LEADER = "leader", _("市领导")


DEPARTMENT_ROLES = (Role.STAFF, Role.REVIEWER, Role.HEAD)


class Membership(models.Model):
    """A user holds a role in a department; experts and city leaders hold theirs city-wide."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
        related_name="memberships",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("部门角色")
        verbose_name_plural = _("部门角色")
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
                violation_error_message=_("经办人、审核人、负责人必须属于某个部门。"),
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
        ACTIVE = "active", _("正常")
        MERGED = "merged", _("已合并")
        DISSOLVED = "dissolved", _("已注销")

    name = models.CharField(_("组织名称"), max_length=128, unique=True)
    uscc = models.CharField(
        _("统一社会信用代码"), max_length=18, null=True, blank=True, unique=True,
        validators=[validate_uscc],
        help_text=_("已登记的组织必填；尚未登记的组织留空。"),
    )
    registered = models.BooleanField(_("已登记"), default=False)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    successor = models.ForeignKey(
        "self", verbose_name=_("承接单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="predecessors", help_text=_("合并或注销后承接其工作的组织。"),
    )
    supervising_department = models.ForeignKey(
        Department, verbose_name=_("业务主管部门"), on_delete=models.PROTECT,
        related_name="supervised_organizations",
    )
    district = models.ForeignKey(
        District, verbose_name=_("所在区县"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="organizations",
    )
    fiscal_funded = models.BooleanField(
        _("财政拨款保障的群团组织"), default=False,
        help_text=_("此类组织不得作为政府购买服务的承接主体。"),
    )
    good_standing = models.BooleanField(_("信用良好"), default=True)
    contact_person = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganizationMember", related_name="organizations",
        verbose_name=_("成员"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = _("志愿服务组织")
        verbose_name_plural = _("志愿服务组织")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registered=False) | models.Q(uscc__isnull=False),
                name="organization_registered_has_uscc",
                violation_error_message=_("已登记的组织必须填写统一社会信用代码。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(successor__isnull=False),
                name="organization_merged_has_successor",
                violation_error_message=_("已合并的组织必须指定承接单位。"),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.uscc:
            self.uscc = self.uscc.strip().upper()
        if self.registered and not self.uscc:
            raise ValidationError({"uscc": _("已登记的组织必须填写统一社会信用代码。")})
        if self.status == self.Status.MERGED and not self.successor_id:
            raise ValidationError({"successor": _("已合并的组织必须指定承接单位。")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("承接单位不能是组织自身。")})

    @property
    def is_active(self):
        return self.status == self.Status.ACTIVE


class OrganizationMember(models.Model):
    """A user acting for an organization (its manager or a member)."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("负责人")
        MEMBER = "member", _("成员")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, verbose_name=_("组织"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("组织成员")
        verbose_name_plural = _("组织成员")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="organization_member_unique")
        ]
