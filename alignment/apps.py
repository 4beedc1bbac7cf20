from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    name = "alignment"
    verbose_name = "Alignment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from alignment import receivers
        from okr.objectives.signals import check_in_recorded

        check_in_recorded.connect(
            receivers.on_check_in_recorded, dispatch_uid="alignment.contributions"
        )
