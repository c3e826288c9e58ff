"""Gradebook: assignments (per section dates, extensions, exemptions), categories, scales, the district's grading
policy, grading periods and lock dates, submissions, grades with their history, term grades, change approvals.

Revision ID: 20d0a1b2c3e4
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 23:00
"""

from alembic import op

revision = "20d0a1b2c3e4"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"
NEW_TABLES = (
    "grading_policies",
    "grading_scales",
    "grading_periods",
    "grading_categories",
    "assignments",
    "assignment_sections",
    "assignment_overrides",
    "submissions",
    "grades",
    "grade_history",
    "grade_change_requests",
    "term_grades",
    "gradebook_imports",
)


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
        -- One row per district (absent: the defaults). Percentages are of the score; decimals is the rounding
        -- applied before letter cut-offs; lock_days_after_term puts a term's lock date after its last day unless
        -- a grading period (or the term's own row below) says otherwise.
        create table grading_policies (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          missing_counts_as varchar(30) not null default 'zero'
            check (missing_counts_as in ('zero', 'not_counted_until_lock')),
          late_penalty_per_day numeric(6, 2) not null default 0 check (late_penalty_per_day between 0 and 100),
          late_floor numeric(6, 2) not null default 0 check (late_floor between 0 and 100),
          decimals smallint not null default 2 check (decimals between 0 and 4),
          lock_days_after_term smallint not null default 7 check (lock_days_after_term between 0 and 120),
          mastery_method varchar(20) not null default 'most_recent'
            check (mastery_method in ('most_recent', 'highest', 'mean', 'decaying_average')),
          mastery_decay numeric(4, 3) not null default 0.65 check (mastery_decay > 0 and mastery_decay < 1),
          mastery_scale_max smallint not null default 4 check (mastery_scale_max between 1 and 10),
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          unique (district_id)
        );

        -- Letter bands: the district's (no school, no course), a school's, or a course's; the narrowest wins.
        create table grading_scales (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          school_id bigint,
          course_id bigint,
          name varchar(80) not null,
          bands jsonb not null,
          created_at timestamptz not null default now(),
          foreign key (district_id, school_id) references schools(district_id, id) on delete cascade,
          foreign key (district_id, course_id) references courses(district_id, id) on delete cascade
        );
        create unique index ux_grading_scales_scope on grading_scales
          (district_id, coalesce(school_id, 0), coalesce(course_id, 0));

        -- Grading periods inside a term (Q1, Q2, a final exam week) with the weights a term grade combines them
        -- at; a term without any is one period. locks_on: the last day grades of the period may change freely.
        create table grading_periods (
          id bigserial primary key,
          district_id bigint not null,
          term_id bigint not null,
          name varchar(60) not null,
          starts_on date not null,
          ends_on date not null,
          weight numeric(6, 2) not null default 0 check (weight >= 0),
          locks_on date,
          position smallint not null default 0,
          created_at timestamptz not null default now(),
          check (ends_on >= starts_on),
          foreign key (district_id, term_id) references terms(district_id, id) on delete cascade,
          unique (district_id, id)
        );
        create index ix_grading_periods_term on grading_periods (district_id, term_id, starts_on);

        -- A course's categories (section_id null) or one section's own set, which then replaces the course's.
        -- weight null in every category of a set: the set grades by total points.
        create table grading_categories (
          id bigserial primary key,
          district_id bigint not null,
          course_id bigint not null,
          section_id bigint,
          name varchar(80) not null,
          weight numeric(6, 2) check (weight is null or weight >= 0),
          drop_lowest smallint not null default 0 check (drop_lowest between 0 and 20),
          position smallint not null default 0,
          created_at timestamptz not null default now(),
          foreign key (district_id, course_id) references courses(district_id, id) on delete cascade,
          foreign key (district_id, section_id) references sections(district_id, id) on delete cascade,
          unique (district_id, id)
        );
        create index ix_grading_categories_course on grading_categories (district_id, course_id, section_id);

        -- One assignment for one or more sections of a course; dates are per section (assignment_sections).
        -- publish_at null: a draft. is_held: its grades are not shown to students and guardians yet.
        -- question_version_ids pins bank question versions for quizzes (a later issue); standard_ids aligns it.
        create table assignments (
          id bigserial primary key,
          district_id bigint not null,
          course_id bigint not null,
          lesson_id bigint,
          owner_id bigint not null,
          category_id bigint,
          title varchar(200) not null,
          instructions jsonb not null default '{"version": 1, "blocks": []}',
          points_possible numeric(8, 2) not null default 10 check (points_possible >= 0),
          grading_type varchar(20) not null default 'points'
            check (grading_type in ('points', 'percent', 'letter', 'complete_incomplete', 'mastery')),
          submission_type varchar(10) not null default 'none' check (submission_type in ('none', 'text', 'file')),
          allows_extra_credit boolean not null default false,
          publish_at timestamptz,
          is_held boolean not null default false,
          question_version_ids bigint[] not null default '{}',
          standard_ids bigint[] not null default '{}',
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          foreign key (district_id, course_id) references courses(district_id, id),
          foreign key (district_id, owner_id) references users(district_id, id),
          foreign key (district_id, lesson_id) references lessons(district_id, id) on delete set null (lesson_id),
          foreign key (district_id, category_id) references grading_categories(district_id, id)
            on delete set null (category_id),
          unique (district_id, id)
        );
        create index ix_assignments_course on assignments (district_id, course_id);

        create table assignment_sections (
          id bigserial primary key,
          district_id bigint not null,
          assignment_id bigint not null,
          section_id bigint not null,
          due_at timestamptz,
          lock_at timestamptz,
          created_at timestamptz not null default now(),
          check (lock_at is null or due_at is null or lock_at >= due_at),
          foreign key (district_id, assignment_id) references assignments(district_id, id) on delete cascade,
          foreign key (district_id, section_id) references sections(district_id, id) on delete cascade,
          unique (district_id, assignment_id, section_id)
        );
        create index ix_assignment_sections_section on assignment_sections (district_id, section_id, due_at);

        -- Per-student extension (own due/lock) or exemption (the work does not count and is never missing).
        create table assignment_overrides (
          id bigserial primary key,
          district_id bigint not null,
          assignment_id bigint not null,
          student_id bigint not null,
          due_at timestamptz,
          lock_at timestamptz,
          is_exempt boolean not null default false,
          note varchar(300) not null default '',
          created_by bigint,
          created_at timestamptz not null default now(),
          foreign key (district_id, assignment_id) references assignments(district_id, id) on delete cascade,
          foreign key (district_id, student_id) references users(district_id, id) on delete cascade,
          unique (district_id, assignment_id, student_id)
        );

        -- Every attempt is a row (resubmission keeps history); the newest is the current one. Lateness is
        -- computed from submitted_at and the due date, never stored.
        create table submissions (
          id bigserial primary key,
          district_id bigint not null,
          assignment_id bigint not null,
          section_id bigint not null,
          student_id bigint not null,
          attempt integer not null,
          body jsonb,
          file_key varchar(64),
          file_name varchar(255),
          file_type varchar(100),
          file_size integer,
          submitted_at timestamptz not null default now(),
          created_at timestamptz not null default now(),
          foreign key (district_id, assignment_id) references assignments(district_id, id) on delete cascade,
          foreign key (district_id, student_id) references users(district_id, id) on delete cascade,
          unique (district_id, assignment_id, student_id, attempt)
        );
        create index ix_submissions_section on submissions (district_id, section_id, assignment_id);
        create index ix_submissions_student on submissions (district_id, student_id, submitted_at);

        -- The current grade of one student on one assignment. posted_at null: held from students and guardians.
        create table grades (
          id bigserial primary key,
          district_id bigint not null,
          assignment_id bigint not null,
          section_id bigint not null,
          student_id bigint not null,
          score numeric(8, 2),
          letter varchar(10),
          is_excused boolean not null default false,
          is_marked_missing boolean not null default false,
          comment varchar(2000) not null default '',
          posted_at timestamptz,
          graded_by bigint,
          updated_at timestamptz not null default now(),
          created_at timestamptz not null default now(),
          foreign key (district_id, assignment_id) references assignments(district_id, id) on delete cascade,
          foreign key (district_id, student_id) references users(district_id, id) on delete cascade,
          unique (district_id, assignment_id, student_id)
        );
        create index ix_grades_section on grades (district_id, section_id, student_id);
        create index ix_grades_student on grades (district_id, student_id, posted_at);

        -- Every change to a grade (who, when, old, new, and for a change after lock the reason and approver).
        create table grade_history (
          id bigserial primary key,
          district_id bigint not null,
          grade_id bigint not null,
          assignment_id bigint not null,
          student_id bigint not null,
          changed_by bigint,
          old jsonb,
          new jsonb not null,
          reason varchar(500) not null default '',
          approved_by bigint,
          created_at timestamptz not null default now()
        );
        create index ix_grade_history_cell on grade_history (district_id, assignment_id, student_id, id);

        -- A change asked for after grades locked; an admin approves (applied then) or declines it, with a reason.
        create table grade_change_requests (
          id bigserial primary key,
          district_id bigint not null,
          section_id bigint not null,
          assignment_id bigint,
          student_id bigint not null,
          term_grade boolean not null default false,
          change jsonb not null,
          reason varchar(500) not null,
          status varchar(10) not null default 'pending' check (status in ('pending', 'approved', 'declined')),
          requested_by bigint not null,
          decided_by bigint,
          decision_note varchar(500) not null default '',
          decided_at timestamptz,
          created_at timestamptz not null default now(),
          foreign key (district_id, section_id) references sections(district_id, id) on delete cascade
        );
        create index ix_grade_change_requests_pending on grade_change_requests (district_id, status, section_id);

        -- Term (grading period) grades per section and student: computed on close, with a teacher's override.
        -- grading_period_id null: the whole term (periods combined at their weights).
        create table term_grades (
          id bigserial primary key,
          district_id bigint not null,
          section_id bigint not null,
          student_id bigint not null,
          grading_period_id bigint,
          computed_percent numeric(7, 3),
          computed_letter varchar(10),
          override_percent numeric(7, 3),
          override_letter varchar(10),
          override_comment varchar(500) not null default '',
          override_by bigint,
          closed_at timestamptz,
          closed_by bigint,
          updated_at timestamptz not null default now(),
          created_at timestamptz not null default now(),
          foreign key (district_id, section_id) references sections(district_id, id) on delete cascade,
          foreign key (district_id, student_id) references users(district_id, id) on delete cascade
        );
        create unique index ux_term_grades_cell on term_grades
          (district_id, section_id, student_id, coalesce(grading_period_id, 0));

        -- A gradebook CSV brought into one section: the stored upload, the preview (every change, unmatched row
        -- and column, refused value), the job that applies it and its report.
        create table gradebook_imports (
          id bigserial primary key,
          district_id bigint not null,
          section_id bigint not null,
          user_id bigint,
          file_key varchar(64) not null,
          file_name varchar(255) not null,
          layout varchar(10),
          status varchar(10) not null default 'ready' check (status in ('ready', 'invalid', 'applying', 'applied', 'failed')),
          preview jsonb not null default '{}',
          report jsonb,
          job_run_id bigint,
          applied_at timestamptz,
          created_at timestamptz not null default now(),
          foreign key (district_id, section_id) references sections(district_id, id) on delete cascade
        );
        create index ix_gradebook_imports_section on gradebook_imports (district_id, section_id, created_at);

        insert into permissions (code, description) values
          ('grades.approve', 'Approve grade changes after grades lock'),
          ('grades.policy', 'Set the grading policy, scales and grading periods');
        insert into role_permissions (role, permission_code) values
          ('district_admin', 'grades.approve'), ('district_admin', 'grades.policy'),
          ('school_admin', 'grades.approve');
        """
    )
    for table in NEW_TABLES:
        protect(table)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.execute(f"drop table if exists {table} cascade")
    op.execute("delete from district_role_permissions where permission_code in ('grades.approve', 'grades.policy')")
    op.execute("delete from role_permissions where permission_code in ('grades.approve', 'grades.policy')")
    op.execute("delete from permissions where code in ('grades.approve', 'grades.policy')")
