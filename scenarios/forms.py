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


class CompareForm(forms.Form):
    """Which two versions the diff shows: any two of the scenario's, older first by default."""

    old = forms.TypedChoiceField(label=_("Compare"), coerce=int)
    new = forms.TypedChoiceField(label=_("with"), coerce=int)

    def __init__(self, data, *, numbers: list[int]) -> None:
        # Unbound (no choice made yet): the newest version against the one before it.
        newest, previous = numbers[0], numbers[1] if len(numbers) > 1 else numbers[0]
        super().__init__(data if "old" in data or "new" in data else None)
        choices = [(n, _("version %(n)s") % {"n": n}) for n in numbers]
        self.fields["old"].choices = self.fields["new"].choices = choices
        self.initial = {"old": previous, "new": newest}

    def pair(self) -> tuple[int, int] | None:
        """(older, newer) as chosen, the defaults when nothing was chosen, None when invalid."""
        if not self.is_bound:
            return self.initial["old"], self.initial["new"]
        if not self.is_valid():
            return None
        return self.cleaned_data["old"], self.cleaned_data["new"]


class NewScenarioForm(forms.Form):
    """Which template a new scenario starts from: its kind and the customer's language."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    language = forms.ChoiceField(
        label=_("Customer's language"),
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        initial="zh-hans",
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("YAML file"),
        max_length=200,
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,text/yaml"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 256 * 1024:
            raise forms.ValidationError(_("The file is larger than 256 KB."))
        return upload
