"""Coverage: for each standard of a course's grade and subject, where it is planned, taught and assessed."""
