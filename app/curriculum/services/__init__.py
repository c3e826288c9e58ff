"""Curriculum: units, lessons and templates (versioned), copies with lineage, the planner, search.
Other packages import from here only."""

from app.curriculum.policy import can_manage_templates, can_plan, is_staff
from app.curriculum.services.access import Access
from app.curriculum.services.copies import copy_lesson, copy_unit, copy_unit_forward
from app.curriculum.services.history import item_history, item_version, restore
from app.curriculum.services.lessons import (
    LessonView,
    create_lesson,
    empty_sections,
    get_lesson,
    lesson_page,
    lesson_snapshot,
    lessons_of_unit,
    publish_lesson,
    update_lesson,
    visible_lessons,
)
from app.curriculum.services.search import Results, search
from app.curriculum.services.templates import (
    archive_template,
    available_templates,
    create_template,
    get_template,
    managed_template,
    starting_point,
    template_history,
    update_template,
)
from app.curriculum.services.units import (
    UnitView,
    course_units,
    create_unit,
    editable_units,
    empty_unit_fields,
    get_unit,
    my_courses,
    publish_unit,
    teachable_course,
    unit_page,
    unit_snapshot,
    update_unit,
    visible_units,
)
from app.curriculum.services.versioning import Stale

__all__ = [
    "Access",
    "LessonView",
    "Results",
    "Stale",
    "UnitView",
    "archive_template",
    "available_templates",
    "can_manage_templates",
    "can_plan",
    "copy_lesson",
    "copy_unit",
    "copy_unit_forward",
    "course_units",
    "create_lesson",
    "create_template",
    "create_unit",
    "editable_units",
    "empty_sections",
    "empty_unit_fields",
    "get_lesson",
    "get_template",
    "get_unit",
    "is_staff",
    "item_history",
    "item_version",
    "lesson_page",
    "lesson_snapshot",
    "lessons_of_unit",
    "managed_template",
    "my_courses",
    "publish_lesson",
    "publish_unit",
    "restore",
    "search",
    "starting_point",
    "teachable_course",
    "template_history",
    "unit_page",
    "unit_snapshot",
    "update_lesson",
    "update_template",
    "update_unit",
    "visible_lessons",
    "visible_units",
]
