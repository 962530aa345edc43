"""Celery application. Tasks run eagerly in the embedded default (no broker configured)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("sanxin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
