"""Version diff: which versions were published, so readers who are not editors can compare them.

Revision ID: 19c0d1e2f3a4
Revises: d4e5f6a7b8c9
Create Date: 2026-12-01 23:00
"""

from alembic import op

revision = "19c0d1e2f3a4"
down_revision = "d4e5f6a7b8c9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Set when a version is published (and kept after a newer one is): readers who are not editors may compare
    # any two versions that were published. A version published before this column existed is still known as
    # the item's published_version, which the services also accept.
    op.execute("alter table content_versions add column published_at timestamptz")


def downgrade() -> None:
    op.execute("alter table content_versions drop column published_at")
