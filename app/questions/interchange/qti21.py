"""QTI 2.1 items (alone, in an assessmentTest's package, or in a zip with or without imsmanifest.xml).

Choice, order, match, extended text and gap match interactions make one question each; text entry and inline
choice interactions in the body make a short answer, a numeric question (baseType float or integer) or blanks.
Hotspots and the other graphic, upload, drawing, slider and custom interactions are reported, not imported."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import Element

from app.questions.data import Blank, Choice, Pair, ParsedBank, QuestionData, TextAnswer
from app.questions.interchange.assets import Images
from app.questions.interchange.markup import build_img, inner_html, outer_html
from app.questions.interchange.qti21_body import NOT_IN_QTI, TOOL_NAME, from_qti_id
from app.questions.interchange.qti21_numeric import numeric_answers
from app.questions.interchange.qti21_package import ItemMeta, item_order, package_title
from app.questions.interchange.values import Bad, Ids, decimal_of, problem

BLOCK = ("choiceInteraction", "orderInteraction", "matchInteraction", "extendedTextInteraction", "gapMatchInteraction")
INLINE = ("textEntryInteraction", "inlineChoiceInteraction")
UNSUPPORTED = {
    "hotspotInteraction": "a hotspot (students click on an image)",
    "graphicOrderInteraction": "a graphic order (students order spots on an image)",
    "graphicAssociateInteraction": "a graphic associate (students link spots on an image)",
    "graphicGapMatchInteraction": "a graphic gap match (students drag onto an image)",
    "selectPointInteraction": "a select point (students click a point on an image)",
    "positionObjectInteraction": "a position object (students place things on an image)",
    "sliderInteraction": "a slider",
    "drawingInteraction": "a drawing",
    "uploadInteraction": "a file upload",
    "mediaInteraction": "a media interaction",
    "customInteraction": "a custom interaction",
    "associateInteraction": "an associate interaction (pairs within one set)",
    "hottextInteraction": "a hot text (students pick words in a passage)",
    "endAttemptInteraction": "an end-attempt button",
}
_DROPPED = frozenset({"feedbackInline", "feedbackBlock", "templateBlock", "templateInline", "printedVariable",
                      "rubricBlock", "stylesheet"})  # fmt: skip


@dataclass
class Declaration:
    cardinality: str
    base: str
    correct: list[str] = field(default_factory=list)
    mapping: list[tuple[str, Decimal, bool | None]] = field(default_factory=list)


def parse(documents: list[tuple[str, Element]], files: dict[str, bytes], manifest: Element | None) -> ParsedBank:
    bank = ParsedBank(format="qti21", categories=[title] if (title := package_title(manifest)) else [])
    ordered, missing = item_order(documents, manifest)
    for href in missing:
        bank.problems.append(problem(href, "missing_item", f"The package names {href!r} but does not hold it."))
    if not ordered:
        message = "There are no QTI 2.1 items here (an assessment test needs the zip that holds its item files)."
        bank.problems.append(problem("upload", "no_items", message))
    for path, root, meta in ordered:
        source_id = from_qti_id(root.get("identifier") or posixpath.basename(path))
        images = Images(files, posixpath.dirname(path), source_id, bank.problems)
        try:
            question = _Item(root, source_id, meta, images).question()
        except Bad as bad:
            bank.problems.append(problem(source_id, bad.code, bad.message))
            continue
        question.assets = _assets(images, meta, path, ours=root.get("toolName") == TOOL_NAME)
        bank.questions.append(question)
    return bank


def _assets(images: Images, meta: ItemMeta, path: str, ours: bool) -> list:
    """The item's images in the manifest's order; for our own packages also those no HTML shows (kept as they were)."""
    if ours:
        for href in meta.files:
            if href != path and href in images.files:
                images.keep(href)
    order = {images.name_of(href): n for n, href in enumerate(meta.files)}
    return sorted(images.asset_list(), key=lambda asset: order.get(asset.name, len(order)))


class _Item:
    def __init__(self, root: Element, source_id: str, meta: ItemMeta, images: Images):
        self.root, self.meta, self.images = root, meta, images
        self.ids = Ids(source_id)
        self.ours = root.get("toolName") == TOOL_NAME
        self.declarations = {d.get("identifier", ""): self._declaration(d) for d in root.iter("responseDeclaration")}
        self.body = root.find("itemBody")
        if self.body is None:
            raise Bad("no_interaction", "The item has no itemBody.")
        self.parents = {child: parent for parent in self.body.iter() for child in parent}
        self.interactions = [e for e in self.body.iter() if e.tag.endswith("Interaction")]
        self.standalone: Element | None = None
        self.question_data = QuestionData(type="essay", stem_html="", title=root.get("title") or "",
                                          source_id=source_id)  # fmt: skip

    def _declaration(self, element: Element) -> Declaration:
        declaration = Declaration(element.get("cardinality", "single"), element.get("baseType", "string"))
        declaration.correct = [(v.text or "").strip() for v in element.findall("correctResponse/value")]
        for entry in element.findall("mapping/mapEntry"):
            value = decimal_of(entry.get("mappedValue"))
            case = entry.get("caseSensitive")
            declaration.mapping.append((entry.get("mapKey", ""), value or Decimal(0),
                                        None if case is None else case == "true"))  # fmt: skip
        return declaration

    def _html(self, element: Element) -> str:
        return self.images.html(inner_html(element, self._special).strip())

    def _special(self, child: Element) -> str | None:
        tag = child.tag
        if tag in _DROPPED or child is self.standalone:
            return ""
        if tag in INLINE:
            return f"[[blank:{self._blank_id(child)}]]"
        if tag == "gapMatchInteraction":
            prompt = child.find("prompt")
            parts = [outer_html(part, self._special) for part in child if part.tag not in ("prompt", "gapText")]
            return ("" if prompt is None else inner_html(prompt, self._special)) + "".join(parts)
        if tag in BLOCK:
            prompt = child.find("prompt")
            return "" if prompt is None else inner_html(prompt, self._special)
        if tag == "gap":
            return f"[[blank:{self._blank_id(child, 'identifier')}]]"
        if tag == "object" and (child.get("type") or "").startswith("image/") and child.get("data"):
            # QTI 2.1 (and Moodle's export) shows images as <object>; the bank's rich text has <img>.
            return build_img({"src": child.get("data", ""), "alt": " ".join((child.text or "").split())})
        classes = (child.get("class") or "").split()
        if tag == "div" and "cl-stem" in classes:
            return inner_html(child, self._special)
        renamed = next((c[3:] for c in classes if c.startswith("cl-") and c[3:] in NOT_IN_QTI), None)
        if renamed:
            return f"<{renamed}>{inner_html(child, self._special)}</{renamed}>"
        return None

    def _blank_id(self, element: Element, attribute: str = "responseIdentifier") -> str:
        if not hasattr(self, "_blank_ids"):
            self._blank_ids: dict[str, str] = {}
        raw = element.get(attribute, "")
        if raw not in self._blank_ids:
            self._blank_ids[raw] = self.ids.take(from_qti_id(raw), "b", raw)
        return self._blank_ids[raw]

    def _points(self) -> Decimal:
        for outcome in self.root.iter("outcomeDeclaration"):
            if outcome.get("identifier") == "MAXSCORE":
                value = decimal_of(outcome.findtext("defaultValue/value"))
                if value is not None and value >= 0:
                    return value
        for outcome in self.root.iter("outcomeDeclaration"):
            if outcome.get("identifier") == "SCORE" and decimal_of(outcome.get("normalMaximum")) is not None:
                return decimal_of(outcome.get("normalMaximum"))
        positive = [v for d in self.declarations.values() for _, v, _ in d.mapping if v > 0]
        if positive:
            single = all(d.cardinality == "single" for d in self.declarations.values())
            return max(positive) if single and len(self.declarations) == 1 else sum(positive)
        return Decimal(1)

    def question(self) -> QuestionData:
        unsupported = [e.tag for e in self.interactions if e.tag in UNSUPPORTED or (e.tag.endswith("Interaction")
                       and e.tag not in BLOCK + INLINE)]  # fmt: skip
        if unsupported:
            what = UNSUPPORTED.get(unsupported[0], f"a {unsupported[0]}")
            raise Bad("unsupported_type", f"This item has {what}, which the bank cannot hold.")
        blocks = [e for e in self.interactions if e.tag in BLOCK]
        inlines = [e for e in self.interactions if e.tag in INLINE]
        if not self.interactions:
            raise Bad("no_interaction", "The item has no interaction to answer.")
        if len(blocks) > 1 or (blocks and inlines and blocks[0].tag != "gapMatchInteraction"):
            raise Bad("several_interactions", "The item asks several questions at once; the bank holds one per item.")
        q = self.question_data
        q.points = self._points()
        q.tags, q.difficulty, q.standard_codes = self.meta.tags, self.meta.difficulty, self.meta.standards
        if self.ours and self.meta.title is not None:
            q.title = self.meta.title  # the item's title attribute cannot be empty; the manifest's can
        for feedback in self.root.findall("modalFeedback"):
            if feedback.get("identifier") == "GENERAL" or len(self.root.findall("modalFeedback")) == 1:
                q.general_feedback_html = self._html(feedback)
        if blocks:
            getattr(self, f"_{blocks[0].tag}")(blocks[0])
        else:
            self._inline(inlines)
        if self.meta.partial_credit is not None:
            q.partial_credit = self.meta.partial_credit
        return q

    def _declaration_of(self, interaction: Element) -> Declaration:
        declaration = self.declarations.get(interaction.get("responseIdentifier", ""))
        if declaration is None:
            raise Bad("no_response_declaration", "The interaction has no response declaration.")
        return declaration

    def _correct(self, declaration: Declaration) -> set[str]:
        return set(declaration.correct) or {key for key, value, _ in declaration.mapping if value > 0}

    def _choiceInteraction(self, interaction: Element) -> None:
        q, declaration = self.question_data, self._declaration_of(interaction)
        q.stem_html = self._html(self.body)
        correct = self._correct(declaration)
        weights = {key: value for key, value, _ in declaration.mapping}
        several = declaration.cardinality == "multiple" or interaction.get("maxChoices", "1") != "1"
        for choice in interaction.findall("simpleChoice"):
            raw = choice.get("identifier", "")
            feedback = choice.find("feedbackInline")
            weight = weights.get(raw)
            if weight is not None and not self.ours:
                weight = min(max(weight / q.points, Decimal(0)), Decimal(1)) if q.points else None
            q.choices.append(Choice(id=self.ids.take(from_qti_id(raw), "o", raw), html=self._html(choice),
                                    correct=raw in correct, weight=weight,
                                    feedback_html="" if feedback is None else self._html(feedback)))  # fmt: skip
        if not any(choice.correct for choice in q.choices):
            raise Bad("no_correct_response", "The item has no correct response.")
        ids = {choice.id for choice in q.choices}
        q.type = "multiple_select" if several else "true_false" if ids == {"true", "false"} else "multiple_choice"
        q.shuffle = interaction.get("shuffle") == "true"
        q.partial_credit = several and bool(declaration.mapping)

    def _orderInteraction(self, interaction: Element) -> None:
        q, declaration = self.question_data, self._declaration_of(interaction)
        q.type, q.stem_html = "ordering", self._html(self.body)
        choices = {c.get("identifier", ""): c for c in interaction.findall("simpleChoice")}
        if not declaration.correct or set(declaration.correct) - set(choices):
            raise Bad("no_correct_response", "The ordering item has no correct order.")
        order = declaration.correct + [raw for raw in choices if raw not in declaration.correct]
        q.items = [Choice(id=self.ids.take(from_qti_id(raw), "o", raw), html=self._html(choices[raw])) for raw in order]
        q.shuffle = interaction.get("shuffle") == "true"

    def _matchInteraction(self, interaction: Element) -> None:
        q, declaration = self.question_data, self._declaration_of(interaction)
        q.type, q.stem_html = "matching", self._html(self.body)
        sets = interaction.findall("simpleMatchSet")
        if len(sets) != 2:
            raise Bad("bad_matching", "A match interaction needs two sets.")
        sources = {c.get("identifier", ""): c for c in sets[0].findall("simpleAssociableChoice")}
        targets = {c.get("identifier", ""): c for c in sets[1].findall("simpleAssociableChoice")}
        used: set[str] = set()
        for value in declaration.correct or [key for key, v, _ in declaration.mapping if v > 0]:
            source, _, target = value.partition(" ")
            if source in sources and target in targets:
                used.add(target)
                q.pairs.append(Pair(id=self.ids.take(from_qti_id(source), "p", source),
                                    prompt_html=self._html(sources[source]),
                                    answer_html=self._html(targets[target])))  # fmt: skip
        if not q.pairs:
            raise Bad("no_correct_response", "The matching item has no correct pairs.")
        q.distractors = [Choice(id=self.ids.take(from_qti_id(raw), "o", raw), html=self._html(element))
                         for raw, element in targets.items() if raw not in used]  # fmt: skip
        q.shuffle = interaction.get("shuffle") == "true"
        q.partial_credit = bool(declaration.mapping)

    def _extendedTextInteraction(self, interaction: Element) -> None:
        q = self.question_data
        q.type, q.stem_html = "essay", self._html(self.body)
        for rubric in self.body.iter("rubricBlock"):
            if {"scorer", "tutor", "author", "proctor"} & set((rubric.get("view") or "").split()):
                q.essay_guidance_html = self._html(rubric)

    def _gapMatchInteraction(self, interaction: Element) -> None:
        q, declaration = self.question_data, self._declaration_of(interaction)
        q.type, q.stem_html = "fill_blanks", self._html(self.body)
        texts = {g.get("identifier", ""): g for g in interaction.findall("gapText")}
        pairs = [value.partition(" ")[::2] for value in declaration.correct]
        for gap in interaction.iter("gap"):
            raw = gap.get("identifier", "")
            right = {text for text, target in pairs if target == raw}
            blank = Blank(id=self._blank_id(gap, "identifier"))
            blank.choices = [Choice(id=self.ids.take(None, "o", raw, text), html=self._html(element),
                                    correct=text in right) for text, element in texts.items()]  # fmt: skip
            if not right:
                raise Bad("no_correct_response", f"The gap {raw!r} has no correct answer.")
            q.blanks.append(blank)

    def _inline(self, inlines: list[Element]) -> None:
        q = self.question_data
        first = inlines[0]
        declaration = self._declaration_of(first)
        parent = self.parents.get(first)
        alone = (
            self.meta.kind != "fill_blanks"
            and len(inlines) == 1 and parent is not None and parent is not self.body and len(parent) == 1
            and not (parent.text or "").strip() and not (first.tail or "").strip()
        )  # fmt: skip
        numeric = declaration.base in ("float", "integer") and self.meta.kind != "fill_blanks"
        if len(inlines) == 1 and first.tag == "textEntryInteraction" and numeric:
            self.standalone = parent if alone else first
            q.type, q.stem_html = "numeric", self._html(self.body)
            q.numeric_answers = numeric_answers(self.root, first.get("responseIdentifier", ""), declaration,
                                                q.points, self.ours, self._answer_ids(first), self.ids)  # fmt: skip
            return
        if alone and first.tag == "textEntryInteraction":
            self.standalone = parent
            q.type, q.stem_html = "short_answer", self._html(self.body)
            q.text_answers = self._text_answers(first, declaration)
            return
        q.type, q.stem_html = "fill_blanks", self._html(self.body)
        for interaction in inlines:
            declaration = self._declaration_of(interaction)
            blank = Blank(id=self._blank_id(interaction))
            if interaction.tag == "inlineChoiceInteraction":
                correct = self._correct(declaration)
                blank.choices = [
                    Choice(id=self.ids.take(from_qti_id(c.get("identifier", "")), "o", c.get("identifier")),
                           html=self._html(c), correct=c.get("identifier") in correct)
                    for c in interaction.findall("inlineChoice")
                ]  # fmt: skip
                if not any(choice.correct for choice in blank.choices):
                    raise Bad("no_correct_response", "A drop-down has no correct choice.")
                q.shuffle = q.shuffle or interaction.get("shuffle") == "true"
            else:
                blank.answers = self._text_answers(interaction, declaration)
            q.blanks.append(blank)

    def _answer_ids(self, interaction: Element) -> list[str]:
        return self.meta.answer_ids.get(interaction.get("responseIdentifier", ""), [])

    def _text_answers(self, interaction: Element, declaration: Declaration) -> list[TextAnswer]:
        entries = [(key, value, case) for key, value, case in declaration.mapping if value > 0]
        if not entries:
            entries = [(value, Decimal(1), None) for value in declaration.correct]
        best = max((value for _, value, _ in entries), default=Decimal(1))
        known = self._answer_ids(interaction)
        known = known if len(known) == len(entries) else []
        answers = [
            TextAnswer(id=known[n] if known else self.ids.take(None, "a", interaction.get("responseIdentifier"), n),
                       text=key, case_sensitive=bool(case),
                       weight=value if self.ours else min(value / best, Decimal(1)))
            for n, (key, value, case) in enumerate(entries)
        ]  # fmt: skip
        if not answers:
            raise Bad("no_correct_response", "The item has no correct response.")
        return answers
