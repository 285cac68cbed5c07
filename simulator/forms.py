from django import forms
from django.conf import settings
from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios.models import Kind, ScenarioVersion
from simulator import classrooms, quick_replies, selectors
from simulator.models import Assignment, Classroom


class JoinClassroomForm(forms.Form):
    code = forms.CharField(label=_("Join code"), max_length=12)


class ClassroomForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=80)


class AssignmentTermsForm(forms.Form):
    """When an assignment is due and how many attempts it allows: set when assigning, editable."""

    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    max_attempts = forms.IntegerField(
        label=_("Attempts allowed"),
        required=False,
        min_value=1,
        max_value=20,
        help_text=_("Leave empty for unlimited attempts."),
    )

    def clean_due_at(self):
        due_at = self.cleaned_data["due_at"]
        unchanged = due_at is not None and due_at == self.initial.get("due_at")
        if due_at is not None and due_at <= timezone.now() and not unchanged:
            raise forms.ValidationError(_("The due date must be in the future."))
        return due_at


class AssignForm(AssignmentTermsForm):
    scenario_version = forms.ModelChoiceField(
        label=_("Scenario"), queryset=ScenarioVersion.objects.none()
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
    # Set by the page once the teacher has seen that the class already has this scenario.
    confirm_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)
    field_order = ["scenario_version", "due_at", "max_attempts", "mode", "pass_mark"]

    def __init__(self, *args, versions, classroom: Classroom | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.classroom = classroom
        self.duplicates: list[Assignment] = []
        field = self.fields["scenario_version"]
        field.queryset = ScenarioVersion.objects.filter(pk__in=[v.pk for v in versions])
        field.label_from_instance = lambda v: (
            f"{v.get_kind_display()} · {v.title} ({v.get_language_display()})"
        )

    def clean_mode(self):
        # Older clients and scripts post no mode: an assignment is practice unless said otherwise.
        return self.cleaned_data["mode"] or Assignment.Mode.PRACTICE

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("scenario_version")
        if self.classroom is not None and version is not None:
            self.duplicates = selectors.same_scenario_assignments(self.classroom, version)
            if self.duplicates and not cleaned.get("confirm_duplicate"):
                # Shown as a question with an "assign again" button, not as a refusal.
                raise forms.ValidationError(
                    _("This class already has this scenario. Assign it again?"),
                    code="duplicate",
                )
        return cleaned

    @property
    def asks_to_confirm_duplicate(self) -> bool:
        return any(error.code == "duplicate" for error in self.non_field_errors().as_data())

    def assignment_terms(self) -> dict:
        """What `services.assign_scenario` takes."""
        return {k: v for k, v in self.cleaned_data.items() if k != "confirm_duplicate"}


class RenameClassroomForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=80)


class AddStudentsForm(forms.Form):
    names = forms.CharField(
        label=_("Names, one per line (or separated by 、 or commas)"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": _("Wang Xiaoming\nLi Hua\nChen Siyu")}
        ),
    )
    file = forms.FileField(
        label=_("Or a CSV file of names"),
        required=False,
        help_text=_(
            "One name per row, or a column titled 姓名 or Name. UTF-8 or GBK (as Excel saves it)."
        ),
    )
    MAX_FILE = 256 * 1024

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        text = cleaned.get("names", "")
        pasted = upload is None
        if upload is not None:
            if upload.size > self.MAX_FILE:
                raise forms.ValidationError(_("The file is larger than 256 KB."))
            try:
                text = classrooms.decode_roster(upload.read())
            except classrooms.RosterError as error:
                raise forms.ValidationError(error.problems) from error
        elif not text.strip():
            raise forms.ValidationError(_("Paste some names or choose a CSV file."))
        try:
            cleaned["rows"] = classrooms.roster_names(text, pasted=pasted)
        except classrooms.RosterError as error:
            raise forms.ValidationError([error.message, *error.problems]) from error
        return cleaned


class CoTeacherForm(forms.Form):
    username = forms.CharField(label=_("Teacher's username"), max_length=150)


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)


class QuickReplyForm(forms.Form):
    """A quick reply's group, title and text; the text's rules are `quick_replies.text_problems`."""

    group = forms.CharField(
        label=_("Group"),
        max_length=quick_replies.MAX_GROUP,
        required=False,
        help_text=_(
            "For example greeting, sizes, shipping, after-sale, farewell. Phrases of a group "
            "stay together."
        ),
        widget=forms.TextInput(attrs={"list": "qr-groups"}),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=quick_replies.MAX_TITLE,
        help_text=_("A short name to find the phrase by when typing / in the reply box."),
        error_messages={
            "required": _("The title is empty: give the phrase a short name to find it by.")
        },
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        help_text=quick_replies.HELP_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if problems := quick_replies.text_problems(text):
            raise forms.ValidationError(problems)
        return text.strip()


class DrillForm(forms.Form):
    """A Double-11 rush drill's terms: how long, how many chats at once, which customers."""

    minutes = forms.TypedChoiceField(
        label=_("Duration"),
        coerce=int,
        choices=[(m, _("%(n)s minutes") % {"n": m}) for m in (10, 20, 30)],
        initial=30,
    )
    cap = forms.TypedChoiceField(
        label=_("Chats at once per student"),
        coerce=int,
        choices=[
            (3, _("3 (novice)")),
            (5, _("5 (standard)")),
            (8, _("8 (Double-11 stretch)")),
        ],
        initial=3,
        help_text=_("Customers beyond it queue; their wait counts toward first response time."),
    )
    scenarios = forms.ModelMultipleChoiceField(
        label=_("Customers from these scenarios"),
        queryset=ScenarioVersion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scenario for the drill's customers.")},
    )

    def __init__(self, *args, versions, classroom: Classroom, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scenarios"]
        # Pre-sale, order, after-sale, as the library lists them.
        field.queryset = ScenarioVersion.objects.filter(pk__in=[v.pk for v in versions]).order_by(
            Case(*(When(kind=k, then=i) for i, k in enumerate(Kind.values))), "-language", "title"
        )
        field.label_from_instance = lambda v: f"{v.get_kind_display()} · {v.title}"
        if not self.is_bound:
            # The class's own scenarios if it has any, else the library's in its language.
            assigned = {a.scenario_version.scenario_id for a in classroom.assignments.all()}
            chosen = [v.pk for v in versions if v.scenario_id in assigned]
            if not chosen:
                language = settings.LANGUAGE_CODE.lower()
                chosen = [v.pk for v in versions if v.language == language]
            self.initial["scenarios"] = chosen or [v.pk for v in versions]
