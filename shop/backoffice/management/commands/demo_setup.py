"""Prepare the one-machine demo: demo catalogue, a few orders, schedule and a staff user."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from shop.allegro.accounts.demo import demo_allegro_account_setup
from shop.allegro.invoices.demo import demo_invoice_settings_ensure
from shop.catalog.demo import demo_catalog_load
from shop.orders.demo import demo_orders_load
from shop.scheduler.services.schedule import periodic_tasks_ensure_all

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo1234"  # noqa: S105 - the demo user's published password


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and create the demo staff user if there is none."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            # The demo login is published in the README: never on a real deployment.
            raise CommandError(
                "demo_setup creates the published demo login and demo data; it runs only with "
                "DEBUG on (make run), never under production settings."
            )
        products = demo_catalog_load()
        orders = demo_orders_load()
        periodic_tasks_ensure_all()
        demo_invoice_settings_ensure()
        if demo_allegro_account_setup() is not None:
            self.stdout.write("Allegro: configured for the emulator; press “Powiąż konto”.")
        User = get_user_model()
        user_created = False
        if not User.objects.filter(is_staff=True).exists():
            User.objects.create_superuser(DEMO_USERNAME, "demo@example.pl", DEMO_PASSWORD)
            user_created = True
        self.stdout.write(f"Demo data: {products} new product(s), {orders} new order(s).")
        self.stdout.write("")
        self.stdout.write(f"  Back office: {settings.SITE_URL}/backend/")
        if user_created or User.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write(f"  Login: {DEMO_USERNAME}   Password: {DEMO_PASSWORD}")
        self.stdout.write("")
