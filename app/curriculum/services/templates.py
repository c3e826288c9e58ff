"""Unit and lesson templates: a school's (its structure managers) or the district's (district-wide managers);
every teacher of the district can start a unit or lesson from them."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app import db
from app.curriculum import policy
from app.curriculum.data import SECTION_KEYS
from app.curriculum.models import ContentTemplate
from app.curriculum.services import versioning
from app.curriculum.services.content import UNIT_KEYS, documents, lesson_text, search_language, unit_text
from app.errors import Invalid, NotFound
from app.events.services import record_event
from app.versions import services as versions

KINDS = ("unit", "lesson")


def template_snapshot(template: ContentTemplate) -> dict:
    return {"kind": template.kind, "title": template.title, "description": template.description, "body": template.body}


def _in_reach(actor, template: ContentTemplate) -> bool:
    if template.school_id is None:
        return policy.is_staff(actor)
    schools = policy.staff_school_ids(actor)
    return schools is None or template.school_id in schools


def get_template(actor, template_id: int) -> ContentTemplate:
    """The one scoped getter for templates: staff of its school (or any staff for district ones)."""
    template = db.scoped_get(actor, ContentTemplate, template_id)
    if template is None or not _in_reach(actor, template):
        raise NotFound()
    return template


def managed_template(actor, template_id: int) -> ContentTemplate:
    template = get_template(actor, template_id)
    if not policy.can_manage_templates(actor, template.school_id):
        raise NotFound()
    return template


def available_templates(actor, kind: str | None = None, include_archived: bool = False) -> list[ContentTemplate]:
    """Templates the actor may start from (or manage): the district's and those of their schools."""
    if not policy.is_staff(actor):
        return []
    schools = policy.staff_school_ids(actor)
    query = select(ContentTemplate)
    if schools is not None:
        query = query.where(or_(ContentTemplate.school_id.is_(None), ContentTemplate.school_id.in_(schools or [-1])))
    if kind:
        query = query.where(ContentTemplate.kind == kind)
    if not include_archived:
        query = query.where(ContentTemplate.is_archived.is_(False))
    return list(db.session.scalars(query.order_by(ContentTemplate.kind, ContentTemplate.title)))


def _body(kind: str, posted: dict, previous: dict | None, duration) -> tuple[dict, str]:
    if kind == "lesson":
        sections = documents(posted, (previous or {}).get("sections"), SECTION_KEYS, field_prefix="section_")
        return {"sections": sections, "duration_minutes": duration}, lesson_text("", sections)
    fields = documents(posted, previous, UNIT_KEYS)
    return fields | {"duration_days": duration}, unit_text(fields)


def _check(kind: str, title: str, school_id) -> dict[str, str]:
    errors = {}
    if kind not in KINDS:
        errors["kind"] = _("Choose unit or lesson.")
    if not (title or "").strip():
        errors["title"] = _("Give the template a title.")
    return errors


def create_template(actor, kind: str, school_id: int | None, title: str, description: str, posted: dict, duration=None):
    """School templates: structure managers of the school; district templates (school_id None): district-wide
    managers. NotFound for anyone else; Invalid per field."""
    if not policy.can_manage_templates(actor, school_id):
        raise NotFound()
    errors = _check(kind, title, school_id)
    body, text = {}, ""
    if not errors:
        try:
            body, text = _body(kind, posted, None, duration)
        except Invalid as error:
            errors |= error.fields
    if errors:
        raise Invalid(errors)
    template = ContentTemplate(
        district_id=actor.district_id,
        school_id=school_id,
        kind=kind,
        title=title.strip()[:200],
        description=(description or "").strip()[:500],
        body=body,
        created_by=getattr(actor, "id", None),
        language=search_language(actor),
        plain_text=text,
    )
    db.session.add(template)
    db.session.flush()
    versioning.record(actor, template, "template", template_snapshot(template), note=_("Created"))
    record_event(actor, "template.created", "template", template.id, kind=kind, school_id=school_id)
    db.session.commit()
    return template


def update_template(
    actor, template_id: int, title: str, description: str, posted: dict, duration=None, *, base_revision=None, note=None
):
    """Its managers. Refuses a stale save (versioning.Stale); Invalid per field."""
    managed_template(actor, template_id)
    template = versioning.lock(actor, ContentTemplate, template_id)
    versioning.check_fresh(actor, template, "template", base_revision, template.version, template_snapshot)
    errors = _check(template.kind, title, template.school_id)
    body, text = template.body, template.plain_text
    if not errors:
        try:
            body, text = _body(template.kind, posted, template.body, duration)
        except Invalid as error:
            errors |= error.fields
    if errors:
        raise Invalid(errors)
    template.title, template.description = title.strip()[:200], (description or "").strip()[:500]
    template.body, template.plain_text = body, text
    versioning.record(actor, template, "template", template_snapshot(template), note=note)
    record_event(actor, "template.updated", "template", template.id, version=template.version)
    db.session.commit()
    return template


def archive_template(actor, template_id: int, archived: bool = True):
    """Its managers. An archived template is no longer offered; what was made from it stays."""
    template = managed_template(actor, template_id)
    template.is_archived = archived
    record_event(actor, "template.archived" if archived else "template.restored", "template", template.id)
    db.session.commit()
    return template


def template_history(actor, template_id: int):
    """Its managers: every version, newest first."""
    template = managed_template(actor, template_id)
    return template, versions.history("template", template.id, 200, 0)[0]


def starting_point(actor, template_id: int | None, kind: str) -> dict | None:
    """What create_unit / create_lesson take from a template the actor may use; None without one."""
    if not template_id:
        return None
    template = get_template(actor, template_id)
    if template.kind != kind or template.is_archived:
        raise NotFound()
    return {"id": template.id, "title": template.title, "body": template.body}
