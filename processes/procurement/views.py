"""Staff workbench pages of procurement (/workbench/procurement/): the tenders the user works on,
one tender's file (bids sealed until the deadline, P4; ranking; enquiries; complaints; contract, milestones
and payments) and the actions that are not queue steps. Queue steps (submit, pre-check, award
review, contract) are worked from the engine's task pages (/workbench/tasks/)."""
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from engine.cases.actions import task_complete
from engine.cases.errors import DomainError
from engine.cases.models import TaskRoute
from engine.directory import rights
from engine.ui.pages import CaseFileView, CaseListView, WorkbenchApplication, act_on, refusal_on_form

from . import selectors, services
from .enquiry_views import EnquiryListView, answered_message
from .flows import finance_for
from .forms import TenderDraftForm, criteria_text
from .models import CatalogueItem, Tender
from .services.catalogue import check_catalogue_authority, is_city_finance_user, is_finance_user

BADGES = {Tender.Status.COMPLETED: "ok", Tender.Status.DELIVERY: "ok", Tender.Status.STANDSTILL: "ok",
          Tender.Status.CONTRACTING: "ok", Tender.Status.FINANCE_PRECHECK: "warn", Tender.Status.AWARD_REVIEW: "warn",
          Tender.Status.CANCELLED: "bad", Tender.Status.UNSUCCESSFUL: "bad"}


class TenderListView(CaseListView):
    template_name = "procurement/workbench_list.html"
    statuses, badges = Tender.Status.choices, BADGES

    def cases(self):
        return (Tender.objects.filter(selectors.staff_scope(self.request.user)).select_related("department")
                .order_by("-created_at", "-pk"))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "can_create": bool(rights.department_ids(self.request.user, ("staff", "head")))}


class TenderCreateView(LoginRequiredMixin, View):
    """Department staff draft a tender; the service checks every rule and starts the flow (the
    draft then waits in the department's queue to be submitted to finance)."""

    def _form(self, request, data=None):
        if not rights.department_ids(request.user, ("staff", "head")):
            raise Http404(_("Only a clerk of a purchasing department may create a tender."))
        return TenderDraftForm(data, user=request.user)

    def get(self, request):
        return render(request, "procurement/workbench_create.html", {"form": self._form(request)})

    def post(self, request):
        form = self._form(request, request.POST)
        if form.is_valid():
            try:
                tender = services.tender_create(actor=request.user, **form.service_kwargs())
            except DomainError as exc:
                messages.error(request, str(exc.message))
                refusal_on_form(form, exc)
            else:
                messages.success(request, _("%(reference)s created; submit it for the finance pre-check from your tasks.") % {"reference": tender.reference})
                return redirect(tender)
        return render(request, "procurement/workbench_create.html", {"form": form})


def _same(field, new, old) -> bool:
    """Whether the form left a draft's field as it was (minutes for times, names and weights for
    criteria: the form shows no seconds and no criterion codes)."""
    if field in ("enquiry_end", "tender_end"):
        return new.replace(second=0, microsecond=0) == old.replace(second=0, microsecond=0)
    if field == "criteria":
        try:
            return [(c["name"], Decimal(str(c["weight"]))) for c in new] == [(c["name"], Decimal(str(c["weight"]))) for c in old]
        except (InvalidOperation, KeyError, TypeError):
            return False
    if field in ("amount", "price_weight"):
        try:
            return Decimal(str(new)) == old
        except InvalidOperation:
            return False
    return new == old


