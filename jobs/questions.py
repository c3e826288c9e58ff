"""Question file import jobs: check (writes only the import's preview), then apply (all or nothing)."""

from app.identity.data import SystemActor
from app.questions import services
from jobs.runner import tracked


def _actor(district_id: int, user_id: int | None):
    """The teacher who uploaded, as services see them (the bank is theirs); the system if they are gone."""
    from app.accounts.services import actor_for_user
    from app.errors import NotFound

    try:
        return actor_for_user(district_id, user_id)
    except NotFound:
        return SystemActor(district_id, id=user_id)


@tracked
def check_import(district_id: int, job_run_id: int, import_id: int, user_id: int | None, progress=None) -> dict:
    return services.check_import(_actor(district_id, user_id), import_id, progress=progress)


@tracked
def apply_import(district_id: int, job_run_id: int, import_id: int, user_id: int | None, progress=None) -> dict:
    return services.apply_import(_actor(district_id, user_id), import_id, progress=progress)
