"""The question bank: banks, their questions (versioned in content_versions), and question-file imports.

Revision ID: 18b0f2e3d4c5
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 23:00
"""

from alembic import op

revision = "18b0f2e3d4c5"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"
NEW_TABLES = ("question_banks", "questions", "question_imports")


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
        -- A bank is a teacher's (private), or shared with the staff of its school or of the district, as lessons
        -- are. Its owner edits it; whoever it reaches reads it and may copy from it.
        create table question_banks (
          id bigserial primary key,
          district_id bigint not null,
          school_id bigint,
          owner_id bigint not null,
          name varchar(200) not null,
          description varchar(500) not null default '',
          visibility varchar(10) not null default 'private' check (visibility in ('private', 'school', 'district')),
          copied_from_id bigint,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          foreign key (district_id, owner_id) references users(district_id, id),
          foreign key (district_id, school_id) references schools(district_id, id),
          unique (district_id, id)
        );
        create index ix_question_banks_owner on question_banks (district_id, owner_id);

        -- The live state of a question; every save is also a snapshot in content_versions (item_type 'question'),
        -- which is what an assignment pins. `stem` is a rich-text document; `body` the rest of the question in the
        -- shape of app/questions/data.py's QuestionData (decimals as strings). standard_ids will reference the
        -- standards of issue 17 once they exist (no foreign key until then).
        create table questions (
          id bigserial primary key,
          district_id bigint not null,
          bank_id bigint not null,
          owner_id bigint not null,
          type varchar(20) not null check (type in ('multiple_choice', 'multiple_select', 'true_false',
            'short_answer', 'numeric', 'matching', 'ordering', 'fill_blanks', 'essay')),
          title varchar(200) not null default '',
          stem jsonb not null default '{"version": 1, "blocks": []}',
          body jsonb not null default '{}',
          points numeric(8, 2) not null default 1 check (points >= 0),
          difficulty smallint check (difficulty between 1 and 5),
          tags text[] not null default '{}',
          standard_ids uuid[] not null default '{}',
          source_id varchar(200) not null default '',
          is_archived boolean not null default false,
          version integer not null default 1,
          revision integer not null default 1,
          copied_from_id bigint,
          copied_from_version integer,
          language varchar(20) not null default 'english',
          plain_text text not null default '',
          search_vector tsvector,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          foreign key (district_id, bank_id) references question_banks(district_id, id) on delete cascade,
          foreign key (district_id, owner_id) references users(district_id, id),
          unique (district_id, id)
        );
        create index ix_questions_bank on questions (district_id, bank_id, id desc) where not is_archived;
        create index ix_questions_bank_type on questions (district_id, bank_id, type) where not is_archived;
        -- The bank page's tag list and its filters read tags and difficulty from the index alone.
        create index ix_questions_bank_tags on questions (district_id, bank_id) include (tags, difficulty)
          where not is_archived;
        create index ix_questions_search on questions using gin (search_vector);
        create index ix_questions_tags on questions using gin (tags);
        create index ix_questions_standards on questions using gin (standard_ids);
        create index ix_questions_copied_from on questions (district_id, copied_from_id)
          where copied_from_id is not null;
        -- Title (A) and plain text (B) in the question's language, by the curriculum's trigger function.
        create trigger questions_search before insert or update of title, plain_text, language on questions
          for each row execute function curriculum_search_vector();

        -- An uploaded QTI, Moodle XML or GIFT file: parsed into a preview (nothing written), then applied into a
        -- bank all or nothing by a job.
        create table question_imports (
          id bigserial primary key,
          district_id bigint not null,
          user_id bigint,
          bank_id bigint,
          status varchar(20) not null default 'checking',
          format varchar(20),
          file_key varchar(128) not null,
          file_name varchar(255) not null,
          preview jsonb,
          problems jsonb not null default '[]',
          check_run_id bigint,
          apply_run_id bigint,
          created_count integer not null default 0,
          applied_at timestamptz,
          created_at timestamptz not null default now(),
          foreign key (district_id, bank_id) references question_banks(district_id, id) on delete set null (bank_id)
        );
        create index ix_question_imports_recent on question_imports (district_id, created_at desc);
        """
    )
    for table in NEW_TABLES:
        protect(table)


def downgrade() -> None:
    for table in reversed(NEW_TABLES):
        op.execute(f"drop table if exists {table} cascade")
