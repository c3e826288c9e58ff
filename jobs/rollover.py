"""Year rollover jobs: apply and revert, each a rerunnable walk over the rollover's steps."""

from app.identity.data import SystemActor
from app.rollover import services
from jobs.runner import tracked


@tracked
def apply_rollover(district_id: int, job_run_id: int, rollover_id: int, user_id: int | None, progress=None) -> dict:
    return services.perform_rollover_apply(SystemActor(district_id, id=user_id), rollover_id, progress=progress)


@tracked
def revert_rollover(district_id: int, job_run_id: int, rollover_id: int, user_id: int | None, progress=None) -> dict:
    return services.perform_rollover_revert(SystemActor(district_id, id=user_id), rollover_id, progress=progress)
