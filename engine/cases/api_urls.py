"""API v1: task queues, task actions and cases by reference."""
from django.urls import path

from . import api

urlpatterns = [
    path("tasks/", api.TaskList.as_view(), name="task-list"),
    path("tasks/bulk/", api.TaskBulk.as_view(), name="task-bulk"),
    path("tasks/<int:pk>/", api.TaskDetail.as_view(), name="task-detail"),
    path("tasks/<int:pk>/claim/", api.TaskClaim.as_view(), name="task-claim"),
    path("tasks/<int:pk>/release/", api.TaskRelease.as_view(), name="task-release"),
    path("tasks/<int:pk>/reassign/", api.TaskReassign.as_view(), name="task-reassign"),
    path("tasks/<int:pk>/delegate/", api.TaskDelegate.as_view(), name="task-delegate"),
    path("tasks/<int:pk>/resolve/", api.TaskResolve.as_view(), name="task-resolve"),
    path("tasks/<int:pk>/complete/", api.TaskComplete.as_view(), name="task-complete"),
    path("cases/<str:reference>/", api.CaseByReference.as_view(), name="case-detail"),
]
