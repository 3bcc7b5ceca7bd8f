"""API v1: task queues, task actions and cases by reference."""
urlpatterns = []
