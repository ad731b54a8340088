from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Kinship records"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cases import history

        # Starting Django writes nothing (no folders, no files): ``serve`` makes the folders it needs.
        history.connect()
