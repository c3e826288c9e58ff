"""Standards import jobs: validate (writes only the import's problems and preview), then apply (all or nothing)."""

from app.identity.data import SystemActor
from app.standards import services
from jobs.runner import tracked


@tracked
def validate_import(district_id: int, job_run_id: int, import_id: int, user_id: int | None, progress=None) -> dict:
    return services.validate_import(SystemActor(district_id, id=user_id), import_id, progress=progress)


@tracked
def apply_import(district_id: int, job_run_id: int, import_id: int, user_id: int | None, progress=None) -> dict:
    return services.apply_import(SystemActor(district_id, id=user_id), import_id, progress=progress)
