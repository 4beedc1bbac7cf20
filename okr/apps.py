from django.apps import AppConfig


class OkrConfig(AppConfig):
    name = "okr"
    verbose_name = "OKR"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the deployment checks (`manage.py check --deploy`).
        from okr import checks  # noqa: F401
