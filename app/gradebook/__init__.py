"""Assignments, submissions and the gradebook, through term close."""
