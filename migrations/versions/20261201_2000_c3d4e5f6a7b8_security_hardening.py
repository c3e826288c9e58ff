"""Security hardening: the sign-in lookup returns ids only (no password hash), and mail keeps a one-time
link's token apart from the body so it can be dropped once the message is sent.

Revision ID: c3d4e5f6a7b8
Revises: b2c3d4e5f6a7
Create Date: 2026-12-01 20:00
"""

from alembic import op

revision = "c3d4e5f6a7b8"
down_revision = "b2c3d4e5f6a7"
branch_labels = None
depends_on = None

APP_ROLE = "chalkline_app"


def upgrade() -> None:
    # Any caller of the definer function, with no tenant set, used to receive the password hash. Now it gets the
    # ids; sign-in then reads the hash under the user's own district, through row-level security.
    op.execute("drop function auth_lookup_user(text)")
    op.execute(
        """
        create function auth_lookup_user(p_email text)
        returns table (user_id bigint, district_id bigint, is_active boolean)
        language sql stable security definer set search_path = public, pg_temp as $$
          select u.id, u.district_id, u.is_active from users u where lower(u.email) = lower(p_email)
        $$;
        """
    )
    op.execute("revoke all on function auth_lookup_user(text) from public")
    op.execute(f"grant execute on function auth_lookup_user(text) to {APP_ROLE}")
    # The body holds a placeholder; the token waits here until the message is sent, then is cleared.
    op.execute("alter table mail_messages add column secret text")


def downgrade() -> None:
    op.execute("alter table mail_messages drop column secret")
    op.execute("drop function auth_lookup_user(text)")
    op.execute(
        """
        create function auth_lookup_user(p_email text)
        returns table (user_id bigint, district_id bigint, password_hash text, is_active boolean)
        language sql stable security definer set search_path = public, pg_temp as $$
          select u.id, u.district_id, u.password_hash, u.is_active from users u where lower(u.email) = lower(p_email)
        $$;
        """
    )
    op.execute("revoke all on function auth_lookup_user(text) from public")
    op.execute(f"grant execute on function auth_lookup_user(text) to {APP_ROLE}")
