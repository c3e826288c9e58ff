"""Every ImportProblem code the parsers report, with a general English sentence for it.

The bank's preview translates a problem by its code (these sentences are its msgids); the problem's own message
says the particulars in English (which item, which value) for logs and the CLI."""

from __future__ import annotations

PROBLEM_CODES: dict[str, str] = {
    # The whole upload is refused (fatal, no questions).
    "too_large": "The file is larger than 30 MB.",
    "bad_zip": "The zip file is damaged or is not a zip file.",
    "zip_path": "A file in the zip has a path that leaves the archive.",
    "zip_link": "The zip holds a link, which is refused.",
    "zip_encrypted": "The zip holds an encrypted file.",
    "zip_too_many": "The zip holds too many files.",
    "zip_too_large": "The zip inflates to more than 300 MB.",
    "zip_bomb": "A file in the zip inflates far more than any real file does.",
    "hostile_xml": "The XML declares entities or refers to outside resources, which is refused.",
    "not_xml": "The XML is not well formed.",
    "too_deep": "The XML nests elements too deeply.",
    "bad_encoding": "The file's byte order mark does not match its text.",
    "unknown_encoding": "The file declares an encoding that is not known.",
    "unknown_format": "This is not a QTI, Moodle XML or GIFT file.",
    "parse_failed": "The file could not be read.",
    "no_items": "There are no questions in the file.",
    # One question is skipped (fatal).
    "unsupported_type": "This kind of question cannot be held by the bank.",
    "no_correct_response": "The question has no correct answer.",
    "not_a_number": "A numeric answer is not a number.",
    "no_presentation": "The question has no text or answers.",
    "no_interaction": "The question has nothing to answer.",
    "several_interactions": "The item asks several questions at once.",
    "no_response_declaration": "The item does not declare its response.",
    "no_choices": "The choice question has no choices.",
    "no_pairs": "The matching question has no pairs.",
    "bad_matching": "A matching answer is not written as two sides.",
    "no_items_to_order": "The ordering question has fewer than two items.",
    "no_blanks": "The fill-in question has no blanks.",
    "bad_gap": "A gap in the question has no answer.",
    "no_answers": "The question has no answers.",
    "bad_true_false": "The true/false question does not have the answers true and false.",
    "no_dataset": "The calculated question has no values to use.",
    "bad_formula": "A formula cannot be worked out.",
    "missing_item": "The package names an item file it does not hold.",
    # Warnings (the question is imported).
    "encoding_guessed": "The file is not UTF-8; it was read as Windows-1252.",
    "bad_points": "The points are not a number; 1 point is used.",
    "missing_image": "An image is not in the upload.",
    "external_image": "An image is on another site and is left out.",
    "unsupported_image": "A file shown as an image is not a PNG, JPEG, GIF or WebP image.",
    "negative_marks": "Penalties for wrong answers are not imported.",
    "calculated_fixed": "A calculated question is imported with the values of its first data set.",
    "nested_zip": "A zip inside the zip is not opened.",
    "cloze_numeric": "A numeric gap is imported as a typed blank that accepts the number as written.",
}
