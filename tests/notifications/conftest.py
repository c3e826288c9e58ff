from __future__ import annotations

import pytest

from app import db
from app.notifications.data import Recipient


@pytest.fixture
def person(make_user, actor_of):
    """person(role, **user fields) -> (user, Actor, Recipient) under the user's district."""

    def _make(role: str = "guardian", **fields):
        user = make_user(role=role, **fields)
        db.set_tenant(user.district_id, user.id, "system")
        return user, actor_of(user), Recipient(user.id, user.display_name, user.email, user.locale)

    return _make
