from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "assessment"
    verbose_name = _("Assessment")

    def ready(self) -> None:
        # simulator may not import assessment: we connect to its one signal and register
        # the sweep with its runtime, which runs it when the runtime starts.
        from assessment import receivers
        from simulator import runtime
        from simulator.signals import conversation_ended

        conversation_ended.connect(
            receivers.score_ended_conversation, dispatch_uid="assessment.score_ended"
        )
        runtime.on_start(receivers.sweep_on_start)
