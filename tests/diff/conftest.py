"""The compare pages live in curriculum: its planning fixtures serve here too."""

from tests.curriculum.conftest import add_co_teacher, planning

__all__ = ["add_co_teacher", "planning"]
