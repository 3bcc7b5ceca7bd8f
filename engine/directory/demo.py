"""Demo people and organizations: an account for every role, used by ``setup_demo``."""
from django.conf import settings
from django.contrib.auth import get_user_model

from .models import Department, District, Membership, Organization, OrganizationMember, Role
from .validators import uscc_check_char

# username, full name, department code (None for city-wide), role
DEMO_STAFF = [
    ("mca_staff", "王敏（市民政局经办）", "mca", Role.STAFF),
    ("mca_reviewer", "李强（市民政局审核）", "mca", Role.REVIEWER),
    ("mca_head", "张华（市民政局负责人）", "mca", Role.HEAD),
    ("fin_staff", "赵磊（市财政局经办）", "fin", Role.STAFF),
    ("fin_reviewer", "刘洋（市财政局审核）", "fin", Role.REVIEWER),
    ("fin_head", "陈静（市财政局负责人）", "fin", Role.HEAD),
    ("civ_staff", "杨帆（市文明办经办）", "civ", Role.STAFF),
    ("civ_head", "黄丽（市文明办负责人）", "civ", Role.HEAD),
    ("cyl_staff", "周杰（团市委经办）", "cyl", Role.STAFF),
    ("edu_staff", "吴婷（市教育局经办）", "edu", Role.STAFF),
    ("jinshui_mca_staff", "郑伟（金水区民政局经办）", "mca-jinshui", Role.STAFF),
    ("jinshui_mca_reviewer", "孙悦（金水区民政局审核）", "mca-jinshui", Role.REVIEWER),
    ("jinshui_mca_head", "马超（金水区民政局负责人）", "mca-jinshui", Role.HEAD),
    ("jinshui_fin_reviewer", "朱琳（金水区财政局审核）", "fin-jinshui", Role.REVIEWER),
    ("erqi_mca_staff", "胡斌（二七区民政局经办）", "mca-erqi", Role.STAFF),
    ("base_staff", "林芳（市孵化基地工作人员）", "base-city", Role.STAFF),
    ("base_reviewer", "何军（市孵化基地审核）", "base-city", Role.REVIEWER),
    ("base_head", "高远（市孵化基地负责人）", "base-city", Role.HEAD),
    ("expert1", "罗教授（评审专家）", None, Role.EXPERT),
    ("expert2", "梁研究员（评审专家）", None, Role.EXPERT),
    ("expert3", "宋律师（评审专家）", None, Role.EXPERT),
    # a fourth expert: expert2 is a member of the first organization (D3), so its application
    # still finds the three experts free of conflicts that expert review needs (I2)
    ("expert4", "韩工程师（评审专家）", None, Role.EXPERT),
    ("leader", "郭主任（市领导）", None, Role.LEADER),
]

# name, organization code part (9 chars) or None if not yet registered, district, supervisor
DEMO_ORGANIZATIONS = [
    ("郑州市金水区阳光志愿者协会", "MJ0000001", "jinshui", "mca-jinshui"),
    ("郑州市绿城青年志愿服务中心", "MJ0000002", "zhongyuan", "cyl"),
    ("二七区邻里互助志愿服务队", None, "erqi", "mca-erqi"),
]

# username, full name, organization index
DEMO_ORG_USERS = [
    ("org_sunshine", "钱多多（阳光志愿者协会）", 0),
    ("org_green", "冯晓（绿城青年志愿服务中心）", 1),
    ("org_neighbour", "褚明（邻里互助志愿服务队）", 2),
]

DEMO_VOLUNTEERS = [("vol_li", "李小萌"), ("vol_wang", "王大力"), ("stu_zhou", "周子涵")]

# a school under the education bureau (seed 五(一)) and its volunteering coordinator
DEMO_SCHOOLS = [("school-zz1", "郑州市第一中学")]
DEMO_SCHOOL_USERS = [("school_zz1", "曹老师（郑州一中志愿服务负责老师）", "school-zz1")]


def demo_uscc(org_code: str, region: str = "410105") -> str:
    first17 = "52" + region + org_code
    return first17 + uscc_check_char(first17)


def load(stdout=None):
    """Create or refresh the demo accounts; safe to run again."""
    User = get_user_model()
    password = settings.DEMO_PASSWORD

    def user(username, full_name):
        u, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            u.set_password(password)
            u.save()
        return u

    admin, created = User.objects.get_or_create(
        username="admin", defaults={"full_name": "系统管理员", "is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(password)
        admin.save()

    for username, full_name, dept_code, role in DEMO_STAFF:
        u = user(username, full_name)
        dept = Department.objects.get(code=dept_code) if dept_code else None
        Membership.objects.get_or_create(user=u, department=dept, role=role)

    edu = Department.objects.get(code="edu")
    for code, name in DEMO_SCHOOLS:
        Department.objects.get_or_create(code=code, defaults={"name": name, "kind": Department.Kind.SCHOOL, "parent": edu})
    for username, full_name, school in DEMO_SCHOOL_USERS:
        Membership.objects.get_or_create(user=user(username, full_name), department=Department.objects.get(code=school),
                                         role=Role.SCHOOL)

    orgs = []
    for name, code, district, supervisor in DEMO_ORGANIZATIONS:
        org, _ = Organization.objects.get_or_create(
            name=name,
            defaults={
                "uscc": demo_uscc(code) if code else None,
                "registered": bool(code),
                "district": District.objects.get(code=district),
                "supervising_department": Department.objects.get(code=supervisor),
                "contact_person": "联系人",
            },
        )
        orgs.append(org)
    for username, full_name, index in DEMO_ORG_USERS:
        u = user(username, full_name)
        OrganizationMember.objects.get_or_create(
            organization=orgs[index], user=u, defaults={"role": OrganizationMember.Role.MANAGER}
        )
    # expert2 belongs to the first organization: the separation-of-duties rule (D3) bites there.
    OrganizationMember.objects.get_or_create(organization=orgs[0], user=User.objects.get(username="expert2"))
    for username, full_name in DEMO_VOLUNTEERS:
        user(username, full_name)
    return {
        "accounts": ["admin"] + [s[0] for s in DEMO_STAFF] + [u[0] for u in DEMO_SCHOOL_USERS]
        + [u[0] for u in DEMO_ORG_USERS] + [v[0] for v in DEMO_VOLUNTEERS],
        "password": password,
    }
