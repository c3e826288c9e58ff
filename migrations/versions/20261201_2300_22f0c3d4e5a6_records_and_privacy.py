"""Records and privacy (FERPA, COPPA): the access audit and the disclosure record (append-only for the app role),
records requests, parent statements, court orders, legal holds, deletions and their receipts, consents,
directory-information opt-outs, retention rules and runs.

Revision ID: 22f0c3d4e5a6
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 23:00
"""

from alembic import op

revision = "22f0c3d4e5a6"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"
APPEND_ONLY = ("access_audit", "disclosures")
NEW_TABLES = (
    "records_requests",
    "records_request_notes",
    "records_statements",
    "court_orders",
    "legal_holds",
    "deletions",
    "consents",
    "coppa_authorisations",
    "directory_opt_outs",
    "retention_rules",
    "retention_runs",
)


def protect(table: str, grants: str = "select, insert, update, delete") -> None:
    op.execute(f"alter table {table} enable row level security")
    op.execute(f"alter table {table} force row level security")
    op.execute(
        f"create policy {table}_district on {table} using (district_id = {TENANT}) with check (district_id = {TENANT})"
    )
    op.execute(f"grant {grants} on {table} to {APP_ROLE}")
    op.execute(f"grant usage, select on sequence {table}_id_seq to {APP_ROLE}")


