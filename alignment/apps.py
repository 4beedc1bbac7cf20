from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    name = "alignment"
    verbose_name = "Alignment"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from alignment import receivers, selectors
        from okr.objectives import numbers
        from okr.objectives.signals import check_in_recorded

        # Every okr page's expected pace follows the quarterly steps kept here.
        numbers.register_steps_source(selectors.steps_by_key_result)

        check_in_recorded.connect(
            receivers.on_check_in_recorded, dispatch_uid="alignment.contributions"
        )

        # Every write of these moves the organisation's revision (the cached tree goes stale).
        from accounts import revision
        from alignment.models import Dependency, KeyResultStep

        revision.watch(Dependency, KeyResultStep)

        # The whole-organisation export writes (and its import reads) these tables too.
        from alignment import portability

        portability.register_sections()
