from django.urls import path

from . import api

urlpatterns = [
    path("imports/jobs/<int:pk>/", api.ImportJobDetail.as_view(), name="import-job"),
    path("imports/<slug:resource>/", api.ImportUpload.as_view(), name="import-upload"),
]
