"""The application's URLs plus one constant view: the floor a Django request costs here
(middleware, routing, a response) with no database work."""
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as application_urls


def constant(request):
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [path("bench/constant/", constant), *application_urls]
