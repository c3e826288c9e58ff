"""Foundation: districts, schools, people, sessions, tokens, permissions, outbox, job runs, mail.

Every tenant table gets FORCE ROW LEVEL SECURITY and the district policy in this same migration.

Revision ID: a1f0c2d3e4b5
Revises:
Create Date: 2026-11-26 12:40
"""

from alembic import op

revision = "a1f0c2d3e4b5"
down_revision = None
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"


def protect(table: str, column: str = "district_id") -> None:
    """FORCE RLS plus the one district policy; the app role gets DML and nothing else."""
    op.execute(f"alter table {table} enable row level security")
    op.execute(f"alter table {table} force row level security")
    op.execute(
        f"create policy {table}_district on {table} using ({column} = {TENANT}) with check ({column} = {TENANT})"
    )
    op.execute(f"grant select, insert, update, delete on {table} to {APP_ROLE}")


def upgrade() -> None:
    op.execute(
        f"""
        do $$ begin
          if not exists (select from pg_roles where rolname = '{APP_ROLE}') then
            create role {APP_ROLE} login nosuperuser nobypassrls nocreatedb nocreaterole;
          end if;
        end $$;
        """
    )
    op.execute(f"grant usage on schema public to {APP_ROLE}")
    op.execute(f"grant select on alembic_version to {APP_ROLE}")

    op.execute(
        """
        create table districts (
          id bigserial primary key,
          slug varchar(63) not null unique check (slug ~ '^[a-z0-9][a-z0-9-]*$'),
          name varchar(200) not null,
          default_locale varchar(10) not null default 'en',
          time_zone varchar(64) not null default 'America/New_York',
          created_at timestamptz not null default now()
        );
        create table schools (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          name varchar(200) not null,
          code varchar(40) not null,
          grade_low smallint not null default 0,
          grade_high smallint not null default 12,
          created_at timestamptz not null default now(),
          unique (district_id, code),
          unique (district_id, id)
        );
        create table users (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          email varchar(254) not null,
          display_name varchar(120) not null,
          password_hash varchar(255),
          locale varchar(10),
          time_zone varchar(64),
          is_active boolean not null default true,
          password_changed_at timestamptz,
          last_sign_in_at timestamptz,
          created_at timestamptz not null default now(),
          unique (district_id, id)
        );
        -- Email identifies an account across the platform: sign-in needs no district picker.
        create unique index uq_users_email on users (lower(email));
        create index ix_users_district_name on users (district_id, display_name);
        create table memberships (
          id bigserial primary key,
          district_id bigint not null,
          user_id bigint not null,
          school_id bigint,
          role varchar(20) not null check (role in ('district_admin','school_admin','teacher','student','guardian')),
          created_at timestamptz not null default now(),
          foreign key (district_id, user_id) references users(district_id, id) on delete cascade,
          foreign key (district_id, school_id) references schools(district_id, id) on delete cascade,
          unique nulls not distinct (district_id, user_id, school_id, role)
        );
        create index ix_memberships_district_school_role on memberships (district_id, school_id, role);
        create table permissions (
          code varchar(64) primary key,
          description varchar(200) not null
        );
        create table role_permissions (
          role varchar(20) not null,
          permission_code varchar(64) not null references permissions(code),
          primary key (role, permission_code)
        );
        create table district_role_permissions (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          role varchar(20) not null,
          permission_code varchar(64) not null references permissions(code),
          is_granted boolean not null,
          created_at timestamptz not null default now(),
          unique (district_id, role, permission_code)
        );
        create table user_sessions (
          id bigserial primary key,
          district_id bigint not null,
          user_id bigint not null,
          token_hash varchar(64) not null unique,
          created_at timestamptz not null default now(),
          last_seen_at timestamptz not null default now(),
          expires_at timestamptz not null,
          revoked_at timestamptz,
          user_agent varchar(300),
          foreign key (district_id, user_id) references users(district_id, id) on delete cascade
        );
        create index ix_user_sessions_district_user on user_sessions (district_id, user_id);
        create table one_time_tokens (
          id bigserial primary key,
          district_id bigint not null,
          user_id bigint not null,
          purpose varchar(20) not null check (purpose in ('reset','invite')),
          token_hash varchar(64) not null unique,
          expires_at timestamptz not null,
          used_at timestamptz,
          created_at timestamptz not null default now(),
          foreign key (district_id, user_id) references users(district_id, id) on delete cascade
        );
        create table guardian_links (
          id bigserial primary key,
          district_id bigint not null,
          guardian_id bigint not null,
          student_id bigint not null,
          relationship varchar(40) not null default 'guardian',
          created_at timestamptz not null default now(),
          foreign key (district_id, guardian_id) references users(district_id, id) on delete cascade,
          foreign key (district_id, student_id) references users(district_id, id) on delete cascade,
          unique (district_id, guardian_id, student_id)
        );
        create index ix_guardian_links_district_student on guardian_links (district_id, student_id);
        create table events (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          type varchar(64) not null,
          actor_id bigint,
          subject_type varchar(40),
          subject_id bigint,
          payload jsonb not null default '{}'::jsonb,
          created_at timestamptz not null default now(),
          dispatched_at timestamptz
        );
        create index ix_events_district_created on events (district_id, created_at desc, id desc);
        create index ix_events_undispatched on events (district_id, id) where dispatched_at is null;
        create table job_runs (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          user_id bigint,
          kind varchar(64) not null,
          status varchar(12) not null default 'queued' check (status in ('queued','running','done','failed')),
          progress integer not null default 0,
          total integer,
          message text,
          result jsonb,
          error text,
          dedupe_key varchar(200),
          created_at timestamptz not null default now(),
          started_at timestamptz,
          finished_at timestamptz,
          unique (district_id, dedupe_key)
        );
        create index ix_job_runs_district_user on job_runs (district_id, user_id, created_at desc);
        create table mail_messages (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          to_address varchar(254) not null,
          subject varchar(300) not null,
          body_text text not null,
          status varchar(12) not null default 'queued' check (status in ('queued','sent','failed')),
          attempts integer not null default 0,
          job_run_id bigint,
          error text,
          created_at timestamptz not null default now(),
          sent_at timestamptz
        );
        create index ix_mail_messages_queued on mail_messages (district_id, id) where status = 'queued';
        """
    )
    protect("districts", column="id")
    for table in (
        "schools",
        "users",
        "memberships",
        "district_role_permissions",
        "user_sessions",
        "one_time_tokens",
        "guardian_links",
        "events",
        "job_runs",
        "mail_messages",
    ):
        protect(table)
    op.execute(f"grant select on permissions, role_permissions to {APP_ROLE}")
    op.execute(f"grant usage, select on all sequences in schema public to {APP_ROLE}")

    # The narrow doors through RLS. They run as the owner (superuser or BYPASSRLS) and return
    # only what the caller needs to then set the tenant and continue under the policies.
    op.execute(
        """
        create function auth_lookup_user(p_email text)
        returns table (user_id bigint, district_id bigint, password_hash text, is_active boolean)
        language sql stable security definer set search_path = public, pg_temp as $$
          select u.id, u.district_id, u.password_hash, u.is_active
          from users u where lower(u.email) = lower(p_email)
        $$;
        create function auth_lookup_token(p_token_hash text)
        returns table (district_id bigint, user_id bigint)
        language sql stable security definer set search_path = public, pg_temp as $$
          select t.district_id, t.user_id from one_time_tokens t where t.token_hash = p_token_hash
        $$;
        -- The outbox sweep visits only districts with work waiting, then works under each one's tenant.
        create function outbox_pending_districts()
        returns setof bigint
        language sql stable security definer set search_path = public, pg_temp as $$
          select distinct district_id from events where dispatched_at is null
          union
          select distinct district_id from mail_messages where status = 'queued'
        $$;
        """
    )
    # Invoker's rights: the overrides it reads are those of the caller's district (RLS). No SET clause,
    # so the planner can inline it into the per-request actor query.
    op.execute(
        """
        create function effective_permissions(p_roles text[])
        returns setof text
        language sql stable as $$
          select rp.permission_code from public.role_permissions rp
          where rp.role = any(p_roles)
            and not exists (select 1 from public.district_role_permissions o
                            where o.role = rp.role and o.permission_code = rp.permission_code and not o.is_granted)
          union
          select o.permission_code from public.district_role_permissions o where o.role = any(p_roles) and o.is_granted
        $$;
        """
    )
    op.execute(f"grant execute on function effective_permissions(text[]) to {APP_ROLE}")
    for fn in ("auth_lookup_user(text)", "auth_lookup_token(text)", "outbox_pending_districts()"):
        op.execute(f"revoke all on function {fn} from public")
        op.execute(f"grant execute on function {fn} to {APP_ROLE}")

    op.execute(
        """
        insert into permissions (code, description) values
          ('district.manage', 'Manage district settings and schools'),
          ('users.view', 'See the people directory'),
          ('users.invite', 'Invite people and assign roles'),
          ('activity.view', 'See the district activity log'),
          ('school.view', 'See school information'),
          ('students.view_own', 'See the students linked to me');
        insert into role_permissions (role, permission_code) values
          ('district_admin', 'district.manage'), ('district_admin', 'users.view'),
          ('district_admin', 'users.invite'), ('district_admin', 'activity.view'),
          ('district_admin', 'school.view'),
          ('school_admin', 'users.view'), ('school_admin', 'users.invite'),
          ('school_admin', 'school.view'),
          ('teacher', 'school.view'),
          ('guardian', 'students.view_own');
        """
    )


def downgrade() -> None:
    op.execute(
        """
        drop function if exists effective_permissions(text[]);
        drop function if exists outbox_pending_districts();
        drop function if exists auth_lookup_token(text);
        drop function if exists auth_lookup_user(text);
        drop table if exists mail_messages, job_runs, events, guardian_links, one_time_tokens, user_sessions,
          district_role_permissions, role_permissions, permissions, memberships, users, schools, districts cascade;
        """
    )
