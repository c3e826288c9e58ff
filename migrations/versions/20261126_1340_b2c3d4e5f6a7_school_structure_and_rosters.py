"""School structure and rosters: years, terms, courses, sections, enrollments, guardian flags,
OneRoster identifiers, imports, rollovers, people search.

Revision ID: b2c3d4e5f6a7
Revises: a1f0c2d3e4b5
Create Date: 2026-11-26 13:40
"""

from alembic import op

revision = "b2c3d4e5f6a7"
down_revision = "a1f0c2d3e4b5"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"
NEW_TABLES = (
    "academic_years", "terms", "courses", "sections", "section_teachers", "enrollments", "oneroster_imports",
    "rollovers",
)


def protect(table: str) -> None:
    op.execute(f"alter table {table} enable row level security")
    op.execute(f"alter table {table} force row level security")
    op.execute(
        f"create policy {table}_district on {table} using (district_id = {TENANT}) with check (district_id = {TENANT})"
    )
    op.execute(f"grant select, insert, update, delete on {table} to {APP_ROLE}")


def upgrade() -> None:
    op.execute(
        """
        alter table districts add column sourced_id varchar(255);
        alter table schools add column sourced_id varchar(255);
        create unique index uq_schools_district_sourced on schools (district_id, sourced_id) where sourced_id is not null;

        -- Students often have no email in the SIS; they are rostered all the same.
        alter table users alter column email drop not null;
        alter table users
          add column sourced_id varchar(255),
          add column given_name varchar(120),
          add column family_name varchar(120),
          add column identifier varchar(120),
          add column grade_level smallint check (grade_level between -1 and 13),
          add column pronouns varchar(40),
          add column birth_date date,
          add column holds_own_rights boolean not null default false,
          add column has_iep boolean not null default false,
          add column has_504 boolean not null default false,
          add column is_ell boolean not null default false,
          add column search_vector tsvector generated always as (
            to_tsvector('simple', coalesce(display_name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(identifier, ''))
          ) stored;
        create unique index uq_users_district_sourced on users (district_id, sourced_id) where sourced_id is not null;
        create index ix_users_search on users using gin (search_vector);

        alter table guardian_links
          add column sourced_id varchar(255),
          add column has_custody boolean not null default true,
          add column is_emergency_contact boolean not null default true,
          add column can_see_grades boolean not null default true,
          add column lives_with boolean not null default true;

        create table academic_years (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          name varchar(60) not null,
          starts_on date not null,
          ends_on date not null,
          is_current boolean not null default false,
          is_archived boolean not null default false,
          sourced_id varchar(255),
          created_at timestamptz not null default now(),
          check (ends_on > starts_on),
          unique (district_id, name),
          unique (district_id, id)
        );
        create unique index uq_academic_years_current on academic_years (district_id) where is_current;
        create unique index uq_academic_years_sourced on academic_years (district_id, sourced_id) where sourced_id is not null;

        create table terms (
          id bigserial primary key,
          district_id bigint not null,
          academic_year_id bigint not null,
          name varchar(60) not null,
          starts_on date not null,
          ends_on date not null,
          sourced_id varchar(255),
          created_at timestamptz not null default now(),
          check (ends_on > starts_on),
          foreign key (district_id, academic_year_id) references academic_years(district_id, id) on delete cascade,
          unique (district_id, academic_year_id, name),
          unique (district_id, id)
        );
        create unique index uq_terms_sourced on terms (district_id, sourced_id) where sourced_id is not null;

        create table courses (
          id bigserial primary key,
          district_id bigint not null,
          school_id bigint,
          academic_year_id bigint,
          code varchar(60) not null,
          name varchar(200) not null,
          subject varchar(80),
          grade_low smallint,
          grade_high smallint,
          sourced_id varchar(255),
          is_active boolean not null default true,
          created_at timestamptz not null default now(),
          foreign key (district_id, school_id) references schools(district_id, id),
          foreign key (district_id, academic_year_id) references academic_years(district_id, id),
          unique (district_id, id)
        );
        create unique index uq_courses_code on courses (district_id, coalesce(school_id, 0), coalesce(academic_year_id, 0), code);
        create unique index uq_courses_sourced on courses (district_id, sourced_id) where sourced_id is not null;

        create table sections (
          id bigserial primary key,
          district_id bigint not null,
          course_id bigint not null,
          term_id bigint not null,
          school_id bigint not null,
          name varchar(200) not null,
          period varchar(40),
          room varchar(40),
          sourced_id varchar(255),
          is_archived boolean not null default false,
          created_at timestamptz not null default now(),
          foreign key (district_id, course_id) references courses(district_id, id),
          foreign key (district_id, term_id) references terms(district_id, id),
          foreign key (district_id, school_id) references schools(district_id, id),
          unique (district_id, id)
        );
        create index ix_sections_district_course on sections (district_id, course_id);
        create index ix_sections_district_term on sections (district_id, term_id);
        create unique index uq_sections_sourced on sections (district_id, sourced_id) where sourced_id is not null;

        create table section_teachers (
          district_id bigint not null,
          section_id bigint not null,
          teacher_id bigint not null,
          is_primary boolean not null default true,
          created_at timestamptz not null default now(),
          primary key (district_id, section_id, teacher_id),
          foreign key (district_id, section_id) references sections(district_id, id) on delete cascade,
          foreign key (district_id, teacher_id) references users(district_id, id) on delete cascade
        );
        create index ix_section_teachers_teacher on section_teachers (district_id, teacher_id);

        create table enrollments (
          id bigserial primary key,
          district_id bigint not null,
          section_id bigint not null,
          student_id bigint not null,
          added_on date not null default current_date,
          dropped_on date,
          sourced_id varchar(255),
          created_at timestamptz not null default now(),
          check (dropped_on is null or dropped_on >= added_on),
          foreign key (district_id, section_id) references sections(district_id, id) on delete cascade,
          foreign key (district_id, student_id) references users(district_id, id) on delete cascade
        );
        -- A student is in a section at most once at a time; a dropped enrollment stays as history.
        create unique index uq_enrollments_active on enrollments (district_id, section_id, student_id) where dropped_on is null;
        create index ix_enrollments_student on enrollments (district_id, student_id);
        create unique index uq_enrollments_sourced on enrollments (district_id, sourced_id) where sourced_id is not null;

        create table oneroster_imports (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          user_id bigint,
          status varchar(20) not null default 'validating'
            check (status in ('validating', 'invalid', 'ready', 'applying', 'applied', 'failed')),
          file_key varchar(128) not null,
          file_name varchar(255) not null,
          errors jsonb not null default '[]'::jsonb,
          preview jsonb,
          validate_run_id bigint,
          apply_run_id bigint,
          created_at timestamptz not null default now(),
          applied_at timestamptz
        );

        create table rollovers (
          id bigserial primary key,
          district_id bigint not null,
          user_id bigint,
          from_year_id bigint not null,
          to_year_id bigint not null,
          status varchar(20) not null default 'previewed'
            check (status in ('previewed', 'applying', 'applied', 'reverting', 'reverted', 'confirmed', 'failed')),
          preview jsonb,
          undo jsonb,
          job_run_id bigint,
          created_at timestamptz not null default now(),
          applied_at timestamptz,
          confirmed_at timestamptz,
          foreign key (district_id, from_year_id) references academic_years(district_id, id),
          foreign key (district_id, to_year_id) references academic_years(district_id, id)
        );
        """
    )
    for table in NEW_TABLES:
        protect(table)
    op.execute(f"grant usage, select on all sequences in schema public to {APP_ROLE}")
    op.execute(
        """
        insert into permissions (code, description) values
          ('structure.manage', 'Manage years, terms, courses and sections'),
          ('rosters.manage', 'Enroll, move and drop students; manage guardian links'),
          ('rosters.import', 'Import and export OneRoster files'),
          ('rollover.run', 'Roll the district over to a new school year'),
          ('sections.teach', 'See my sections and their rosters');
        insert into role_permissions (role, permission_code) values
          ('district_admin', 'structure.manage'), ('district_admin', 'rosters.manage'),
          ('district_admin', 'rosters.import'), ('district_admin', 'rollover.run'),
          ('school_admin', 'structure.manage'), ('school_admin', 'rosters.manage'),
          ('teacher', 'sections.teach');
        """
    )
    # CLI commands name a district by slug before any tenant is set; this returns its id and nothing else.
    op.execute(
        """
        create function district_id_by_slug(p_slug text) returns bigint
        language sql stable security definer set search_path = public, pg_temp as $$
          select id from districts where slug = p_slug
        $$;
        revoke all on function district_id_by_slug(text) from public;
        """
    )
    op.execute(f"grant execute on function district_id_by_slug(text) to {APP_ROLE}")
    # Overlap guards that hold even if a service forgot its check; they run as the caller, under RLS.
    op.execute(
        """
        create function check_academic_year_overlap() returns trigger language plpgsql as $$
        begin
          if exists (select 1 from academic_years y where y.district_id = new.district_id and y.id <> new.id
                     and daterange(y.starts_on, y.ends_on, '[]') && daterange(new.starts_on, new.ends_on, '[]')) then
            raise exception using errcode = '23P01', message = 'academic years may not overlap';
          end if;
          return new;
        end $$;
        create trigger academic_years_no_overlap before insert or update of starts_on, ends_on on academic_years
          for each row execute function check_academic_year_overlap();
        create function check_term_overlap() returns trigger language plpgsql as $$
        begin
          if exists (select 1 from terms t where t.academic_year_id = new.academic_year_id and t.id <> new.id
                     and daterange(t.starts_on, t.ends_on, '[]') && daterange(new.starts_on, new.ends_on, '[]')) then
            raise exception using errcode = '23P01', message = 'terms of a year may not overlap';
          end if;
          if not exists (select 1 from academic_years y where y.id = new.academic_year_id
                         and new.starts_on >= y.starts_on and new.ends_on <= y.ends_on) then
            raise exception using errcode = '23514', message = 'a term lies inside its academic year';
          end if;
          return new;
        end $$;
        create trigger terms_no_overlap before insert or update of starts_on, ends_on, academic_year_id on terms
          for each row execute function check_term_overlap();
        """
    )


def downgrade() -> None:
    op.execute(
        """
        delete from role_permissions where permission_code in
          ('structure.manage', 'rosters.manage', 'rosters.import', 'rollover.run', 'sections.teach');
        delete from permissions where code in
          ('structure.manage', 'rosters.manage', 'rosters.import', 'rollover.run', 'sections.teach');
        drop table if exists rollovers, oneroster_imports, enrollments, section_teachers, sections, courses, terms,
          academic_years cascade;
        drop function if exists district_id_by_slug(text);
        drop function if exists check_term_overlap();
        drop function if exists check_academic_year_overlap();
        alter table guardian_links drop column sourced_id, drop column has_custody, drop column is_emergency_contact,
          drop column can_see_grades, drop column lives_with;
        alter table users drop column search_vector, drop column sourced_id, drop column given_name,
          drop column family_name, drop column identifier, drop column grade_level, drop column pronouns,
          drop column birth_date, drop column holds_own_rights, drop column has_iep, drop column has_504,
          drop column is_ell;
        alter table schools drop column sourced_id;
        alter table districts drop column sourced_id;
        """
    )
