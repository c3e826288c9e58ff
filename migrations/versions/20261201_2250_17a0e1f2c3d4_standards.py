"""Standards: frameworks (CASE or CSV), their items, parent edges and other links, imports; alignment of units and
lessons to standards.

Revision ID: 17a0e1f2c3d4
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 22:50
"""

from alembic import op

revision = "17a0e1f2c3d4"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"
NEW_TABLES = ("standard_frameworks", "standard_items", "standard_edges", "standard_links", "standard_imports")


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
        -- A framework is district-wide (state math, state ELA, NGSS, a local one), keyed by its CASE CFDocument
        -- identifier (a CSV framework gets a name-based UUID), so a newer package of the same document updates it.
        create table standard_frameworks (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          identifier varchar(255) not null,
          source varchar(10) not null check (source in ('case', 'csv')),
          title varchar(500) not null,
          creator varchar(500),
          subject varchar(200),
          version varchar(100),
          adoption_status varchar(100),
          uri varchar(1000),
          item_count integer not null default 0,
          imported_at timestamptz,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          unique (district_id, identifier),
          unique (district_id, id)
        );

        -- A standard (or a cluster, a domain, a grade: every CFItem). Keyed on its CASE identifier within the
        -- framework; human_code is what teachers read, blank on clusters and not unique. A standard that
        -- disappears from a newer package is retired, never deleted: alignments to it stay.
        create table standard_items (
          id bigserial primary key,
          district_id bigint not null,
          framework_id bigint not null,
          identifier varchar(255) not null,
          human_code varchar(100),
          full_statement text not null default '',
          abbreviated_statement text,
          item_type varchar(100),
          education_levels varchar(4)[] not null default '{}',
          subject varchar(200),
          list_enumeration varchar(50),
          sequence_number integer,
          position integer not null default 0,
          depth smallint not null default 0,
          is_leaf boolean not null default true,
          uri varchar(1000),
          retired_at timestamptz,
          replaced_by_id bigint,
          -- The code in lower case, for prefix search by range (~>=~ and ~<~ are LEAKPROOF, lower() and LIKE are
          -- not, so under row-level security only this form can use the index).
          code_key varchar(100) generated always as (lower(human_code)) stored,
          search_vector tsvector generated always as (
            to_tsvector('simple', coalesce(human_code, '') || ' ' || coalesce(abbreviated_statement, '') || ' '
                                  || full_statement)) stored,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          foreign key (district_id, framework_id) references standard_frameworks(district_id, id) on delete cascade,
          unique (district_id, framework_id, identifier),
          unique (district_id, id)
        );
        create index ix_standard_items_tree on standard_items (district_id, framework_id, position);
        create index ix_standard_items_code on standard_items (district_id, code_key text_pattern_ops);
        create index ix_standard_items_levels on standard_items using gin (education_levels);
        create index ix_standard_items_search on standard_items using gin (search_vector);

        -- isChildOf: an item may have several parents, each with its own order; parent_id null is the
        -- framework's root level (the CFDocument).
        create table standard_edges (
          id bigserial primary key,
          district_id bigint not null,
          framework_id bigint not null,
          parent_id bigint,
          child_id bigint not null,
          sequence integer,
          position integer not null default 0,
          created_at timestamptz not null default now(),
          foreign key (district_id, framework_id) references standard_frameworks(district_id, id) on delete cascade,
          foreign key (district_id, parent_id) references standard_items(district_id, id) on delete cascade,
          foreign key (district_id, child_id) references standard_items(district_id, id) on delete cascade
        );
        create unique index uq_standard_edges_pair on standard_edges (district_id, child_id, coalesce(parent_id, 0));
        create index ix_standard_edges_parent on standard_edges (district_id, framework_id, parent_id, position);

        -- The other associations (exactMatchOf, isRelatedTo, precedes, replacedBy, ...). The target may lie
        -- outside the package (another framework): then only its identifier and URI are known.
        create table standard_links (
          id bigserial primary key,
          district_id bigint not null,
          framework_id bigint not null,
          origin_id bigint not null,
          link_type varchar(60) not null,
          target_id bigint,
          target_identifier varchar(255) not null,
          target_uri varchar(1000),
          target_title varchar(500),
          created_at timestamptz not null default now(),
          foreign key (district_id, framework_id) references standard_frameworks(district_id, id) on delete cascade,
          foreign key (district_id, origin_id) references standard_items(district_id, id) on delete cascade,
          unique (district_id, origin_id, link_type, target_identifier)
        );
        create index ix_standard_links_target on standard_links (district_id, target_id) where target_id is not null;

        create table standard_imports (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          user_id bigint,
          status varchar(20) not null default 'validating',
          kind varchar(10) not null check (kind in ('case', 'csv')),
          file_key varchar(128) not null,
          file_name varchar(255) not null,
          framework_name varchar(500),
          framework_id bigint,
          errors jsonb not null default '[]',
          warnings jsonb not null default '[]',
          preview jsonb,
          validate_run_id bigint,
          apply_run_id bigint,
          applied_at timestamptz,
          created_at timestamptz not null default now()
        );
        create index ix_standard_imports_recent on standard_imports (district_id, created_at desc);

        -- Alignment is part of a unit's or lesson's content (and so of every version snapshot): the ids of the
        -- standards chosen, in the order chosen.
        alter table units add column standard_ids bigint[] not null default '{}';
        alter table lessons add column standard_ids bigint[] not null default '{}';
        create index ix_lessons_standards on lessons using gin (standard_ids);
        create index ix_units_standards on units using gin (standard_ids);
        """
    )
    for table in NEW_TABLES:
        protect(table)


def downgrade() -> None:
    op.execute("alter table lessons drop column if exists standard_ids")
    op.execute("alter table units drop column if exists standard_ids")
    for table in reversed(NEW_TABLES):
        op.execute(f"drop table if exists {table} cascade")
