"""Analytics: the activity record, the rollups and their rebuild, the dashboards' panels, suppression.
Other packages import from here only."""

from app.analytics.data import JOB_KINDS
from app.analytics.services.activity import record_activity
from app.analytics.services.dashboard import course_dashboard, district_dashboard, school_dashboard
from app.analytics.services.pages import (
    definitions,
    drill_rows,
    page_context,
    reporting_schools,
    request_rebuild,
    school_in_query,
    section_dashboard,
    start_page,
    table_csv,
    tile_rows,
)
from app.analytics.services.rebuild import district_ids, latest_rebuild, rebuild_district
from app.analytics.services.settings import set_teacher_figures, teacher_figures_on

__all__ = [
    "JOB_KINDS",
    "course_dashboard",
    "definitions",
    "district_dashboard",
    "district_ids",
    "drill_rows",
    "latest_rebuild",
    "page_context",
    "rebuild_district",
    "record_activity",
    "reporting_schools",
    "request_rebuild",
    "school_dashboard",
    "school_in_query",
    "section_dashboard",
    "set_teacher_figures",
    "start_page",
    "table_csv",
    "teacher_figures_on",
    "tile_rows",
]
