"""`manage.py validate_scenario FILE...`: every problem of each scenario file, one per line."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scenarios.messages import problem_line
from scenarios.schema import check_source


class Command(BaseCommand):
    help = (
        "Check scenario files (YAML) and print each problem as file:line:col: path: message; "
        "exits non-zero when any file has an error."
    )

    # Checking a file needs no database and no URLconf: it works in a half-configured checkout.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="scenario files, or folders of *.yaml")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the messages (default: %(default)s)",
        )

    def handle(self, *args, files: list[str], language: str, **options) -> None:
        with translation.override(language):
            # Inside the override: the closing line speaks the same language as the problems.
            if errors := self.check_files(expand(files)):
                raise CommandError(
                    ngettext("%(n)s error found.", "%(n)s errors found.", errors) % {"n": errors}
                )

    def check_files(self, paths: list[Path]) -> int:
        errors = 0
        for path in paths:
            try:
                source = path.read_bytes()
            except OSError as error:
                errors += 1
                self.stdout.write(f"{path}: {error.strerror}")
                continue
            _script, problems = check_source(source)
            for problem in problems:
                errors += problem.severity == "error"
                self.stdout.write(problem_line(problem, file=str(path)))
            if not problems:
                self.stdout.write(_("%(file)s: OK") % {"file": path})
        return errors


def expand(names: list[str]) -> list[Path]:
    """Files as given; a folder stands for its *.yaml files."""
    paths = []
    for name in names:
        path = Path(name)
        paths += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return paths
