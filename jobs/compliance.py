"""Records jobs: the export of a student's record, a deletion, a retention sweep, and the periodic upkeep."""

from app.identity.data import SystemActor
from jobs.runner import get_app, tracked


@tracked
def export_record(district_id: int, job_run_id: int, request_id: int, progress=None) -> dict:
    from app.compliance import services

    return services.build_export(SystemActor(district_id), request_id, progress=progress)


def upkeep() -> int:
    """Periodic: reminders before due dates and expiry of old copies, in every district with open requests."""
    from app import db
    from app.compliance import services

    with get_app().app_context():
        db.set_tenant(None)
        districts = services.districts_with_requests()
        db.session.commit()
        for district_id in districts:
            db.set_tenant(district_id, None, "system")
            services.send_reminders(SystemActor(district_id))
            services.expire_exports()
    return len(districts)


@tracked
def delete_record(district_id: int, job_run_id: int, deletion_id: int, progress=None) -> dict:
    from app.compliance import services

    return services.run_deletion(SystemActor(district_id), deletion_id, progress=progress)


def sweep_retention() -> int:
    """Periodic (daily): the real retention sweep of every district with active rules."""
    from app import db
    from app.compliance import services

    with get_app().app_context():
        db.set_tenant(None)
        districts = services.districts_with_requests()
        db.session.commit()
        for district_id in districts:
            db.set_tenant(district_id, None, "system")
            services.sweep(SystemActor(district_id), dry_run=False)
    return len(districts)


@tracked
def retention_sweep(district_id: int, job_run_id: int, dry_run: bool, progress=None) -> dict:
    from app.compliance import services

    run = services.sweep(SystemActor(district_id), dry_run=dry_run)
    return {"retention_run_id": run.id, "dry_run": dry_run}
