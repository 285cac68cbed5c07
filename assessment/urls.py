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
    path("transcripts/<int:conversation_id>/comment/", views.comment, name="comment"),
    path("reports/<int:assessment_id>/override/", views.override_mark, name="override"),
    path("reports/<int:assessment_id>/release/", views.release_report, name="release"),
    path("reports/<int:assessment_id>/dispute/", views.dispute, name="dispute"),
    path("disputes/<int:dispute_id>/answer/", views.answer_dispute, name="answer_dispute"),
    path("classrooms/<int:classroom_id>/gradebook/", views.gradebook_page, name="gradebook"),
    path("classrooms/<int:classroom_id>/gradebook.csv", views.gradebook_csv, name="gradebook_csv"),
    path(
        "classrooms/<int:classroom_id>/gradebook.xlsx",
        views.gradebook_xlsx,
        name="gradebook_xlsx",
    ),
    path("classrooms/<int:classroom_id>/rescore/", views.rescore_classroom, name="rescore"),
    path("rubrics/", views.rubrics, name="rubrics"),
    path("rubrics/<int:rubric_id>/clone/", views.rubric_clone, name="rubric_clone"),
    path("rubrics/<int:rubric_id>/", views.rubric_edit, name="rubric_edit"),
    path("upload/", views.upload, name="upload"),
    path("transcripts/<int:conversation_id>/hints/", views.hints, name="hints"),
    path("drills/<int:drill_id>/summary/", views.drill_summary, name="drill_summary"),
    path("drills/<int:drill_id>/summary.csv", views.drill_summary_csv, name="drill_summary_csv"),
    path(
        "assignments/<int:assignment_id>/release/",
        views.release_assignment,
        name="release_assignment",
    ),
]
