"""Students hand work in: text or a file (type sniffed from the content, size capped) before the lock time.

Every hand-in is a new attempt; earlier ones stay (resubmission keeps history). Whether it was late is computed
from the due time (the student's extension, else the section's), never stored."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import db
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.gradebook import policy
from app.gradebook.data import MAX_FILE_BYTES, MAX_TEXT_CHARS
from app.gradebook.models import Assignment, AssignmentOverride, AssignmentSection, Grade, Submission
from app.gradebook.services.assignments import is_published, now
from app.richtext import services as richtext
from app.rosters import services as rosters
from app.storage.services import put_bytes, read_bytes

# extension -> the kind its content must be
EXPECTED = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "odt": "odt",
    "txt": "text",
    "md": "text",
    "csv": "text",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "text": "text/plain; charset=utf-8",
}


def sniff(data: bytes) -> str | None:
    """What the bytes are, from their content alone (None: nothing we accept)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    if b"\x00" not in data[:8192]:
        try:
            data[:65536].decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < 65532:  # a multi-byte character cut at the sample's end is still text
                return None
        return "text"
    return None


def _office(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist()[:2000])
            if "mimetype" in names and archive.read("mimetype")[:60] == b"application/vnd.oasis.opendocument.text":
                return "odt"
    except (zipfile.BadZipFile, KeyError, RuntimeError, ValueError):
        return None
    for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if "[Content_Types].xml" in names and any(name.startswith(prefix) for name in names):
            return kind
    return None


@dataclass
class Hand:
    """An assignment as one student sees it: its section's dates with their own extension applied."""

    assignment: Assignment
    section_id: int
    due_at: object
    lock_at: object
    exempt: bool

    @property
    def is_locked(self) -> bool:
        return self.lock_at is not None and now() > self.lock_at


def assignment_for_student(actor, assignment_id: int, student_id: int | None = None) -> Hand:
    """A published assignment given to a section the student is in (the student, or a guardian who may see
    grades). NotFound otherwise."""
    from app.gradebook.services.students import _viewable

    student_id = student_id or actor.id
    _student, sees, _as_guardian = _viewable(actor, student_id)
    assignment = db.scoped_get(actor, Assignment, assignment_id)
    if assignment is None or not sees or not is_published(assignment):
        raise NotFound()
    section_ids = [s.id for s in rosters.sections_of_student(student_id)]
    given = db.session.scalar(
        select(AssignmentSection).where(
            AssignmentSection.assignment_id == assignment.id, AssignmentSection.section_id.in_(section_ids or [-1])
        )
    )
    if given is None:
        raise NotFound()
    override = db.session.scalar(
        select(AssignmentOverride).where(
            AssignmentOverride.assignment_id == assignment.id, AssignmentOverride.student_id == student_id
        )
    )
    due, lock, exempt = given.due_at, given.lock_at, False
    if override is not None:
        due, lock, exempt = override.due_at or due, override.lock_at or lock, override.is_exempt
    return Hand(assignment, given.section_id, due, lock, exempt)


@dataclass
class WorkPage:
    hand: Hand
    attempts: list[Submission]
    grade: Grade | None  # posted only
    can_submit: bool
    is_own: bool


def work_page(actor, assignment_id: int, student_id: int | None = None) -> WorkPage:
    """The student's (or a guardian's) page of one assignment: instructions, dates, attempts, posted grade."""
    hand = assignment_for_student(actor, assignment_id, student_id)
    student_id = student_id or actor.id
    attempts = list(
        db.session.scalars(
            select(Submission)
            .where(Submission.assignment_id == assignment_id, Submission.student_id == student_id)
            .order_by(Submission.attempt.desc())
        )
    )
    grade = db.session.scalar(
        select(Grade).where(
            Grade.assignment_id == assignment_id, Grade.student_id == student_id, Grade.posted_at.is_not(None)
        )
    )
    own = actor.id == student_id
    can_submit = own and hand.assignment.submission_type != "none" and not hand.is_locked and not hand.exempt
    return WorkPage(hand, attempts, grade, can_submit, own)


def submit_work(actor, assignment_id: int, body_html: str | None = None, upload: tuple[str, bytes] | None = None):
    """The student themself, before the lock time: a new attempt of text (text assignments) or a file (file
    assignments). Raises NotFound for work not given to them, Invalid (field "body" or "upload") for a late,
    empty, oversized or mislabelled hand-in; nothing is stored then."""
    if not policy.is_student(actor):
        raise NotFound()
    hand = assignment_for_student(actor, assignment_id)
    kind = hand.assignment.submission_type
    field = "upload" if kind == "file" else "body"
    if kind == "none":
        raise Invalid({"": _("This assignment is not handed in online.")})
    if hand.is_locked:
        raise Invalid({field: _("This assignment locked; ask your teacher if you need more time.")})
    submission = Submission(
        district_id=actor.district_id,
        assignment_id=hand.assignment.id,
        section_id=hand.section_id,
        student_id=actor.id,
    )
    if kind == "text":
        document = richtext.to_document(body_html or "", field="body")
        text = richtext.plain_text(document)
        if not text.strip():
            raise Invalid({"body": _("Write your answer before handing it in.")})
        if len(text) > MAX_TEXT_CHARS:
            raise Invalid({"body": _("Keep your answer under %(count)d characters.", count=MAX_TEXT_CHARS)})
        submission.body = document
    else:
        name, data = upload or ("", b"")
        _check_file(name, data)
        submission.file_key = put_bytes(data)
        submission.file_name = name[-255:]
        submission.file_type = CONTENT_TYPES[sniff(data)]
        submission.file_size = len(data)
    previous = db.session.scalar(
        select(func.max(Submission.attempt)).where(
            Submission.assignment_id == hand.assignment.id, Submission.student_id == actor.id
        )
    )
    submission.attempt = (previous or 0) + 1
    submission.submitted_at = now()
    db.session.add(submission)
    db.session.flush()
    record_event(
        actor,
        "submission.created",
        "submission",
        submission.id,
        assignment_id=hand.assignment.id,
        section_id=hand.section_id,
        student_id=actor.id,
        attempt=submission.attempt,
        late=hand.due_at is not None and submission.submitted_at > hand.due_at,
    )
    db.session.commit()
    return submission


def _check_file(name: str, data: bytes) -> None:
    if not name or not data:
        raise Invalid({"upload": _("Choose a file to hand in.")})
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(
            {"upload": _("The file is larger than %(size)d MB; hand in a smaller one.", size=MAX_FILE_BYTES // 2**20)}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = EXPECTED.get(extension)
    if expected is None:
        raise Invalid(
            {"upload": _("Hand in a PDF, an image, a Word, Excel, PowerPoint or OpenDocument file, or text.")}
        )
    found = sniff(data)
    if found != expected:
        raise Invalid({"upload": _("The file's content does not match its name (.%(ext)s).", ext=extension)})


def submission_file(actor, submission_id: int) -> tuple[Submission, bytes]:
    """The file of a submission: its student, a guardian who may see grades, and the section's teachers."""
    row = db.scoped_get(actor, Submission, submission_id)
    if row is None or row.file_key is None:
        raise NotFound()
    if not rosters.teaches_section(actor, row.section_id):
        assignment_for_student(actor, row.assignment_id, row.student_id)
    return row, read_bytes(row.file_key)
