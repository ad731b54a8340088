from pathlib import Path

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Kinship records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from cases import history

        history.connect()

        if not settings.PRODUCTION:
            # WhiteNoise serves from the finders here, yet warns at start-up when STATIC_ROOT is missing.
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