class TenderEditView(LoginRequiredMixin, View):
    """Department staff correct a draft (e.g. after finance returned it with reasons): the same
    form, and only what changed goes to ``tender_update`` (audited with before and after)."""

    def _tender(self, request, reference):
        tender = Tender.objects.filter(reference=reference, status=Tender.Status.DRAFT).select_related("budget_line").first()
        if tender is None or not rights.has_any_role(request.user, tender.department_id, ("staff", "head")):
            raise Http404(_("No such draft."))
        return tender

    def _form(self, request, tender, data=None):
        initial = {
            "name": tender.name, "description": tender.description, "budget_line": tender.budget_line_id,
            "method": tender.method, "amount": str(tender.amount), "recurring": tender.recurring,
            "enquiry_end": timezone.localtime(tender.enquiry_end).strftime("%Y-%m-%dT%H:%M"),
            "tender_end": timezone.localtime(tender.tender_end).strftime("%Y-%m-%dT%H:%M"),
            "criteria": criteria_text(tender.criteria), "price_weight": str(tender.price_weight),
            "experts": list(tender.experts.all()), "invitees": list(tender.invitees.all()),
        }
        return TenderDraftForm(data, user=request.user, initial=initial)

    def get(self, request, reference):
        tender = self._tender(request, reference)
        return render(request, "procurement/workbench_create.html", {"form": self._form(request, tender), "tender": tender})

    def post(self, request, reference):
        tender = self._tender(request, reference)
        form = self._form(request, tender, request.POST)
        if form.is_valid():
            new = form.service_kwargs()
            new.pop("department")
            experts, invitees = new.pop("experts"), new.pop("invitees")
            changes = {k: v for k, v in new.items() if not _same(k, v, getattr(tender, k))}
            if {e.pk for e in experts} != set(tender.experts.values_list("pk", flat=True)):
                changes["experts"] = experts
            if {o.pk for o in invitees} != set(tender.invitees.values_list("pk", flat=True)):
                changes["invitees"] = invitees
            try:
                services.tender_update(actor=request.user, tender_id=tender.pk, **changes)
            except DomainError as exc:
                messages.error(request, str(exc.message))
                refusal_on_form(form, exc)
            else:
                messages.success(request, _("The draft has been changed.") if changes else _("Nothing was changed."))
                return redirect(tender)
        return render(request, "procurement/workbench_create.html", {"form": form, "tender": tender})


