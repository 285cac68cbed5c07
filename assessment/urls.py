from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("transcripts/<int:conversation_id>/", views.transcript, name="transcript"),
]
