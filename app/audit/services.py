"""The access audit and the disclosure record (34 CFR 99.32): write cheaply, read by student.

`record_access` costs no query of its own: it buffers the row on the session, and the rows are written with one
multi-row INSERT just before the session commits, or by the audit blueprint at the end of a request that commits
nothing (a page view). A rolled-back change does not unsay that the record was seen: the buffer outlives it.
Where the access came from (address, page) is put on the session by the same blueprint, so services never read
the request; jobs and commands say so themselves (`set_origin`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.orm import Session

from app import db
from app.audit.models import AccessAudit, Consent, CoppaAuthorisation, DirectoryOptOut, Disclosure
from app.errors import Invalid

PENDING_KEY = "chalkline.audit.pending"
ORIGIN_KEY = "chalkline.audit.origin"
# Why staff looked: the few purposes the audit knows (a FERPA "legitimate educational interest" in plain words).
PURPOSES = ("instruction", "administration", "records_request", "support", "retention", "deletion")
PARTY_KINDS = ("transfer_school", "state", "integration", "webhook", "api_client", "subpoena", "health_safety", "other")
# 99.32(d): disclosures to these are not recorded: the parent or eligible student, school officials (99.31(a)(1)),
# a party named in the parent's written consent, and directory information.
EXCLUDED_PARTIES = ("parent", "eligible_student", "school_official", "written_consent", "directory_information")
STAFF_ROLES = frozenset({"district_admin", "school_admin", "teacher"})


def set_origin(origin: str, sess: Session | None = None) -> None:
    """Where the accesses of this session come from: "203.0.113.9 rosters.show_student", "cli", "job"."""
    (sess or db.session()).info[ORIGIN_KEY] = origin[:120]


def is_staff(actor) -> bool:
    return bool(STAFF_ROLES & set(getattr(actor, "roles", ()))) or "system" in getattr(actor, "roles", ())


def record_access(actor, student_id: int, what: str, purpose: str = "instruction", detail: str = "") -> None:
    """Note that `actor` (staff, a job or a command) viewed or exported `student_id`'s records.

    The student and guardians reading their own record are not audited (they are not disclosures). No query here."""
    record_accesses(actor, [student_id], what, purpose, detail)


def record_accesses(actor, student_ids, what: str, purpose: str = "instruction", detail: str = "") -> None:
    """Many students seen at once (a roster, a CSV export): still one INSERT at commit."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown audit purpose {purpose!r}")
    if not is_staff(actor):
        return
    sess = db.session()
    pending = sess.info.setdefault(PENDING_KEY, [])
    for student_id in student_ids:
        if student_id is None or student_id == getattr(actor, "id", None):
            continue
        pending.append(
            {
                "district_id": actor.district_id,
                "actor_id": getattr(actor, "id", None),
                "actor_role": getattr(actor, "role", "")[:20],
                "student_id": student_id,
                "what": what[:60],
                "detail": detail[:200],
                "purpose": purpose,
            }
        )


def _write_pending(sess: Session) -> int:
    pending = sess.info.pop(PENDING_KEY, None)
    if not pending:
        return 0
    origin = sess.info.get(ORIGIN_KEY, "")
    sess.execute(insert(AccessAudit), [{**row, "origin": origin} for row in pending])
    return len(pending)


@event.listens_for(Session, "before_commit")
def _write_before_commit(sess: Session) -> None:
    _write_pending(sess)


def flush_pending() -> int:
    """End of a request: write accesses that no commit carried (a page view commits nothing). Returns the count."""
    sess = db.session()
    if not sess.info.get(PENDING_KEY):
        return 0
    # This transaction holds only audit rows, so it need not wait for the WAL flush (the page does not wait for
    # its own audit): a server crash in the next fraction of a second could lose these rows, nothing else.
    sess.execute(text("set local synchronous_commit = off"))
    written = _write_pending(sess)
    sess.commit()
    return written


@dataclass(frozen=True)
class AccessRow:
    id: int
    actor_id: int | None
    actor_role: str
    student_id: int | None
    what: str
    detail: str
    purpose: str
    origin: str
    created_at: object


def accesses_of(student_id: int, limit: int = 200) -> list[AccessRow]:
    """The newest accesses to one student's records (the caller checked that the actor may read them)."""
    rows = db.session.execute(
        select(AccessAudit)
        .where(AccessAudit.student_id == student_id)
        .order_by(AccessAudit.created_at.desc(), AccessAudit.id.desc())
        .limit(limit)
    ).scalars()
    return [
        AccessRow(r.id, r.actor_id, r.actor_role, r.student_id, r.what, r.detail, r.purpose, r.origin, r.created_at)
        for r in rows
    ]


def access_count(student_id: int) -> int:
    return db.session.scalar(select(func.count()).where(AccessAudit.student_id == student_id)) or 0


