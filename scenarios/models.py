"""Scenarios and their immutable versions: a conversation always points at the exact script."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scenarios.schema import Script


class Kind(models.TextChoices):
    PRE_SALE = "pre_sale", _("Pre-sale inquiry")
    ORDER_CONFIRMATION = "order_confirmation", _("Order confirmation")
    AFTER_SALE = "after_sale", _("After-sale complaint")


class ShopType(models.TextChoices):
    # The same values as scenarios.schema.SHOP_TYPES (a test keeps them equal).
    CLOTHING = "clothing", _("Clothing")
    APPLIANCES = "appliances", _("Small appliances")
    COSMETICS = "cosmetics", _("Cosmetics")
    FOOD = "food", _("Food")
    DIGITAL = "digital", _("Digital")
    HOME = "home", _("Home goods")
    OTHER = "other", _("Other")


class Difficulty(models.IntegerChoices):
    EASY = 1, _("Beginner")
    MEDIUM = 2, _("Intermediate")
    HARD = 3, _("Advanced")


class Scenario(models.Model):
    slug = models.SlugField(_("identifier"), max_length=64, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Empty for the shared library."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    @property
    def latest(self) -> ScenarioVersion | None:
        return self.versions.order_by("-number").first()


class ScenarioVersion(models.Model):
    """One immutable revision: the YAML source as written and the fields read from it."""

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    source = models.TextField(_("YAML source"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=120)
    # Read from the script for the library's list and filters; empty on versions stored before
    # the script language had them.
    summary = models.CharField(_("summary"), max_length=120, blank=True, default="")
    difficulty = models.PositiveSmallIntegerField(
        _("difficulty"), choices=Difficulty.choices, null=True, blank=True
    )
    shop_type = models.CharField(
        _("shop type"), max_length=16, choices=ShopType.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Who saved this version; empty for the shipped library (loaded by a command) and for
    # versions stored before it was recorded.
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("scenario version")
        verbose_name_plural = _("scenario versions")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "number"], name="scenario_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def script(self) -> Script:
        # Validated when stored, parsed once per process (scenarios.services.script_of).
        from scenarios.services import script_of

        return script_of(self.pk, self.source)


class CuePhrase(models.Model):
    """A phrase an instructor adds to a move, on top of the shipped lexicon, for their classes."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor"),
        on_delete=models.CASCADE,
        related_name="cue_phrases",
    )
    language = models.CharField(_("language"), max_length=8)
    move = models.CharField(_("move"), max_length=16)
    phrase = models.CharField(_("phrase"), max_length=60)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cue phrase")
        verbose_name_plural = _("cue phrases")
        ordering = ["move", "phrase"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "language", "move", "phrase"], name="cue_phrase_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.move}: {self.phrase}"
