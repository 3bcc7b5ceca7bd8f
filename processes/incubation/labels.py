"""Chinese names of this process's audit actions, for case histories."""
ACTIONS = {
    "incubation.create": "新建入驻申请",
    "incubation.update": "修改申请材料",
    "incubation.submit": "提交申请",
    "incubation.withdraw": "撤回申请",
    "incubation.admit": "获得入驻名额",
    "incubation.agreement.accept": "组织确认入驻协议",
    "incubation.graduation.start": "开始出壳评估",
    "incubation.graduation.self_evaluation": "提交自评材料",
    "incubation.graduation.missed": "未参加出壳评估，按退出处理",
    "incubation.midterm.start": "开始中期评估",
    "incubation.milestone.record": "记录孵化节点",
    "incubation.nomination.create": "推荐",
    "incubation.nomination.decide": "民政局审定推荐",
    "incubation.score.overdue": "专家评分逾期",
    "incubation.base_settings.change": "修改基地设置",
    "organization.registered": "组织完成登记",
}