def upgrade() -> None:
    op.execute(
        """
        -- Every view or export of a student's records by staff: who, which student, what, when, from where, why.
        -- Append-only: the app role may insert and read, never update or delete (grants below). student_id is
        -- cleared only by audit_forget_student() when the student's record is deleted.
        create table access_audit (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          actor_id bigint,
          actor_role varchar(20) not null default '',
          student_id bigint,
          what varchar(60) not null,
          detail varchar(200) not null default '',
          purpose varchar(40) not null,
          origin varchar(120) not null default '',
          created_at timestamptz not null default now()
        );
        create index ix_access_audit_student on access_audit (district_id, student_id, created_at);
        create index ix_access_audit_actor on access_audit (district_id, actor_id, created_at);

        -- 34 CFR 99.32: each disclosure to a party outside the school's officials, with the party's legitimate
        -- interest and what was disclosed. Disclosures to school officials and to the parents are not recorded.
        create table disclosures (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          student_id bigint,
          party varchar(200) not null,
          party_kind varchar(20) not null check (party_kind in
            ('transfer_school', 'state', 'integration', 'webhook', 'api_client', 'subpoena', 'health_safety', 'other')),
          legitimate_interest text not null,
          what_disclosed text not null,
          statement_ids bigint[] not null default '{}',
          recorded_by bigint,
          disclosed_on date not null default current_date,
          created_at timestamptz not null default now()
        );
        create index ix_disclosures_student on disclosures (district_id, student_id, created_at);

        create table records_requests (
          id bigserial primary key,
          district_id bigint not null,
          student_id bigint not null,
          requester_id bigint not null,
          kind varchar(10) not null check (kind in ('inspect', 'copy', 'amend')),
          status varchar(12) not null default 'submitted'
            check (status in ('submitted', 'in_review', 'in_progress', 'ready', 'expired', 'refused', 'closed')),
          details text not null default '',
          record_part varchar(200) not null default '',
          due_on date not null,
          assignee_id bigint,
          reply text not null default '',
          refusal_reason text not null default '',
          locale varchar(10) not null default 'en',
          decision varchar(10) check (decision in ('amended', 'refused')),
          hearing_requested_at timestamptz,
          hearing_outcome varchar(10) check (hearing_outcome in ('amended', 'upheld')),
          hearing_notes text not null default '',
          export_run_id bigint,
          export_key varchar(64),
          export_size bigint,
          export_expires_at timestamptz,
          reminded_at timestamptz,
          closed_at timestamptz,
          created_at timestamptz not null default now(),
          updated_at timestamptz not null default now(),
          foreign key (district_id, student_id) references users(district_id, id),
          foreign key (district_id, requester_id) references users(district_id, id),
          unique (district_id, id)
        );
        create index ix_records_requests_student on records_requests (district_id, student_id, status);
        create index ix_records_requests_queue on records_requests (district_id, status, due_on);
        create index ix_records_requests_requester on records_requests (district_id, requester_id);

        create table records_request_notes (
          id bigserial primary key,
          district_id bigint not null,
          request_id bigint not null,
          author_id bigint,
          body text not null,
          created_at timestamptz not null default now(),
          foreign key (district_id, request_id) references records_requests(district_id, id) on delete cascade
        );
        create index ix_records_request_notes_request on records_request_notes (district_id, request_id);

        -- 99.21(b): after a refused amendment the parent may place a statement in the record; it is kept with the
        -- record and disclosed with the part it is about.
        create table records_statements (
          id bigserial primary key,
          district_id bigint not null,
          student_id bigint not null,
          request_id bigint,
          author_id bigint not null,
          record_part varchar(200) not null,
          body text not null,
          created_at timestamptz not null default now(),
          foreign key (district_id, student_id) references users(district_id, id)
        );
        create index ix_records_statements_student on records_statements (district_id, student_id);

        -- 99.4: a parent keeps the right to the records unless a court order, recorded by the district, removes it.
        create table court_orders (
          id bigserial primary key,
          district_id bigint not null,
          student_id bigint not null,
          guardian_id bigint not null,
          note text not null default '',
          recorded_by bigint,
          ends_on date,
          created_at timestamptz not null default now(),
          foreign key (district_id, student_id) references users(district_id, id)
        );
        create index ix_court_orders_student on court_orders (district_id, student_id, guardian_id);

        create table legal_holds (
          id bigserial primary key,
          district_id bigint not null,
          student_id bigint,
          reason text not null,
          placed_by bigint,
          released_at timestamptz,
          released_by bigint,
          created_at timestamptz not null default now()
        );
        create index ix_legal_holds_student on legal_holds (district_id, student_id) where released_at is null;

        -- A deletion by district policy or contract. Once done, student_id and student_label are cleared: the row
        -- is the receipt (what was deleted, when, by whose decision) and holds no personal data.
        create table deletions (
          id bigserial primary key,
          district_id bigint not null,
          scope varchar(10) not null default 'student' check (scope in ('student', 'district')),
          student_id bigint,
          student_label varchar(200),
          basis varchar(20) not null check (basis in ('district_policy', 'contract_end', 'state_law', 'retention')),
          reason text not null default '',
          status varchar(10) not null default 'pending'
            check (status in ('pending', 'approved', 'running', 'done', 'cancelled')),
          requested_by bigint,
          approved_by bigint,
          approved_at timestamptz,
          job_run_id bigint,
          receipt jsonb not null default '{}',
          finished_at timestamptz,
          created_at timestamptz not null default now()
        );
        create unique index uq_deletions_open_student on deletions (district_id, student_id)
          where student_id is not null and status in ('pending', 'approved', 'running');

        -- COPPA: the district consents for educational use (coppa_authorisations); parents are asked only for uses
        -- beyond it (consents).
        create table coppa_authorisations (
          id bigserial primary key,
          district_id bigint not null,
          authorised_by bigint,
          statement text not null,
          withdrawn_at timestamptz,
          created_at timestamptz not null default now()
        );

        create table consents (
          id bigserial primary key,
          district_id bigint not null,
          student_id bigint not null,
          use varchar(40) not null,
          is_granted boolean not null,
          decided_by bigint,
          created_at timestamptz not null default now(),
          foreign key (district_id, student_id) references users(district_id, id)
        );
        create index ix_consents_student on consents (district_id, student_id, use, created_at);

        create table directory_opt_outs (
          id bigserial primary key,
          district_id bigint not null,
          student_id bigint not null,
          decided_by bigint,
          created_at timestamptz not null default now(),
          foreign key (district_id, student_id) references users(district_id, id),
          unique (district_id, student_id)
        );

        create table retention_rules (
          id bigserial primary key,
          district_id bigint not null,
          data_group varchar(40) not null,
          years_after_leaving smallint not null check (years_after_leaving between 0 and 99),
          is_active boolean not null default true,
          created_by bigint,
          created_at timestamptz not null default now(),
          unique (district_id, data_group)
        );

        create table retention_runs (
          id bigserial primary key,
          district_id bigint not null,
          is_dry_run boolean not null,
          started_by bigint,
          job_run_id bigint,
          report jsonb not null default '{}',
          finished_at timestamptz,
          created_at timestamptz not null default now()
        );
        """
    )
    # Deleting a person checks every foreign key to users; content_versions.author_id (ON DELETE SET NULL) had no
    # index, so each deleted student cost a scan of every version in the district (1,000 leavers: 16 minutes).
    op.execute(
        "create index if not exists ix_content_versions_author on content_versions (district_id, author_id)"
        " where author_id is not null"
    )
    for table in APPEND_ONLY:
        protect(table, grants="select, insert")
    for table in NEW_TABLES:
        protect(table)
    op.execute(FORGET_STUDENT)
    op.execute(FORGET_DISTRICT)
    op.execute("revoke all on function audit_forget_district() from public")
    op.execute(f"grant execute on function audit_forget_district() to {APP_ROLE}")
    op.execute(PENDING_DISTRICTS)
    op.execute("revoke all on function records_pending_districts() from public")
    op.execute(f"grant execute on function records_pending_districts() to {APP_ROLE}")
    op.execute("revoke all on function audit_forget_student(bigint) from public")
    op.execute(f"grant execute on function audit_forget_student(bigint) to {APP_ROLE}")
    op.execute(
        """
        insert into permissions (code, description) values
          ('records.manage', 'Work records requests, holds, disclosures and deletions'),
          ('records.audit', 'Read the access audit and the disclosure record');
        insert into role_permissions (role, permission_code) values
          ('district_admin', 'records.manage'), ('district_admin', 'records.audit');
        """
    )


