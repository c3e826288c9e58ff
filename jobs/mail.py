from app.notifications.services import send_queued_mail
from jobs.runner import in_district, tracked


@tracked
def send_mail(district_id: int, job_run_id: int, progress=None) -> dict:
    return {"sent": send_queued_mail(job_run_id, progress=progress)}


@in_district
def send_pending_mail(district_id: int) -> int:
    return send_queued_mail(None)
