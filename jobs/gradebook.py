"""Gradebook jobs: apply a previewed gradebook CSV (all or nothing, rerunnable)."""

from app.gradebook import services
from app.identity.data import SystemActor
from jobs.runner import tracked


@tracked
def apply_import(district_id: int, job_run_id: int, import_id: int, user_id: int | None, progress=None) -> dict:
    return services.apply_import(SystemActor(district_id, id=user_id), import_id, progress=progress)
