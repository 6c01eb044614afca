from django.core.management.base import BaseCommand

from shop.scheduler.services.schedule import periodic_tasks_ensure_all


class Command(BaseCommand):
    help = "Create the periodic tasks of the built-in jobs (existing ones keep their settings)."

    def handle(self, *args: object, **options: object) -> None:
        tasks = periodic_tasks_ensure_all()
        if int(str(options.get("verbosity", 1))) >= 1:
            self.stdout.write(f"{len(tasks)} periodic task(s) in place.")
