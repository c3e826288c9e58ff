"""Question interchange: QTI 1.2 (Canvas), QTI 2.1, Moodle XML and GIFT read into QuestionData, QTI 2.1 written.

Pure code over bytes and plain dataclasses (app/questions/data.py): no database, no Flask. The bank calls
`parse_upload(filename, data)` and `export_qti21(bank_name, questions)`; docs/decisions/0018 says what maps to what.
"""

from app.questions.interchange.export import export_qti21
from app.questions.interchange.upload import parse_upload

__all__ = ["export_qti21", "parse_upload"]
