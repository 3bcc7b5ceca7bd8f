from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from engine.notifications.views import set_language
from engine.ui import views as ui_views
from engine.ui.site import site

# the admin's title bar and page titles name the system, not the framework
admin.site.site_header = admin.site.site_title = _("Zhiyuan Zhengzhou administration")

urlpatterns = [
    path("", ui_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("portal/notifications/", include("engine.notifications.portal_urls")),
    path("portal/", include("engine.ui.portal_urls")),
    path("dashboard/", include("engine.dashboard.urls")),
    path("workbench/", site.urls),
    path("incubation/", include("processes.incubation.urls")),
    path("procurement/", include("processes.procurement.urls")),
    path("certification/", include("processes.certification.urls")),
    path("timebank/", include("processes.timebank.urls")),
    path("recruitment/", include("processes.recruitment.urls")),
    path("documents/", include("engine.documents.views")),
]

# Under /api/ the API's error format, elsewhere the project's Chinese pages.
handler400 = "engine.api.error_views.bad_request"
handler403 = "engine.api.error_views.permission_denied"
handler404 = "engine.api.error_views.page_not_found"
handler500 = "engine.api.error_views.server_error"
