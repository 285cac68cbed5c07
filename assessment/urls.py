from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("transcripts/<int:conversation_id>/", views.transcript, name="transcript"),
    path(
        "transcripts/<int:conversation_id>/export.json",
        views.transcript_export,
        name="transcript_export",
    ),
]
