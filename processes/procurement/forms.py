"""The staff form for drafting a tender (department staff, DOMAIN "Tender lifecycle": draft).

It only gathers input: every rule (catalogue and budget line, periods per method P3, criteria
and weights P5, panel, invitees P2/P3) is checked by ``services.tender_create``. The budget line
fixes the catalogue item, so the form asks for the line only.
"""
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from engine.directory import rights
from engine.directory.models import Organization, Role
from engine.formatting import money

from . import conf
from .models import BudgetLine


def criteria_text(criteria) -> str:
    return "\n".join(f"{c['name']} {c['weight']}" for c in criteria)


def parse_criteria(text: str) -> list:
    """One criterion a line, "名称 权重" (the weight last); codes c1, c2… for the score sheets."""
    rows = []
    for n, line in enumerate((line.strip() for line in (text or "").splitlines() if line.strip()), 1):
        name, _sep, weight = line.rpartition(" ")
        rows.append({"code": f"c{n}", "name": name.strip() or line, "weight": weight if name else ""})
    return rows


class TenderDraftForm(forms.Form):
    name = forms.CharField(label=_("Project name"), max_length=200)
    description = forms.CharField(label=_("Project description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    budget_line = forms.ModelChoiceField(label=_("Budget line (fixes the catalogue item)"), queryset=BudgetLine.objects.none())
    method = forms.ChoiceField(label=_("Procurement method"), choices=conf.METHOD_CHOICES)
    amount = forms.CharField(label=_("Budget (price ceiling, yuan)"))
    recurring = forms.BooleanField(label=_("Stable recurring service (contract of up to three years)"), required=False)
    enquiry_end = forms.DateTimeField(label=_("End of enquiries"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    tender_end = forms.DateTimeField(label=_("Bidding deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    criteria = forms.CharField(label=_("Technical criteria (one “name points” a line)"), widget=forms.Textarea(attrs={"rows": 3}))
    price_weight = forms.CharField(label=_("Price points"))
    experts = forms.ModelMultipleChoiceField(label=pgettext_lazy("procurement", "Experts"), queryset=get_user_model().objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    invitees = forms.ModelMultipleChoiceField(label=_("Invited organizations (invited tender and single source only)"), required=False,
                                              queryset=Organization.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = rights.department_ids(user, (Role.STAFF, Role.HEAD))
        lines = BudgetLine.objects.filter(department_id__in=departments).select_related("department", "item")
        self.fields["budget_line"].queryset = lines.order_by("-year", "item__code")
        self.fields["budget_line"].label_from_instance = lambda line: (
            gettext("%(year)s %(code)s %(item)s · %(department)s · %(available)s available") % {
                "year": line.year, "code": line.item.code, "item": line.item.name, "department": line.department.name,
                "available": money(line.available)}
        )
        self.fields["experts"].queryset = (get_user_model().objects.filter(memberships__role=Role.EXPERT)
                                           .distinct().order_by("username"))
        self.fields["experts"].label_from_instance = lambda u: getattr(u, "display_name", None) or u.username
        self.fields["invitees"].queryset = Organization.objects.filter(
            status=Organization.Status.ACTIVE, registered=True, good_standing=True, fiscal_funded=False,
        ).order_by("name")
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("criteria", criteria_text(conf.default_criteria()))
            self.initial.setdefault("price_weight", str(conf.default_price_weight()))
            self.initial.setdefault("enquiry_end", (now + timezone.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"))
            self.initial.setdefault("tender_end", (now + timezone.timedelta(days=25)).strftime("%Y-%m-%dT%H:%M"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        line = data["budget_line"]
        return {
            "department": line.department, "name": data["name"], "description": data["description"],
            "catalogue_item": line.item, "budget_line": line, "method": data["method"], "amount": data["amount"],
            "recurring": data["recurring"], "enquiry_end": data["enquiry_end"], "tender_end": data["tender_end"],
            "criteria": parse_criteria(data["criteria"]), "price_weight": data["price_weight"],
            "experts": list(data["experts"]), "invitees": list(data["invitees"]),
        }
