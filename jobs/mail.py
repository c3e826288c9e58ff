"""Mail jobs: send a job run's messages, sweep a district's queued mail, and look up a password-reset request."""

from app.notifications.services import send_queued_mail
from jobs.runner import get_app, in_district, tracked


@tracked
def send_mail(district_id: int, job_run_id: int, progress=None) -> dict:
    return {"sent": send_queued_mail(job_run_id, progress=progress)}


@in_district
def send_pending_mail(district_id: int) -> int:
    return send_queued_mail(None)


def request_password_reset(email: str, base_url: str) -> None:
    """The forgot-password form's work, done here so the page answers alike for every address. No tenant yet:
    the service finds the account through the sign-in lookup and then acts under its district."""
    from app import db
    from app.accounts import services

    with get_app().app_context():
        db.set_tenant(None)
        services.request_password_reset(email, base_url)
