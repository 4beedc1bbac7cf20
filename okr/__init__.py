"""The project package and the OKR core: cycles, objectives, key results, check-ins."""

from okr.celery import app as celery_app

__all__ = ("celery_app",)
