"""Rubrics, the scores they produced, and the review around a score (DESIGN.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scenarios.models import Kind
from simulator.models import Conversation


class Rubric(models.Model):
    """One version of a rubric: immutable once stored; an edit stores the next version."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rubrics",
        help_text=_("Empty for the library's default rubrics."),
    )
    key = models.SlugField(_("identifier"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120, blank=True, default="")
    data = models.JSONField(_("rubric data"))
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["kind", "key", "-version"]
        constraints = [
            # Two conditions: NULL owners are distinct in a plain unique index.
            models.UniqueConstraint(
                fields=["key", "version"],
                condition=Q(owner__isnull=True),
                name="rubric_library_unique_version",
            ),
            models.UniqueConstraint(
                fields=["owner", "key", "version"],
                condition=Q(owner__isnull=False),
                name="rubric_owner_unique_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.key} v{self.version}"

    @property
    def is_library(self) -> bool:
        return self.owner_id is None

    @property
    def display_name(self) -> str:
        """What a teacher or student reads: the rubric's name, else the library's default for
        its kind ("默认评分标准 · 售后投诉"), never the key alone (default-after_sale)."""
        if self.name:
            return self.name
        if self.is_library:
            return _("Default rubric · %(kind)s") % {"kind": self.get_kind_display()}
        return self.key


class Assessment(models.Model):
    """A score of one conversation by one rubric version; re-scoring adds a row."""

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    rubric = models.ForeignKey(
        Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="assessments"
    )
    scorer_version = models.CharField(_("scorer version"), max_length=32)
    report = models.JSONField(_("report"))
    # Derived from the report and the overrides, kept in columns for the grade book.
    total = models.FloatField(_("total"))
    passed = models.BooleanField(_("passed"))
    critical_failed = models.BooleanField(_("critical item failed"), default=False)
    current = models.BooleanField(_("current"), default=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation"],
                condition=Q(current=True),
                name="assessment_one_current_per_conversation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}: {self.total:.0f}"

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class MarkOverride(models.Model):
    """A teacher's change to one criterion mark: the audit trail keeps every one."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="overrides"
    )
    criterion = models.CharField(_("criterion"), max_length=32)
    original_score = models.FloatField(_("original mark"))
    new_score = models.FloatField(_("new mark"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT
    )
    at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mark override")
        verbose_name_plural = _("mark overrides")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="mark_override_reason_required")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.original_score:g} → {self.new_score:g}"


class Comment(models.Model):
    """A teacher's note on one message of a conversation."""

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="+"
    )
    seq = models.PositiveIntegerField(_("message number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["seq", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq}"


class Dispute(models.Model):
    """A student's objection to one criterion mark, and the teacher's answer."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="disputes"
    )
    criterion = models.CharField(_("criterion"), max_length=32)
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True, default="")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="dispute_reason_required")
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.criterion}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
