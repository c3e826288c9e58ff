"""Admin analytics: adoption and outcome metrics per school, grade level, course and section, read from rollups."""