class TenderDetailView(CaseFileView):
    not_found = gettext_lazy("No such tender.")

    def visible_cases(self, user):
        return Tender.objects.filter(selectors.staff_scope(user))

    def get(self, request, reference):
        tender = self.get_case(request, reference)
        user = request.user
        # P4: before the deadline not even how many bid
        bids = list(selectors.bids_visible_to(user, tender).order_by("rank", "submitted_at"))
        cache = {}
        history = selectors.performance_history({b.organization_id for b in bids})
        for bid in bids:
            bid.visible = selectors.may_see_bid_content(user, bid, cache)
            bid.history = history.get(bid.organization_id)
        contract = getattr(tender, "contract", None)
        is_department = rights.has_any_role(user, tender.department_id, ("staff", "reviewer", "head"))
        is_finance = rights.has_any_role(user, finance_for(tender.department).pk, ("reviewer", "head"))
        steps = TaskRoute.objects.filter(reference=tender.reference).select_related("department", "owner")
        works_on = bool(is_department or selectors.finance_department_ids(user) or user.is_superuser)
        if not works_on:
            # a panel expert sees their own scoring task, not who else is on the panel nor how far (P5)
            steps = steps.exclude(Q(node="score") & ~Q(owner=user))
        return render(request, "procurement/workbench_detail.html", {
            "tender": tender, "badge": BADGES.get(tender.status, ""), "bids": bids, "sealed": tender.sealed,
            "ranking": selectors.concluded_ranking(tender),
            "complaints": tender.complaints.select_related("organization"),
            "enquiries": tender.enquiries.select_related("organization", "answered_by", "tender"),
            "contract": contract,
            "milestones": contract.milestones.all() if contract else [],
            "payments": contract.payments.select_related("milestone") if contract else [],
            "steps": steps.order_by("created_at"),
            "score_task": TaskRoute.objects.open().filter(reference=tender.reference, node="score", owner=user).first(),
            "is_department": is_department,
            # each form only for the roles its service accepts: cancelling and planning milestones
            # are the preparer's (staff, head), the performance evaluation the approver's (reviewer, head)
            "is_preparer": rights.has_any_role(user, tender.department_id, ("staff", "head")),
            "is_approver": rights.has_any_role(user, tender.department_id, ("reviewer", "head")),
            "is_finance": is_finance,
        })

    def post(self, request, reference):
        tender = self.get_case(request, reference)
        post, user = request.POST, request.user
        work = {
            "cancel": lambda: services.tender_cancel(actor=user, tender_id=tender.pk, reason=post.get("reason", "")),
            "answer": lambda: services.complaint_answer(actor=user, complaint_id=post.get("complaint"), answer=post.get("text", "")),
            "uphold": lambda: services.complaint_decide(actor=user, complaint_id=post.get("complaint"), upheld=True, decision=post.get("text", "")),
            "dismiss": lambda: services.complaint_decide(actor=user, complaint_id=post.get("complaint"), upheld=False, decision=post.get("text", "")),
            "milestone": lambda: services.milestone_add(actor=user, tender_id=tender.pk, name=post.get("name", ""),
                                                        due_date=post.get("due_date", ""), amount=post.get("amount", "")),
            "accept": lambda: services.milestone_accept(actor=user, milestone_id=post.get("milestone")),
            "pay": lambda: services.payment_approve(actor=user, payment_id=post.get("payment")),
            "reject": lambda: services.payment_reject(actor=user, payment_id=post.get("payment"), reason=post.get("reason", "")),
            "evaluate": lambda: services.performance_evaluate(actor=user, tender_id=tender.pk, score=post.get("score", ""),
                                                              comment=post.get("comment", "")),
        }
        actions = {name: (call, _("Done.")) for name, call in work.items()}
        actions["answer_enquiry"] = (lambda: services.enquiry_answer(
            actor=user, enquiry_id=post.get("enquiry"), answer=post.get("answer", "")), answered_message)
        return act_on(request, actions)


