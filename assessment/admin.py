"""Ops view of assessment data: read-only, because changes go through the review pages' audit."""

from django.contrib import admin

from assessment.models import Assessment, Comment, Dispute, MarkOverride, Rubric


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Rubric)
class RubricAdmin(ReadOnly):
    list_display = ("key", "version", "kind", "owner", "created_at")
    list_filter = ("kind",)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
    list_display = ("conversation", "total", "passed", "current", "rubric", "released_at")
    list_filter = ("current", "passed")


@admin.register(MarkOverride)
class MarkOverrideAdmin(ReadOnly):
    list_display = ("assessment", "criterion", "original_score", "new_score", "by", "at")


@admin.register(Dispute)
class DisputeAdmin(ReadOnly):
    list_display = ("assessment", "criterion", "student", "created_at", "answered_at")


@admin.register(Comment)
class CommentAdmin(ReadOnly):
    list_display = ("conversation", "seq", "author", "created_at")
