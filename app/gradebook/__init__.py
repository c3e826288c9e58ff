"""The gradebook: assignments, submissions, grades, term grades, and the student and guardian views of them.

The grade math (`math.py`) and the gradebook CSV layouts (`csvformats.py`) are pure modules; everything that
touches the database is in `services/`."""