def record_disclosure(
    actor,
    student_id: int,
    party: str,
    party_kind: str,
    legitimate_interest: str,
    what_disclosed: str,
    statement_ids=(),
    disclosed_on: date | None = None,
) -> Disclosure | None:
    """Record a disclosure to a party outside the school (99.32(a)); the caller checked the actor may.

    Parties excluded by 99.32(d) (school officials, the parents or eligible student, directory information) are
    not recorded and None is returned. Raises Invalid for a missing party, interest or description."""
    if party_kind in EXCLUDED_PARTIES:
        return None
    errors = {}
    if party_kind not in PARTY_KINDS:
        errors["party_kind"] = _("Choose who received the records.")
    if not (party or "").strip():
        errors["party"] = _("Name the party that received the records.")
    if not (legitimate_interest or "").strip():
        errors["legitimate_interest"] = _("Say what legitimate interest the party has.")
    if not (what_disclosed or "").strip():
        errors["what_disclosed"] = _("Say what was disclosed.")
    if errors:
        raise Invalid(errors)
    disclosure = Disclosure(
        district_id=actor.district_id,
        student_id=student_id,
        party=party.strip()[:200],
        party_kind=party_kind,
        legitimate_interest=legitimate_interest.strip(),
        what_disclosed=what_disclosed.strip(),
        statement_ids=list(statement_ids),
        recorded_by=getattr(actor, "id", None),
        disclosed_on=disclosed_on or date.today(),
    )
    db.session.add(disclosure)
    db.session.flush()
    return disclosure


def disclosures_of(student_id: int) -> list[Disclosure]:
    """A student's disclosure record, newest first (the caller checked the actor may read it)."""
    return list(
        db.session.scalars(
            select(Disclosure)
            .where(Disclosure.student_id == student_id)
            .order_by(Disclosure.disclosed_on.desc(), Disclosure.id.desc())
        )
    )


def forget_student(student_id: int) -> int:
    """During a running deletion of the student (and only then: the database function checks), drop the student
    link and free text from both logs. Returns the number of rows changed."""
    return db.session.execute(text("select audit_forget_student(:s)"), {"s": student_id}).scalar() or 0


# Disclosure rules: what may leave the classroom. Any domain that shares beyond the class asks here first.
COPPA_AGE = 13
EDUCATIONAL_USE = "educational"


def coppa_authorisation() -> CoppaAuthorisation | None:
    """The district's current consent for educational use on the parents' behalf (COPPA's school authorisation)."""
    return db.session.scalar(
        select(CoppaAuthorisation)
        .where(CoppaAuthorisation.withdrawn_at.is_(None))
        .order_by(CoppaAuthorisation.id.desc())
        .limit(1)
    )


def authorise_coppa(actor, statement: str) -> CoppaAuthorisation:
    """The caller checked the actor may decide for the district. Raises Invalid without a statement."""
    statement = (statement or "").strip()
    if not statement:
        raise Invalid({"statement": _("Write what the district authorises.")})
    made = CoppaAuthorisation(district_id=actor.district_id, authorised_by=actor.id, statement=statement[:2000])
    db.session.add(made)
    db.session.flush()
    return made


def consent_of(student_id: int, use: str) -> bool | None:
    """The newest decision on a use beyond school (None: nobody decided, which means no)."""
    return db.session.scalar(
        select(Consent.is_granted)
        .where(Consent.student_id == student_id, Consent.use == use)
        .order_by(Consent.id.desc())
        .limit(1)
    )


def record_consent(actor, student_id: int, use: str, is_granted: bool) -> Consent:
    """The caller checked the actor is the student's parent (or the eligible student). Kept as history."""
    made = Consent(
        district_id=actor.district_id, student_id=student_id, use=use, is_granted=bool(is_granted), decided_by=actor.id
    )
    db.session.add(made)
    db.session.flush()
    return made


def _age(birth_date, today: date) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def may_use(student, use: str, today: date | None = None) -> bool:
    """Whether the student's data may serve `use`. Educational use of a child under 13 (an unknown birth date
    counts as under 13) needs the district's COPPA authorisation; every use beyond school needs a parent's yes."""
    today = today or date.today()
    if use == EDUCATIONAL_USE:
        age = _age(student.birth_date, today)
        return (age is not None and age >= COPPA_AGE) or coppa_authorisation() is not None
    return consent_of(student.id, use) is True


def directory_hidden(student_ids) -> set[int]:
    """99.37: the students whose directory information may not be disclosed (directories, exports and shares
    beyond the classroom; classmates and teachers still see the name in class)."""
    ids = [i for i in student_ids if i is not None]
    if not ids:
        return set()
    return set(db.session.scalars(select(DirectoryOptOut.student_id).where(DirectoryOptOut.student_id.in_(ids))))


def set_directory_opt_out(actor, student_id: int, opted_out: bool) -> bool:
    """The caller checked the actor may decide for the student. Returns whether anything changed."""
    current = db.session.scalar(select(DirectoryOptOut).where(DirectoryOptOut.student_id == student_id))
    if opted_out and current is None:
        db.session.add(DirectoryOptOut(district_id=actor.district_id, student_id=student_id, decided_by=actor.id))
        return True
    if not opted_out and current is not None:
        db.session.delete(current)
        return True
    return False


def forget_district() -> int:
    """During a running deletion of the whole district (the database function checks): remove both logs."""
    return db.session.execute(text("select audit_forget_district()")).scalar() or 0
