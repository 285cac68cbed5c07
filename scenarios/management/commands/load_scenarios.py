from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scenarios import services
from scenarios.messages import problem_line
from scenarios.schema import ScenarioError


class Command(BaseCommand):
    help = "Load the scenario library (YAML files); a changed file becomes a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", default=str(settings.CHAT_SCENARIO_DIR))

    def handle(self, *args, directory: str, **options) -> None:
        path = Path(directory)
        if not path.is_dir():
            raise CommandError(f"{path} is not a directory")
        try:
            result = services.load_library(path)
        except ScenarioError as error:
            # Every problem of every file, one a line, as validate_scenario prints them.
            lines = "\n".join(problem_line(p) for p in error.problems)
            raise CommandError(_("Nothing was loaded; fix these first:") + "\n" + lines) from error
        self.stdout.write(
            f"scenarios: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
