"""Every ImportProblem code the parsers report, with a general English sentence for it.

The sentences are marked for extraction with `N_` (babel's default keyword), which returns them unchanged: this
package stays free of Flask, and the bank's pages show `gettext(PROBLEM_CODES[problem.code])` in the reader's
language. The problem's own message says the particulars in English (which item, which value) for logs and the CLI."""

from __future__ import annotations


def N_(message: str) -> str:
    return message


PROBLEM_CODES: dict[str, str] = {
    # The whole upload is refused (fatal, no questions).
    "too_large": N_("The file is larger than 30 MB."),
    "bad_zip": N_("The zip file is damaged or is not a zip file."),
    "zip_path": N_("A file in the zip has a path that leaves the archive."),
    "zip_link": N_("The zip holds a link, which is refused."),
    "zip_encrypted": N_("The zip holds an encrypted file."),
    "zip_too_many": N_("The zip holds too many files."),
    "zip_too_large": N_("The zip inflates to more than 300 MB."),
    "zip_bomb": N_("A file in the zip inflates far more than any real file does."),
    "hostile_xml": N_("The XML declares entities or refers to outside resources, which is refused."),
    "not_xml": N_("The XML is not well formed."),
    "too_deep": N_("The XML nests elements too deeply."),
    "bad_encoding": N_("The file's byte order mark does not match its text."),
    "unknown_encoding": N_("The file declares an encoding that is not known."),
    "unknown_format": N_("This is not a QTI, Moodle XML or GIFT file."),
    "parse_failed": N_("The file could not be read."),
    "no_items": N_("There are no questions in the file."),
    # One question is skipped (fatal).
    "unsupported_type": N_("This kind of question cannot be held by the bank."),
    "no_correct_response": N_("The question has no correct answer."),
    "not_a_number": N_("A numeric answer is not a number."),
    "no_presentation": N_("The question has no text or answers."),
    "no_interaction": N_("The question has nothing to answer."),
    "several_interactions": N_("The item asks several questions at once."),
    "no_response_declaration": N_("The item does not declare its response."),
    "no_choices": N_("The choice question has no choices."),
    "no_pairs": N_("The matching question has no pairs."),
    "bad_matching": N_("A matching answer is not written as two sides."),
    "no_items_to_order": N_("The ordering question has fewer than two items."),
    "no_blanks": N_("The fill-in question has no blanks."),
    "bad_gap": N_("A gap in the question has no answer."),
    "no_answers": N_("The question has no answers."),
    "bad_true_false": N_("The true/false question does not have the answers true and false."),
    "no_dataset": N_("The calculated question has no values to use."),
    "bad_formula": N_("A formula cannot be worked out."),
    "missing_item": N_("The package names an item file it does not hold."),
    # Warnings (the question is imported).
    "encoding_guessed": N_("The file is not UTF-8; it was read as Windows-1252."),
    "bad_points": N_("The points are not a number; 1 point is used."),
    "missing_image": N_("An image is not in the upload."),
    "external_image": N_("An image is on another site and is left out."),
    "unsupported_image": N_("A file shown as an image is not a PNG, JPEG, GIF or WebP image."),
    "negative_marks": N_("Penalties for wrong answers are not imported."),
    "calculated_fixed": N_("A calculated question is imported with the values of its first data set."),
    "nested_zip": N_("A zip inside the zip is not opened."),
    "cloze_numeric": N_("A numeric gap is imported as a typed blank that accepts the number as written."),
}
