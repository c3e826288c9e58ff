"""Only district admins run the year rollover."""

from __future__ import annotations

import pytest

from app.rollover.policy import can_run_rollover
from tests.factories import ROLES


@pytest.mark.parametrize("role", ROLES)
def test_only_district_admins_run_the_rollover(role, actor_in_role):
    assert can_run_rollover(actor_in_role(role)) is (role == "district_admin")
