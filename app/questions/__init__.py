"""The question bank: banks of versioned questions of every common type, their import from QTI, Moodle XML and
GIFT files, and their export as QTI 2.1."""
