from django.urls import path

from scenarios import views

app_name = "scenarios"

urlpatterns = [
    path("", views.library, name="library"),
    path("<int:scenario_id>/", views.scenario, name="scenario"),
    path("<int:scenario_id>/diff/", views.version_diff, name="version_diff"),
]
