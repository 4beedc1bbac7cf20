from django.apps import AppConfig


class OkrConfig(AppConfig):
    name = "okr"
    verbose_name = "OKR"
    default_auto_field = "django.db.models.BigAutoField"
