"""Notifications: the in-app inbox and each person's choice of channels per kind of notification.

Revision ID: 20e1b2c3d4f5
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 23:00
"""

from alembic import op

revision = "20e1b2c3d4f5"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"
NEW_TABLES = ("notifications", "notification_preferences")


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
        -- One row per notification per recipient, whatever its channels: the inbox shows the rows with
        -- in_inbox; mail_message_id points at the outbox row when it went by email too. dedupe_key makes a rerun
        -- of a job (a daily digest) find the row it already wrote instead of sending twice.
        create table notifications (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          user_id bigint not null,
          type varchar(40) not null,
          title varchar(300) not null,
          body text not null default '',
          link varchar(500),
          in_inbox boolean not null default true,
          mail_message_id bigint,
          dedupe_key varchar(200),
          created_by bigint,
          created_at timestamptz not null default now(),
          read_at timestamptz,
          foreign key (district_id, user_id) references users(district_id, id) on delete cascade,
          foreign key (district_id, created_by) references users(district_id, id) on delete set null (created_by)
        );
        create unique index uq_notifications_dedupe on notifications (district_id, user_id, dedupe_key)
          where dedupe_key is not null;
        create index ix_notifications_inbox on notifications (district_id, user_id, created_at desc, id desc)
          where in_inbox;
        create index ix_notifications_unread on notifications (district_id, user_id)
          where in_inbox and read_at is null;

        -- A person's choice per kind; no row means the kind's defaults (app/notifications/data.py).
        create table notification_preferences (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          user_id bigint not null,
          type varchar(40) not null,
          in_app boolean not null,
          email boolean not null,
          updated_at timestamptz not null default now(),
          created_at timestamptz not null default now(),
          unique (district_id, user_id, type),
          foreign key (district_id, user_id) references users(district_id, id) on delete cascade
        );
        """
    )
    for table in NEW_TABLES:
        protect(table)
    # The daily digest job visits every district at its own evening hour: a narrow door that names each
    # district's id and time zone (nothing else), before the job works under that district's tenant.
    op.execute(
        """
        create function notification_digest_districts()
        returns table (district_id bigint, time_zone text)
        language sql stable security definer set search_path = public, pg_temp as $$
          select id, time_zone from districts order by id
        $$;
        revoke all on function notification_digest_districts() from public;
        """
    )
    op.execute(f"grant execute on function notification_digest_districts() to {APP_ROLE}")


def downgrade() -> None:
    op.execute("drop function if exists notification_digest_districts()")
    for table in reversed(NEW_TABLES):
        op.execute(f"drop table if exists {table} cascade")
