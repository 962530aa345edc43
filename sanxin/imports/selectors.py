"""Reads of the import app: a job is visible to the user who uploaded it, nobody else."""
from django.db.models import QuerySet

from sanxin.accounts.models import User
from sanxin.accounts.scoping import get_visible_or_404

from .models import ImportJob


def jobs_visible_to(actor: User) -> QuerySet[ImportJob]:
    if not actor or not actor.is_authenticated:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(user=actor)


def get_job(actor: User, pk) -> ImportJob:
    return get_visible_or_404(jobs_visible_to(actor), pk)
