from app.events import services
from jobs.runner import get_app, in_district


@in_district
def dispatch_events(district_id: int) -> int:
    return services.dispatch_events(district_id)


def sweep_outbox() -> int:
    """Periodic: dispatch events and send mail that a lost enqueue (Redis down, worker killed) left behind."""
    from app import db
    from jobs.mail import send_pending_mail

    with get_app().app_context():
        db.set_tenant(None)
        districts = services.pending_districts()
        db.session.commit()
    for district_id in districts:
        dispatch_events(district_id)
        send_pending_mail(district_id)
    return len(districts)
