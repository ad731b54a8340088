"""``manage.py load_demo``: create the demo tree and print the demo logins."""

from django.core.management.base import BaseCommand

from cases.demo import demo_load


class Command(BaseCommand):
    help = "Create the demo tree (once) and print fresh passwords for the demo users."

    def handle(self, *args, **options) -> None:
        passwords = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo tree ready. Log in at http://127.0.0.1:8000/ as:"))
        for username, password in passwords.items():
            self.stdout.write(f"  user {username!r}  password {password!r}")