class ScoreView(LoginRequiredMixin, View):
    """An expert's own score sheet for one tender (D3, P5): the conflict-of-interest declaration
    and a score per criterion for each valid bid, as a form rather than JSON. It completes the
    expert's own task through ``task_complete`` (the service checks everything); other experts'
    scores are never shown here."""

    def _route(self, request, reference):
        route = TaskRoute.objects.open().filter(reference=reference, node="score", owner=request.user).first()
        if route is None:
            raise Http404(_("You have no evaluation task for this tender."))
        return route

    def _render(self, request, route, post=None):
        tender = Tender.objects.select_related("department", "catalogue_item").get(reference=route.reference)
        own = rights.organization_ids(request.user)
        declared = {int(x) for x in (post.getlist("conflict") if post else []) if str(x).isdigit()}
        rows = []
        for bid in tender.bids.filter(withdrawn_at__isnull=True, valid=True).select_related("organization").order_by("submitted_at", "pk"):
            rows.append({
                "bid": bid, "own": bid.organization_id in own, "declared": bid.organization_id in declared,
                "comment": post.get(f"comment_{bid.pk}", "") if post else "",
                "criteria": [{**c, "value": post.get(f"score_{bid.pk}_{c['code']}", "") if post else ""}
                             for c in tender.criteria],
            })
        must_recuse = tender.conflicts_with(request.user)  # a party of the tender scores nothing (D3)
        return render(request, "procurement/workbench_score.html", {
            "tender": tender, "route": route, "rows": [] if must_recuse else rows, "must_recuse": must_recuse,
            "declaration": post.get("declaration", "") if post else "",
        })

    def get(self, request, reference):
        return self._render(request, self._route(request, reference))

    def post(self, request, reference):
        route, post = self._route(request, reference), request.POST
        tender = Tender.objects.get(reference=reference)
        if post.get("action") == "recuse":
            try:
                services.expert_recuse(actor=request.user, tender_id=tender.pk, statement=post.get("statement", ""))
            except DomainError as exc:
                messages.error(request, str(exc.message))
                return self._render(request, route, post)
            messages.success(request, _("Recusal declared; the head of the purchasing department will reassign the task."))
            return redirect(tender)
        conflicts = {int(x) for x in post.getlist("conflict") if str(x).isdigit()} | rights.organization_ids(request.user)
        sheets = [
            {"bid": bid.pk, "comment": post.get(f"comment_{bid.pk}", ""),
             "scores": {c["code"]: post.get(f"score_{bid.pk}_{c['code']}", "") for c in tender.criteria}}
            for bid in tender.bids.filter(withdrawn_at__isnull=True, valid=True)
            if bid.organization_id not in conflicts
        ]
        data = {"declaration": post.get("declaration", ""), "conflicts": sorted(conflicts), "sheets": sheets}
        try:
            task_complete(actor=request.user, task_id=route.pk, decision="submit", data=data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return self._render(request, route, post)
        messages.success(request, _("The scores have been submitted."))
        return redirect(tender)


class BudgetView(LoginRequiredMixin, View):
    """The guiding catalogue and budget lines; finance publishes items and imports files (P1)."""

    def get(self, request):
        lines = selectors.budget_lines_visible_to(request.user).order_by("-year", "department__code", "item__code")
        return render(request, "procurement/workbench_budget.html", {
            "items": CatalogueItem.objects.order_by("-year", "code")[:200],
            "lines": lines[:500], "is_finance": is_finance_user(request.user),
            "is_city_finance": is_city_finance_user(request.user),  # D1: the catalogue is the city's
        })

    def post(self, request):
        action, upload = request.POST.get("action"), request.FILES.get("file")
        try:
            if action == "publish":
                services.catalogue_item_publish(actor=request.user, item_id=request.POST.get("item"),
                                                published=request.POST.get("published") == "1")
                messages.success(request, _("The catalogue item's publication has been updated."))
            elif action in ("import_catalogue", "import_budget") and upload is not None:
                if action == "import_catalogue":
                    check_catalogue_authority(request.user)
                service = services.catalogue_import if action == "import_catalogue" else services.budget_import
                fmt = "csv" if upload.name.lower().endswith(".csv") else "xlsx"
                count = service(actor=request.user, content=upload.read(), fmt=fmt)
                messages.success(request, ngettext("%(count)s row imported.", "%(count)s rows imported.", count) % {"count": count})
            else:
                messages.error(request, _("Please choose a file."))
        except DomainError as exc:
            detail = _("; ").join(exc.fields.get("rows", [])) if exc.fields else ""
            messages.error(request, f"{exc.message}{detail}")
        return redirect(request.path)


class WorkbenchApp(WorkbenchApplication):
    """政府购买服务: tenders, bids, complaints, contracts and payments of the user's departments."""

    title = gettext_lazy("Government purchase of services")
    icon = "gavel"
    app_name = "procurement"
    menu_links = (
        ("procurement:index", "gavel", gettext_lazy("Tenders")),
        ("procurement:enquiries", "contact_support", gettext_lazy("Enquiries")),
        ("procurement:budget", "account_balance", gettext_lazy("Guiding catalogue and budgets")),
        ("tasks:queue", "inbox", gettext_lazy("Department task queue")),
    )

    index_path = path("", TenderListView.as_view(), name="index")
    create_path = path("new/", TenderCreateView.as_view(), name="create")
    edit_path = path("<str:reference>/edit/", TenderEditView.as_view(), name="edit")
    budget_path = path("budget/lines/", BudgetView.as_view(), name="budget")
    enquiries_path = path("enquiries/", EnquiryListView.as_view(), name="enquiries")
    detail_path = path("<str:reference>/", TenderDetailView.as_view(), name="detail")
    score_path = path("<str:reference>/score/", ScoreView.as_view(), name="score")
