"""The expert's score sheet page (D3, P5): a form instead of JSON, completing the expert's own
task through the services; other experts are not shown to an expert."""
import pytest
from django.utils import timezone

from engine.audit.models import AuditEvent
from engine.directory.models import OrganizationMember
from processes.procurement.models import ExpertDeclaration, ScoreSheet

pytestmark = pytest.mark.django_db


def _form(drive, expert, skip=(), plan="35", team="25", conflicts=()):
    data = {"declaration": "本人与各投标组织无利害关系。", "conflict": [str(o) for o in conflicts]}
    for bid in drive.bids:
        if bid.organization_id in skip:
            continue
        data[f"score_{bid.pk}_plan"], data[f"score_{bid.pk}_team"] = plan, team
        data[f"comment_{bid.pk}"] = "方案完整"
    return data


def test_expert_scores_every_bid_from_the_form(client, drive, people):
    drive.evaluation()
    ref = drive.tender.reference
    expert = people["experts"][0]
    with drive.at(drive.tender.tender_end + timezone.timedelta(hours=1)):
        client.force_login(expert)
        html = client.get(f"/workbench/procurement/{ref}/").content.decode()
        assert "填写专家评分表" in html
        # the panel's other members and their progress are not listed to an expert
        assert "p_expert1" not in html and html.count("专家评审打分") == 1
        # nor the engine's full case history, which this expert may not open anyway
        assert "办理记录与流程图" not in html
        assert client.get(f"/workbench/tasks/case/{ref}/").status_code in (403, 404)
        page = client.get(f"/workbench/procurement/{ref}/score/").content.decode()
        assert all(b.organization.name in page for b in drive.bids) and "方案0" in page and "服务方案" in page
        r = client.post(f"/workbench/procurement/{ref}/score/", _form(drive, expert), follow=True)
    assert r.status_code == 200 and "评分已提交" in r.content.decode()
    sheets = ScoreSheet.objects.filter(expert=expert)
    assert sheets.count() == 3 and {s.comment for s in sheets} == {"方案完整"}
    assert {s.technical_total for s in sheets} == {60}
    assert AuditEvent.objects.filter(reference=ref, actor=expert).exists()
    # done: the page is gone for this expert, and it never opens for someone without the task
    assert client.get(f"/workbench/procurement/{ref}/score/").status_code == 404
    client.force_login(people["staff"])
    assert client.get(f"/workbench/procurement/{ref}/score/").status_code == 404


def test_bad_score_keeps_what_was_typed_and_stores_nothing(client, drive, people):
    drive.evaluation()
    ref = drive.tender.reference
    expert = people["experts"][1]
    form = _form(drive, expert, plan="45")  # above the criterion's 40 points
    with drive.at(drive.tender.tender_end + timezone.timedelta(hours=1)):
        client.force_login(expert)
        r = client.post(f"/workbench/procurement/{ref}/score/", form)
    html = r.content.decode()
    assert r.status_code == 200 and "“服务方案”的分值须在0至40之间" in html and 'value="45"' in html
    assert not ScoreSheet.objects.exists() and not ExpertDeclaration.objects.exists()


def test_declared_conflict_is_left_out_of_the_sheet(client, drive, people):
    drive.evaluation()
    ref = drive.tender.reference
    expert = people["experts"][2]
    declared = people["orgs"][1].pk
    with drive.at(drive.tender.tender_end + timezone.timedelta(hours=1)):
        client.force_login(expert)
        form = _form(drive, expert, skip=(declared,), conflicts=(declared,))
        r = client.post(f"/workbench/procurement/{ref}/score/", form, follow=True)
    assert "评分已提交" in r.content.decode()
    assert declared not in ScoreSheet.objects.filter(expert=expert).values_list("bid__organization", flat=True)
    declaration = ExpertDeclaration.objects.get(expert=expert)
    assert set(declaration.conflicts.values_list("pk", flat=True)) == {declared}


def test_member_of_a_bidder_gets_no_score_sheet_only_the_recusal(client, drive, people):
    drive.evaluation()
    ref = drive.tender.reference
    expert = people["experts"][2]
    OrganizationMember.objects.create(organization=people["orgs"][0], user=expert)
    with drive.at(drive.tender.tender_end + timezone.timedelta(hours=1)):
        client.force_login(expert)
        page = client.get(f"/workbench/procurement/{ref}/score/").content.decode()
        assert "须回避本项目的评审" in page and 'id="score-form"' not in page
        # posting score fields anyway is refused and stores nothing
        r = client.post(f"/workbench/procurement/{ref}/score/", _form(drive, expert), follow=True)
        assert "利益冲突回避" in r.content.decode()
        assert not ScoreSheet.objects.exists() and not ExpertDeclaration.objects.exists()
        r = client.post(f"/workbench/procurement/{ref}/score/", {"action": "recuse", "statement": "本人系投标组织成员。"},
                        follow=True)
    assert "已声明回避" in r.content.decode()
    declaration = ExpertDeclaration.objects.get(expert=expert)
    assert declaration.recused and not ScoreSheet.objects.exists()
    assert AuditEvent.objects.filter(reference=ref, action="procurement.score.recuse").count() == 1
