"""Background work: the dry run and the import of one job (eager in the embedded default)."""
from celery import shared_task

from . import jobs


@shared_task(name="imports.check_job")
def check_job(job_id: int) -> str:
    return jobs.run_check(job_id)


@shared_task(name="imports.apply_job")
def apply_job(job_id: int) -> str:
    return jobs.run_apply(job_id)
