"""Pages of this process outside the staff workbench (portal, public)."""
app_name = "certification"
urlpatterns = []
