from celery import shared_task


@shared_task(name="cases.sweep")
def case_sweep_task() -> dict[str, int]:
    """The reminder and supervision sweep; safe to run as often as wanted (idempotent)."""
    from .sweep import run_sweep

    return run_sweep().as_dict()
