"""Curriculum planning: units and lessons (versioned on every save), school and district templates, sharing and
copies with their lineage, the section planner, and search over all of it."""
