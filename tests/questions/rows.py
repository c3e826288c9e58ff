"""One row of each question-bank table for a district, for tests/test_tenancy.py's isolation check."""

from __future__ import annotations

from app import db


def one_of_each(district, teacher) -> None:
    from app.questions.models import Question, QuestionBank, QuestionImport

    bank = QuestionBank(district_id=district.id, owner_id=teacher.id, name="Bank")
    db.session.add(bank)
    db.session.flush()
    db.session.add_all(
        [
            Question(district_id=district.id, bank_id=bank.id, owner_id=teacher.id, type="essay", body={}),
            QuestionImport(district_id=district.id, user_id=teacher.id, file_key="0" * 64, file_name="bank.xml"),
        ]
    )
    db.session.flush()
