"""Rich text images: one row per image a district's users uploaded into rich text, so an image is served only
inside its district (the bytes are content-addressed blobs in storage; this row is the permission to read one).

Revision ID: 7b3e9f1a2c4d
Revises: 5e8a1c7d9b24
Create Date: 2026-12-01 20:35
"""

from alembic import op

revision = "7b3e9f1a2c4d"
down_revision = "5e8a1c7d9b24"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"
TENANT = "(select nullif(current_setting('app.district_id', true), '')::bigint)"


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
        create table richtext_images (
          id bigserial primary key,
          district_id bigint not null references districts(id),
          storage_key varchar(64) not null check (storage_key ~ '^[0-9a-f]{64}$'),
          content_type varchar(20) not null
            check (content_type in ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
          byte_size integer not null check (byte_size > 0),
          width integer not null check (width > 0),
          height integer not null check (height > 0),
          uploaded_by bigint,  -- no foreign key, like oneroster_imports.user_id: the image outlives its uploader
          created_at timestamptz not null default now(),
          -- The same picture uploaded twice in a district is one row (and one blob).
          unique (district_id, storage_key)
        );
        """
    )
    protect("richtext_images")
    op.execute(f"grant usage, select on sequence richtext_images_id_seq to {APP_ROLE}")


def downgrade() -> None:
    op.execute("drop table if exists richtext_images")
