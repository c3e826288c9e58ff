"""Only district admins read the district's activity."""

from __future__ import annotations

import pytest

from app.events.services import can_view_activity
from tests.factories import ROLES


@pytest.mark.parametrize("role", ROLES)
def test_only_district_admins_see_the_activity_log(role, actor_in_role):
    assert can_view_activity(actor_in_role(role)) is (role == "district_admin")
