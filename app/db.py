"""Engine, session and the one tenant session hook (docs/architecture.md, "Tenancy").

Every transaction opened by the app session sets app.district_id, app.user_id and app.role with
set_config(..., true): transaction-local, so a pooled connection never carries one request's tenant
into the next. No tenant set means the policies see no rows at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, MetaData, create_engine, event, func, select
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session, sessionmaker

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TenantMixin:
    """Columns every tenant-owned table carries."""

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    district_id: Mapped[int] = mapped_column(BigInteger, nullable=False, index=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


@dataclass(frozen=True)
class Tenant:
    district_id: int | None = None
    user_id: int | None = None
    role: str = ""


NO_TENANT = Tenant()
# Fixed name: the migrations create and grant this role; it owns nothing and cannot bypass RLS.
APP_ROLE = "chalkline_app"
TENANT_KEY = "chalkline.tenant"

session_factory = sessionmaker(expire_on_commit=False)
session: scoped_session[Session] = scoped_session(session_factory)


def _as_setting(value) -> str:
    return "" if value is None else str(value)


def _apply(connection, tenant: Tenant) -> None:
    connection.exec_driver_sql(
        "select set_config('app.district_id', %s, true), set_config('app.user_id', %s, true),"
        " set_config('app.role', %s, true)",
        (_as_setting(tenant.district_id), _as_setting(tenant.user_id), tenant.role),
    )


@event.listens_for(Session, "after_begin")
def _set_tenant_on_begin(sess: Session, transaction, connection) -> None:
    _apply(connection, sess.info.get(TENANT_KEY, NO_TENANT))


def set_tenant(
    district_id: int | None, user_id: int | None = None, role: str = "", sess: Session | None = None
) -> None:
    """Scope the session to a district (and acting user) from now on, including the open transaction."""
    sess = sess or session()
    tenant = Tenant(district_id, user_id, role)
    sess.info[TENANT_KEY] = tenant
    if sess.in_transaction():
        _apply(sess.connection(), tenant)


def scoped_get(actor, model, object_id):
    """The row of `model` with this id if it belongs to the actor's district and the tenant may see it, else None.

    Every aggregate's getter loads by id through here: a query, never `session.get`, because the identity map
    would hand back a row loaded earlier (under another tenant, in a job that switched districts) without
    asking the database, and so without the row-level security policy. The district comparison backs RLS up
    where the session's tenant and the actor could disagree (a job or a test acting for several districts)."""
    if object_id is None:
        return None
    row = session.scalar(select(model).where(model.id == object_id))
    if row is None or row.district_id != actor.district_id:
        return None
    return row


def app_url(owner_url: str, password: str = "", role: str = APP_ROLE) -> URL:
    """The URL the app connects with: same server and database, the unprivileged app role."""
    url = make_url(owner_url).set(drivername="postgresql+psycopg", username=role, password=password or None)
    return url


def owner_url(url: str) -> URL:
    return make_url(url).set(drivername="postgresql+psycopg")


def make_engine(url: URL | str, **kwargs) -> Engine:
    return create_engine(url, pool_pre_ping=False, pool_size=10, max_overflow=10, **kwargs)


def init_app(app) -> None:
    engine = make_engine(app_url(app.config["DATABASE_URL"], app.config["APP_DB_PASSWORD"]))
    app.extensions["db_engine"] = engine
    if not app.config.get("TESTING"):
        session_factory.configure(bind=engine)

    @app.teardown_appcontext
    def _remove_session(exc) -> None:
        session.remove()
