from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from scenarios.models import ScenarioVersion


class JoinClassroomForm(forms.Form):
    code = forms.CharField(label=_("Join code"), max_length=12)


class ClassroomForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=80)


class AssignForm(forms.Form):
    scenario_version = forms.ModelChoiceField(
        label=_("Scenario"), queryset=ScenarioVersion.objects.none()
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    max_attempts = forms.IntegerField(
        label=_("Attempts allowed"),
        required=False,
        min_value=1,
        max_value=20,
        help_text=_("Leave empty for unlimited attempts."),
    )

    def __init__(self, *args, versions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scenario_version"]
        field.queryset = ScenarioVersion.objects.filter(pk__in=[v.pk for v in versions])
        field.label_from_instance = lambda v: f"{v.get_kind_display()} · {v.title} ({v.language})"


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
