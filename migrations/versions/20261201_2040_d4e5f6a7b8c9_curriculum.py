"""Curriculum planning: units, lessons, templates, their version history, and the section planner.

Revision ID: d4e5f6a7b8c9
Revises: 8c4d2e6f0a1b
Create Date: 2026-12-01 20:30
"""

from alembic import op

revision = "d4e5f6a7b8c9"
down_revision = "8c4d2e6f0a1b"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"
NEW_TABLES = ("content_versions", "units", "lessons", "content_templates", "planner_entries", "planner_skips")


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
        -- Every save of versioned content (units, lessons, templates; questions later) is a snapshot here. Rows are
        -- immutable once written, except an open autosave, which a user's later autosaves in the same editing
        -- session overwrite for a few minutes (autosave_count says how many edits it holds).
        create table content_versions (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          item_type varchar(20) not null,
          item_id bigint not null,
          number integer not null,
          snapshot jsonb not null,
          author_id bigint,
          note varchar(300),
          is_autosave boolean not null default false,
          autosave_count integer not null default 0,
          editing_session varchar(64),
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          unique (district_id, item_type, item_id, number),
          foreign key (district_id, author_id) references users(district_id, id) on delete set null (author_id)
        );

        create table units (
          id bigserial primary key,
          district_id bigint not null,
          course_id bigint not null,
          school_id bigint,
          owner_id bigint not null,
          title varchar(200) not null,
          summary jsonb not null default '{"blocks": []}',
          big_ideas jsonb not null default '{"blocks": []}',
          essential_questions jsonb not null default '{"blocks": []}',
          duration_days smallint check (duration_days between 1 and 365),
          position integer not null default 0,
          visibility varchar(10) not null default 'private' check (visibility in ('private', 'school', 'district')),
          version integer not null default 1,
          revision integer not null default 1,
          published_version integer,
          copied_from_id bigint,
          copied_from_version integer,
          template_id bigint,
          language varchar(20) not null default 'english',
          plain_text text not null default '',
          search_vector tsvector,
          published_title varchar(200),
          published_text text,
          published_vector tsvector,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          foreign key (district_id, course_id) references courses(district_id, id),
          foreign key (district_id, owner_id) references users(district_id, id),
          unique (district_id, id)
        );
        create index ix_units_published_search on units using gin (published_vector);
        create index ix_units_course on units (district_id, course_id, position);
        create index ix_units_owner on units (district_id, owner_id);
        create index ix_units_copied_from on units (district_id, copied_from_id) where copied_from_id is not null;
        create index ix_units_search on units using gin (search_vector);

        create table lessons (
          id bigserial primary key,
          district_id bigint not null,
          unit_id bigint not null,
          course_id bigint not null,
          school_id bigint,
          owner_id bigint not null,
          title varchar(200) not null,
          sections jsonb not null default '{}',
          duration_minutes smallint check (duration_minutes between 1 and 600),
          position integer not null default 0,
          visibility varchar(10) not null default 'private' check (visibility in ('private', 'school', 'district')),
          version integer not null default 1,
          revision integer not null default 1,
          published_version integer,
          copied_from_id bigint,
          copied_from_version integer,
          template_id bigint,
          language varchar(20) not null default 'english',
          plain_text text not null default '',
          search_vector tsvector,
          published_title varchar(200),
          published_text text,
          published_vector tsvector,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          foreign key (district_id, unit_id) references units(district_id, id) on delete cascade,
          foreign key (district_id, course_id) references courses(district_id, id),
          foreign key (district_id, owner_id) references users(district_id, id),
          unique (district_id, id)
        );
        create index ix_lessons_unit on lessons (district_id, unit_id, position);
        create index ix_lessons_course on lessons (district_id, course_id);
        create index ix_lessons_owner on lessons (district_id, owner_id);
        create index ix_lessons_copied_from on lessons (district_id, copied_from_id) where copied_from_id is not null;
        create index ix_lessons_search on lessons using gin (search_vector);
        create index ix_lessons_published_search on lessons using gin (published_vector);

        -- School templates (school_id set) and district templates (school_id null), managed by admins.
        create table content_templates (
          id bigserial primary key,
          district_id bigint not null,
          school_id bigint,
          kind varchar(10) not null check (kind in ('unit', 'lesson')),
          title varchar(200) not null,
          description varchar(500) not null default '',
          body jsonb not null default '{}',
          version integer not null default 1,
          revision integer not null default 1,
          created_by bigint,
          is_archived boolean not null default false,
          language varchar(20) not null default 'english',
          plain_text text not null default '',
          search_vector tsvector,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          foreign key (district_id, school_id) references schools(district_id, id),
          unique (district_id, id)
        );
        create index ix_content_templates_scope on content_templates (district_id, kind, school_id);
        create index ix_content_templates_search on content_templates using gin (search_vector);

        -- A section's plan: its lessons in order (position), each taking `days` meeting days, none before its
        -- not_before day. Dates are not stored: they follow from the order, the section's meeting days and its
        -- skipped days, so a skip or a calendar change moves what follows. forked_from_id: this section plans its
        -- own copy of a course lesson.
        create table planner_entries (
          id bigserial primary key,
          district_id bigint not null,
          section_id bigint not null,
          lesson_id bigint not null,
          position integer not null,
          days smallint not null default 1 check (days between 1 and 30),
          not_before date,
          forked_from_id bigint,
          created_by bigint,
          created_at timestamptz not null default now(),
          foreign key (district_id, section_id) references sections(district_id, id) on delete cascade,
          foreign key (district_id, lesson_id) references lessons(district_id, id) on delete cascade
        );
        create index ix_planner_entries_section on planner_entries (district_id, section_id, position);
        create index ix_planner_entries_lesson on planner_entries (district_id, lesson_id);

        create table planner_skips (
          id bigserial primary key,
          district_id bigint not null,
          section_id bigint not null,
          skipped_on date not null,
          reason varchar(120) not null default '',
          created_by bigint,
          created_at timestamptz not null default now(),
          foreign key (district_id, section_id) references sections(district_id, id) on delete cascade,
          unique (district_id, section_id, skipped_on)
        );

        -- Full-text search: vectors are computed from the title (weight A) and the plain text (weight B) in the
        -- item's own language, by trigger, since a generated column cannot take its text-search configuration
        -- from another column. Units and lessons keep two: the current text (searched by their editors) and the
        -- published text (searched by everyone else, who never sees a draft).
        create function curriculum_search_vector() returns trigger language plpgsql as $$
        begin
          new.search_vector :=
            setweight(to_tsvector(new.language::regconfig, coalesce(new.title, '')), 'A')
            || setweight(to_tsvector(new.language::regconfig, coalesce(new.plain_text, '')), 'B');
          return new;
        end $$;
        create function curriculum_published_vector() returns trigger language plpgsql as $$
        begin
          new.published_vector := case when new.published_text is null then null else
            setweight(to_tsvector(new.language::regconfig, coalesce(new.published_title, '')), 'A')
            || setweight(to_tsvector(new.language::regconfig, new.published_text), 'B') end;
          return new;
        end $$;
        create trigger units_search before insert or update of title, plain_text, language on units
          for each row execute function curriculum_search_vector();
        create trigger units_published before insert or update of published_title, published_text, language on units
          for each row execute function curriculum_published_vector();
        create trigger lessons_search before insert or update of title, plain_text, language on lessons
          for each row execute function curriculum_search_vector();
        create trigger lessons_published before insert or update of published_title, published_text, language
          on lessons for each row execute function curriculum_published_vector();
        create trigger content_templates_search before insert or update of title, plain_text, language
          on content_templates for each row execute function curriculum_search_vector();
        """
    )
    for table in NEW_TABLES:
        protect(table)
    op.execute(LEAKPROOF_MATCH)


# Under row-level security PostgreSQL evaluates a non-LEAKPROOF operator only after the policy's condition, so it
# cannot drive an index scan: `vector @@ query` would read every row of the district. The match function reveals
# nothing of a row but whether it matches (it raises no error that carries row data), so we mark it LEAKPROOF,
# which only a superuser may do. Without one the migration warns and search works, slowly, until a DBA runs the
# statement (README, "Production").
LEAKPROOF_MATCH = """
do $$
begin
  if (select rolsuper from pg_roles where rolname = current_user) then
    alter function pg_catalog.ts_match_vq(tsvector, tsquery) leakproof;
  else
    raise warning 'full-text search needs a superuser to run: alter function pg_catalog.ts_match_vq(tsvector, tsquery) leakproof';
  end if;
end
$$;
"""


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.execute(f"drop table if exists {table} cascade")
    op.execute("drop function if exists curriculum_search_vector()")
    op.execute("drop function if exists curriculum_published_vector()")
