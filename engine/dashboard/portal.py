"""The organization's figures as a card in the portal (hook ``portal_section``)."""
from django.template.loader import render_to_string

from engine.directory import rights


def portal_section(request):
    if not rights.organization_ids(request.user):
        return ""
    return render_to_string("dashboard/_portal_card.html", request=request)
