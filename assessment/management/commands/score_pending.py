from django.core.management.base import BaseCommand

from assessment import services


class Command(BaseCommand):
    help = (
        "Score every ended conversation that has no score yet (the start-up sweep, on demand: "
        "for a worker-only deployment or after restoring a backup)."
    )

    def handle(self, *args, **options) -> None:
        scored = services.sweep_unscored()
        self.stdout.write(f"{scored} conversation(s) scored")
