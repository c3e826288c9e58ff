"""OneRoster as SIS files are: 1.2 user fields (preferred names, master identifier, primary school), and the
import's warnings and report.

Revision ID: 8c4d2e6f0a1b
Revises: 7b3e9f1a2c4d
Create Date: 2026-12-01 20:38
"""

from alembic import op

revision = "8c4d2e6f0a1b"
down_revision = "7b3e9f1a2c4d"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        alter table users
          add column preferred_given_name varchar(120),
          add column preferred_family_name varchar(120),
          add column master_identifier varchar(255),
          add column primary_school_id bigint;
        -- A school that goes away leaves its people without a primary school, not without an account.
        alter table users add constraint users_primary_school_fk foreign key (district_id, primary_school_id)
          references schools (district_id, id) on delete set null (primary_school_id);

        -- Warnings are kept like errors (at most a thousand, with their counts in the preview); the report is a
        -- stored CSV file, referenced by its storage key.
        alter table oneroster_imports
          add column warnings jsonb not null default '[]'::jsonb,
          add column report_key varchar(128);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        alter table oneroster_imports drop column report_key, drop column warnings;
        alter table users drop constraint users_primary_school_fk;
        alter table users drop column primary_school_id, drop column master_identifier,
          drop column preferred_family_name, drop column preferred_given_name;
        """
    )
