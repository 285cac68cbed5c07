from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimulatorConfig(AppConfig):
    name = "simulator"
    verbose_name = _("Simulator")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from scenarios.selectors import register_usage_reader
        from simulator import receivers, selectors

        # Django's own signal: every logout (ours, the admin's) ends the user's open sockets.
        user_logged_out.connect(
            receivers.close_sockets_on_logout, dispatch_uid="simulator.close_sockets_on_logout"
        )
        # The scenario's page lists which of the teacher's assignments run which version.
        register_usage_reader(selectors.scenario_uses_for)
