"""The scenario library's filter: a GET form that works with and without htmx."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from scenarios.models import Kind, ShopType


class LibraryFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("All languages")), *settings.LANGUAGES],
    )
    shop_type = forms.ChoiceField(
        label=_("Shop type"),
        required=False,
        choices=[("", _("All shop types")), *ShopType.choices],
    )

    def filters(self) -> dict[str, str]:
        """The chosen filters; an unknown value (an edited URL) filters nothing."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}
