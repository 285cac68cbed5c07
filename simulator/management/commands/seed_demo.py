from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from simulator.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo classroom (teacher, student01-student30) and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--passwords-file", default=str(settings.DEMO_LOGINS_FILE))

    def handle(self, *args, passwords_file: str, **options) -> None:
        logins = seed_demo(Path(passwords_file))
        out = self.stdout
        out.write("")
        out.write(f"Demo logins (also in {passwords_file}):")
        out.write(f"  instructor  {logins.teacher[0]:<10} password {logins.teacher[1]}")
        for username, password in logins.students[:3]:
            out.write(f"  student     {username:<10} password {password}")
        out.write(f"  ... {len(logins.students)} students in all, student01 to student30")
        out.write(f"  classroom join code: {logins.join_code}")
