"""Admin analytics: the activity record, the rollups the dashboards read, their rebuilds, the district's settings.

Revision ID: 21e0b2c3d4f5
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 23:00
"""

from alembic import op

revision = "21e0b2c3d4f5"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"
NEW_TABLES = ("user_activity_days", "analytics_rebuilds", "analytics_cells", "analytics_facts", "analytics_settings")


def protect(table: str) -> None:
    op.execute(f"alter table {table} enable row level security")
    op.execute(f"alter table {table} force row level security")
    op.execute(
        f"create policy {table}_district on {table} using (district_id = {TENANT}) with check (district_id = {TENANT})"
    )
    op.execute(f"grant select, insert, update, delete on {table} to {APP_ROLE}")
    op.execute(f"grant usage, select on sequence {table}_id_seq to {APP_ROLE}")


def upgrade() -> None:
    op.execute(
        """
        -- One row per person per day on which they used Chalkline signed in (the request path writes it at most
        -- once a day per person, guarded in Redis). What "active" is computed from; nothing else is recorded.
        create table user_activity_days (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          user_id bigint not null,
          day date not null,
          created_at timestamptz not null default now(),
          unique (district_id, day, user_id),
          foreign key (district_id, user_id) references users(district_id, id) on delete cascade
        );

        -- Each rebuild of a district's rollups: when it ran, what "as of" it stands for, how long it took.
        create table analytics_rebuilds (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          status varchar(10) not null default 'running' check (status in ('running', 'done', 'failed')),
          as_of timestamptz not null,
          first_week date,
          last_week date,
          cells integer not null default 0,
          facts integer not null default 0,
          seconds numeric(8, 2),
          error varchar(1000),
          created_at timestamptz not null default now(),
          finished_at timestamptz
        );
        create index ix_analytics_rebuilds_latest on analytics_rebuilds (district_id, status, finished_at desc);

        -- The summary rows the dashboards read: one per week and group (district, school, grade level, subject,
        -- course, section and their combinations, named by `level`), every metric's numerator and denominator.
        create table analytics_cells (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          level varchar(20) not null,
          week_start date not null,
          school_id bigint,
          grade_level smallint,
          subject varchar(80),
          course_id bigint,
          section_id bigint,
          students integer not null default 0,
          active_students integer not null default 0,
          reached_students integer not null default 0,
          teachers integer not null default 0,
          active_teachers integer not null default 0,
          guardians integer not null default 0,
          active_guardians integer not null default 0,
          class_days integer not null default 0,
          planned_days integer not null default 0,
          taught_days integer not null default 0,
          lessons_planned integer not null default 0,
          lessons_taught integer not null default 0,
          units_planned integer not null default 0,
          units_taught integer not null default 0,
          created_at timestamptz not null default now(),
          unique nulls not distinct (district_id, level, week_start, school_id, grade_level, subject, course_id,
                                     section_id)
        );
        create index ix_analytics_cells_read on analytics_cells (district_id, level, week_start);

        -- The person-weeks behind the cells (who was rostered where in an instructional week, and active or not),
        -- kept by each rebuild so a drill-through lists exactly the rows a number counted. Unlogged: it is
        -- millions of rows rewritten every 15 minutes, and after a crash (when PostgreSQL empties it) the next
        -- rebuild fills it again; course and subject are copied from the section so no level needs a join.
        create unlogged table analytics_facts (
          id bigserial primary key,
          district_id bigint not null,
          week_start date not null,
          role varchar(10) not null,
          user_id bigint not null,
          school_id bigint not null,
          section_id bigint,
          course_id bigint,
          subject varchar(80),
          grade_level smallint,
          is_active boolean not null,
          is_reached boolean not null default false,
          created_at timestamptz not null default now()
        );
        create index ix_analytics_facts_school on analytics_facts (district_id, school_id, week_start, role);

        -- Per district: whether school views show per-teacher figures (off unless the district turns them on).
        create table analytics_settings (
          id bigserial primary key,
          district_id bigint not null references districts(id) unique,
          show_teacher_figures boolean not null default false,
          updated_by bigint,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now()
        );
        """
    )
    for table in NEW_TABLES:
        protect(table)
    op.execute(
        """
        insert into permissions (code, description) values
          ('analytics.view', 'See the analytics dashboards of my schools');
        insert into role_permissions (role, permission_code) values
          ('district_admin', 'analytics.view'), ('school_admin', 'analytics.view');
        """
    )
    # The periodic rebuild visits every district; this returns their ids and nothing else.
    op.execute(
        """
        create function analytics_district_ids() returns setof bigint
        language sql stable security definer set search_path = public, pg_temp as $$
          select id from districts order by id
        $$;
        """
    )
    op.execute("revoke all on function analytics_district_ids() from public")
    op.execute(f"grant execute on function analytics_district_ids() to {APP_ROLE}")


def downgrade() -> None:
    op.execute("drop function if exists analytics_district_ids()")
    op.execute(
        """
        delete from district_role_permissions where permission_code = 'analytics.view';
        delete from role_permissions where permission_code = 'analytics.view';
        delete from permissions where code = 'analytics.view';
        """
    )
    op.execute("drop table if exists " + ", ".join(reversed(NEW_TABLES)) + " cascade")
