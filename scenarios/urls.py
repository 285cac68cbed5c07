from django.urls import path

from scenarios import views

app_name = "scenarios"

urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.new_scenario, name="new"),
    path("import/", views.import_scenario, name="import"),
    path("<int:scenario_id>/", views.scenario, name="scenario"),
    path("<int:scenario_id>/diff/", views.version_diff, name="version_diff"),
    path("<int:scenario_id>/clone/", views.clone_scenario, name="clone"),
    path("<int:scenario_id>/export/", views.export_scenario, name="export"),
    path("<int:scenario_id>/edit/", views.edit_scenario, name="edit"),
    path("<int:scenario_id>/edit/sync/", views.edit_sync, name="edit_sync"),
]
