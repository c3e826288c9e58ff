"""Search over the plans the user may see: a page that works without JavaScript, and a box that updates as
you type (HTMX asks the same URL for the results block)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.curriculum import policy, services
from app.curriculum.forms import SearchForm
from app.curriculum.views.blueprint import bp
from app.errors import NotFound
from app.org import services as org
from app.questions import services as questions
from app.ui.pagination import page_of
from app.ui.params import page_arg, to_int
from app.ui.render import render


@bp.get("/search")
@login_required
def search():
    if not policy.is_staff(current_user):
        raise NotFound()
    form = SearchForm(request.args)
    courses = services.my_courses(current_user) if policy.can_plan(current_user) else []
    form.course.choices = [("", _("Any course"))] + [(str(r["course"].id), r["course"].name) for r in courses]
    form.subject.choices = [("", _("Any subject"))] + [(s, s) for s in org.subjects()]
    form.grade.choices = [("", _("Any grade"))] + [(str(g), label) for g, label in org.grade_choices()]
    kind = request.args.get("kind") if request.args.get("kind") in ("unit", "lesson", "template", "question") else None
    page = page_arg()
    results = services.search(
        current_user,
        form.q.data or "",
        kind=kind,
        course_id=to_int(request.args.get("course")),
        subject=(request.args.get("subject") or "")[:80] or None,
        grade=to_int(request.args.get("grade")),
        page=page,
    )
    # The question bank's matches join the first page when no filter of plans narrows the search.
    narrowed = kind not in (None, "question") or any(request.args.get(k) for k in ("course", "subject", "grade"))
    question_hits = ([], 0) if narrowed or page > 1 else questions.search_questions(current_user, form.q.data or "")
    return render(
        "curriculum/search/show.html",
        question_hits=question_hits,
        block="results",
        form=form,
        results=results,
        page=page_of(results.total, page, 20),
    )
