"""The notification centre, in the staff workbench and in the portal: the list with its
filters, marking read, and each user's preferences; and the language switch, which also
records a signed-in user's choice for what is sent to them."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView
from django.views.i18n import set_language as django_set_language

from . import selectors, services
from .kinds import CATEGORIES, CHANNELS, channels_for, kind_label

PAGE_SIZE = 20
PREFERENCES_TITLE = gettext_lazy("Delivery preferences")


class Audience:
    """Which side a page is on: the workbench (staff) or the portal."""

    audience = selectors.PORTAL
    url_names = {
        selectors.STAFF: {"list": "tasks:notifications", "read": "tasks:notifications-read",
                          "preferences": "tasks:notification-preferences"},
        selectors.PORTAL: {"list": "portal-notifications:index", "read": "portal-notifications:read",
                           "preferences": "portal-notifications:preferences"},
    }

    def url(self, name):
        return reverse(self.url_names[self.audience][name])


class NotificationListView(Audience, LoginRequiredMixin, TemplateView):
    """The user's notifications, newest first: unread or all, of one kind, a page at a time."""

    templates = {selectors.STAFF: "notifications/workbench_list.html",
                 selectors.PORTAL: "notifications/portal_list.html"}

    def get_template_names(self):
        return [self.templates[self.audience]]

    def get_context_data(self, **kwargs):
        params = self.request.GET
        show = "unread" if params.get("show") == "unread" else "all"
        category = params.get("kind", "") if params.get("kind", "") in CATEGORIES else ""
        qs = selectors.notifications_of(self.request.user, unread=show == "unread", category=category)
        page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
        for n in page:
            n.target = selectors.target(n, self.audience)
            n.kind_label = kind_label(n.kind)
        query = {"show": show, "kind": category}
        return {**super().get_context_data(**kwargs), "page_obj": page, "show": show, "kind": category,
                "categories": CATEGORIES.items(), "query": "&".join(f"{k}={v}" for k, v in query.items() if v),
                "list_url": self.url("list"), "read_url": self.url("read"),
                "preferences_url": self.url("preferences")}


class MarkReadView(Audience, LoginRequiredMixin, View):
    """POST ``id`` (one notification) or ``all``: mark read, say how many, and go back."""

    def post(self, request):
        if request.POST.get("all"):
            count = services.mark_all_read(user=request.user)
        else:
            ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
            if not ids:
                messages.error(request, _("Choose a notification to mark as read."))
                return redirect(self._back(request))
            count = services.mark_read(user=request.user, notification_ids=ids)
        messages.success(request, ngettext("%(n)s notification marked as read.", "%(n)s notifications marked as read.",
                                           count) % {"n": count})
        return redirect(self._back(request))

    def _back(self, request):
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
            return back
        return self.url("list")


class PreferencesView(Audience, LoginRequiredMixin, TemplateView):
    """Which kinds of notification reach the user by e-mail and by text message (the in-app
    inbox has them all), and in which language."""

    templates = {selectors.STAFF: "notifications/workbench_preferences.html",
                 selectors.PORTAL: "notifications/portal_preferences.html"}

    def get_template_names(self):
        return [self.templates[self.audience]]

    def get_context_data(self, **kwargs):
        preferences = services.preferences_of(self.request.user)
        rows = [{"name": name, "label": label,
                 "channels": [(channel, f"{name}:{channel}", channel in channels_for(preferences.channels, name))
                              for channel in CHANNELS]}
                for name, label in CATEGORIES.items()]
        return {**super().get_context_data(**kwargs), "rows": rows, "channel_labels": CHANNELS.values(),
                "language": preferences.language or settings.LANGUAGE_CODE, "list_url": self.url("list")}

    def post(self, request):
        chosen = set(request.POST.getlist("channel"))
        channels = {name: {c for c in CHANNELS if f"{name}:{c}" in chosen} for name in CATEGORIES}
        services.preferences_save(user=request.user, channels=channels)
        messages.success(request, _("Your notification preferences have been saved."))
        return redirect(self.url("preferences"))


def set_language(request):
    """Django's language switch; a signed-in user's choice is also kept in their preferences,
    so mail and text messages reach them in it."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.remember_language(user=request.user, language=request.POST.get("language", ""))
    return response
