from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scenarios import services
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
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"scenarios: {result.created} new, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        )
