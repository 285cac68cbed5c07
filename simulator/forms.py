from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios.models import ScenarioVersion
from simulator.models import Assignment


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
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=Assignment.Mode.choices,
        initial=Assignment.Mode.PRACTICE,
        required=False,
        help_text=_("Practice shows the report at once; an exam shows it when you release it."),
    )
    pass_mark = forms.IntegerField(
        label=_("Pass mark"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Out of 100. Leave empty for the rubric's pass mark."),
    )

    def clean_mode(self):
        # Older clients and scripts post no mode: an assignment is practice unless said otherwise.
        return self.cleaned_data["mode"] or Assignment.Mode.PRACTICE

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        if due_at is not None and due_at <= timezone.now():
            raise forms.ValidationError(_("The due date must be in the future."))
        return due_at

    def __init__(self, *args, versions, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scenario_version"]
        field.queryset = ScenarioVersion.objects.filter(pk__in=[v.pk for v in versions])
        field.label_from_instance = lambda v: f"{v.get_kind_display()} · {v.title} ({v.language})"


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
