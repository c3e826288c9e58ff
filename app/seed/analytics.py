"""Seeded activity: days on which seeded people used Chalkline, from the current year's first day to today, so
the analytics dashboards have something to show; then the district's first rollup. Set-based and deterministic
(a hash of the person and the day decides), so the same seed makes the same days.

Most teachers, about half the students and a third of the guardians are "engaged" (active on about a third of the
school days), the others rarely; schools differ (by their id) and engagement grows through the year, so trends and
comparisons have shape."""

from __future__ import annotations

from sqlalchemy import text

from app import db

_ACTIVITY = """
insert into user_activity_days (district_id, user_id, day)
select distinct :d, m.user_id, g.day::date
from academic_years y
cross join generate_series(y.starts_on, least(y.ends_on, current_date), interval '1 day') g(day)
join memberships m on m.role in ('teacher', 'student', 'guardian')
where y.is_current and extract(isodow from g.day) < 6
  -- an engaged person (by a hash of who they are) uses Chalkline on a third of the days, anyone else rarely
  and abs(hashtext(m.user_id::text || ':' || g.day::date::text)) % 100
      < case when abs(hashtext(m.user_id::text)) % 100
                  < case m.role when 'teacher' then 70 when 'student' then 40 else 25 end
                    + coalesce(m.school_id % 4, 0) * 7 + (g.day::date - y.starts_on) / 10
             then 35 else 2 end
on conflict do nothing
"""


def seed_analytics(district_id: int, rebuild: bool = True) -> int:
    """Activity days for the district's people, then (unless told not to: the large seed, whose rebuild the benchmark
    times) its first rollup. Returns the number of days written."""
    from app.analytics.services import rebuild_district
    from app.identity.data import SystemActor

    written = db.session.execute(text(_ACTIVITY), {"d": district_id}).rowcount
    if rebuild:
        rebuild_district(SystemActor(district_id))
    return written