# The one way a row of the two logs changes: when a student's record is deleted (a deletion of this district is
# running for them), their rows lose the student link and any free text. The function runs as the owner, under
# the caller's district only (named in every condition: a superuser owner would not be held by RLS), and refuses
# without a running deletion.
FORGET_STUDENT = """
create function audit_forget_student(p_student bigint) returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  district bigint := nullif(current_setting('app.district_id', true), '')::bigint;
  changed integer;
  more integer;
begin
  if not exists (select 1 from deletions d
                 where d.district_id = district and d.student_id = p_student and d.status = 'running') then
    raise exception 'no running deletion for this student';
  end if;
  update access_audit set student_id = null, detail = '' where district_id = district and student_id = p_student;
  get diagnostics changed = row_count;
  update disclosures set student_id = null, what_disclosed = '[deleted with the record]', statement_ids = '{}'
    where district_id = district and student_id = p_student;
  get diagnostics more = row_count;
  return changed + more;
end $$;
"""


# At the end of a contract the whole district goes, both logs included: only while a district-scope deletion of the
# caller's district is running.
FORGET_DISTRICT = """
create function audit_forget_district() returns integer
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  district bigint := nullif(current_setting('app.district_id', true), '')::bigint;
  changed integer;
  more integer;
begin
  if not exists (select 1 from deletions d
                 where d.district_id = district and d.scope = 'district' and d.status = 'running') then
    raise exception 'no running deletion of this district';
  end if;
  delete from access_audit where district_id = district;
  get diagnostics changed = row_count;
  delete from disclosures where district_id = district;
  get diagnostics more = row_count;
  return changed + more;
end $$;
"""

# The periodic upkeep (reminders, expiring copies, retention) runs with no tenant set; this narrow function tells it
# which districts to visit, and nothing else.
PENDING_DISTRICTS = """
create function records_pending_districts() returns setof bigint
language sql stable security definer set search_path = public, pg_temp as $$
  select district_id from records_requests where status in ('submitted', 'in_review', 'in_progress', 'ready')
    or export_key is not null
  union
  select district_id from retention_rules where is_active
$$;
"""


def downgrade() -> None:
    op.execute("delete from role_permissions where permission_code in ('records.manage', 'records.audit')")
    op.execute("delete from permissions where code in ('records.manage', 'records.audit')")
    op.execute("drop index if exists ix_content_versions_author")
    op.execute("drop function if exists audit_forget_student(bigint)")
    op.execute("drop function if exists records_pending_districts()")
    op.execute("drop function if exists audit_forget_district()")
    for table in reversed(NEW_TABLES + APPEND_ONLY):
        op.execute(f"drop table if exists {table} cascade")
