"""The inside of an exported QTI 2.1 item: declarations, the itemBody with its interaction, response processing."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement

from app.questions.data import QuestionData
from app.questions.interchange.markup import html_into

QTI_NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
EXTENSION_NS = "urn:chalkline:questions:1"
TOOL_NAME = "Chalkline"
BLANK = re.compile(r"\[\[blank:([A-Za-z0-9_.-]+)\]\]")
# XHTML that QTI 2.1 does not have travels as a span or div with class "cl-TAG", and comes back as TAG.
NOT_IN_QTI = {"del": "span", "s": "span", "strike": "span", "u": "span", "mark": "span", "figure": "div",
              "figcaption": "div"}  # fmt: skip
BLOCKS = frozenset({"p", "div", "ul", "ol", "table", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
                    "figure", "dl", "address"})  # fmt: skip


def qti_id(value: str) -> str:
    """An id as a QTI identifier: ids starting with a digit (Canvas's) get a leading underscore."""
    return f"_{value}" if value[:1].isdigit() else value


def from_qti_id(value: str) -> str:
    return value[1:] if len(value) > 1 and value[0] == "_" and value[1].isdigit() else value


def _rename(element: Element) -> None:
    for node in element.iter():
        if node.tag in NOT_IN_QTI:
            node.set("class", f"cl-{node.tag}")
            node.tag = NOT_IN_QTI[node.tag]


def body_html(parent: Element, html: str) -> Element:
    """`html` as XHTML under `parent`, with the tags QTI lacks renamed (see NOT_IN_QTI)."""
    start = len(parent)
    html_into(parent, html)
    for child in list(parent)[start:]:
        _rename(child)
    return parent


def _stem(body: Element, html: str) -> Element:
    """The stem under itemBody; inline content is wrapped in div.cl-stem (itemBody holds blocks only)."""
    if not html:
        return body
    probe = html_into(Element("probe"), html)
    inline = bool((probe.text or "").strip()) or any(
        child.tag not in BLOCKS or (child.tail or "").strip() for child in probe
    )
    holder = SubElement(body, "div", {"class": "cl-stem"}) if inline else body
    if probe.text:
        holder.text = (holder.text or "") + probe.text
    for child in list(probe):
        _rename(child)
        holder.append(child)
    return holder


def _declare(item: Element, identifier: str, cardinality: str, base: str, correct: list[str]) -> Element:
    declaration = SubElement(item, "responseDeclaration", identifier=identifier, cardinality=cardinality,
                             baseType=base)  # fmt: skip
    if correct:
        holder = SubElement(declaration, "correctResponse")
        for value in correct:
            SubElement(holder, "value").text = value
    return declaration


def _mapping(declaration: Element, entries: list[tuple[str, str, bool | None]]) -> None:
    mapping = SubElement(declaration, "mapping", defaultValue="0")
    for key, value, case in entries:
        entry = SubElement(mapping, "mapEntry", mapKey=key, mappedValue=value)
        if case is not None:
            entry.set("caseSensitive", "true" if case else "false")


def _outcomes(item: Element, question: QuestionData, number) -> None:
    score = SubElement(item, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float",
                       normalMaximum=number(question.points))  # fmt: skip
    SubElement(SubElement(score, "defaultValue"), "value").text = "0"
    maxscore = SubElement(item, "outcomeDeclaration", identifier="MAXSCORE", cardinality="single", baseType="float")
    SubElement(SubElement(maxscore, "defaultValue"), "value").text = number(question.points)
    if any(choice.feedback_html for choice in question.choices):
        SubElement(item, "outcomeDeclaration", identifier="FEEDBACK", cardinality="multiple", baseType="identifier")
    if question.general_feedback_html:
        general = SubElement(item, "outcomeDeclaration", identifier="FEEDBACK_GENERAL", cardinality="single",
                             baseType="identifier")  # fmt: skip
        SubElement(SubElement(general, "defaultValue"), "value").text = "GENERAL"


def _set_score(parent: Element, *inner: Element) -> None:
    setter = SubElement(parent, "setOutcomeValue", identifier="SCORE")
    if not inner:
        SubElement(setter, "baseValue", baseType="float").text = "0"
    for element in inner:
        setter.append(element)


def _node(tag: str, *children: Element, **attributes: str) -> Element:
    element = Element(tag, attributes)
    element.extend(children)
    return element


def _value(text: str, base: str = "float") -> Element:
    element = Element("baseValue", baseType=base)
    element.text = text
    return element


MAXSCORE = ("variable", {"identifier": "MAXSCORE"})


def _share(share: Element) -> Element:
    return _node("product", share, _node(*MAXSCORE[:1], **MAXSCORE[1]))


def write_body(item: Element, question: QuestionData, html_of, number) -> None:
    """Fill `item` with the declarations, itemBody and responseProcessing of `question`."""
    kind = question.type
    shuffle = "true" if question.shuffle else "false"
    body = Element("itemBody")
    processing = Element("responseProcessing")
    mapped = False
    if kind in ("multiple_choice", "true_false", "multiple_select"):
        single = kind != "multiple_select"
        declaration = _declare(item, "RESPONSE", "single" if single else "multiple", "identifier",
                               [qti_id(c.id) for c in question.choices if c.correct])  # fmt: skip
        weighted = [c for c in question.choices if c.weight is not None]
        if weighted:
            mapped = True
            entries = [(qti_id(c.id), number(c.weight if c.weight is not None else 1), None) for c in question.choices
                       if c.weight is not None or c.correct]  # fmt: skip
            _mapping(declaration, entries)
        _stem(body, html_of(question.stem_html))
        interaction = SubElement(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle=shuffle,
                                 maxChoices="1" if single else "0")  # fmt: skip
        for choice in question.choices:
            element = body_html(
                SubElement(interaction, "simpleChoice", identifier=qti_id(choice.id)), html_of(choice.html)
            )
            if choice.feedback_html:
                inline = SubElement(element, "feedbackInline", outcomeIdentifier="FEEDBACK",
                                    identifier=qti_id(choice.id), showHide="show")  # fmt: skip
                body_html(inline, html_of(choice.feedback_html))
    elif kind in ("short_answer", "numeric"):
        base = "string" if kind == "short_answer" else "float"
        answers = question.text_answers if kind == "short_answer" else question.numeric_answers
        if kind == "short_answer":
            best = max((a.weight for a in question.text_answers), default=None)
            declaration = _declare(
                item,
                "RESPONSE",
                "single",
                base,
                [next(a.text for a in question.text_answers if a.weight == best)] if answers else [],
            )
            _mapping(declaration, [(a.text, number(a.weight), a.case_sensitive) for a in question.text_answers])
            mapped = True
        else:
            exact = [a for a in question.numeric_answers if a.kind == "exact" and a.value is not None]
            _declare(item, "RESPONSE", "single", base, [number(exact[0].value)] if exact else [])
            _numeric_processing(processing, question, number)
        _stem(body, html_of(question.stem_html))
        SubElement(SubElement(body, "p"), "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="20")
    elif kind == "essay":
        _declare(item, "RESPONSE", "single", "string", [])
        _stem(body, html_of(question.stem_html))
        SubElement(body, "extendedTextInteraction", responseIdentifier="RESPONSE", expectedLines="10")
        if question.essay_guidance_html:
            body_html(SubElement(body, "rubricBlock", view="scorer"), html_of(question.essay_guidance_html))
    elif kind == "matching":
        _declare(item, "RESPONSE", "multiple", "directedPair",
                 [f"{qti_id(p.id)} {qti_id(p.id)}.m" for p in question.pairs])  # fmt: skip
        _stem(body, html_of(question.stem_html))
        interaction = SubElement(body, "matchInteraction", responseIdentifier="RESPONSE", shuffle=shuffle,
                                 maxAssociations=str(len(question.pairs)))  # fmt: skip
        sources, targets = SubElement(interaction, "simpleMatchSet"), SubElement(interaction, "simpleMatchSet")
        for pair in question.pairs:
            body_html(SubElement(sources, "simpleAssociableChoice", identifier=qti_id(pair.id), matchMax="1"),
                      html_of(pair.prompt_html))  # fmt: skip
            body_html(SubElement(targets, "simpleAssociableChoice", identifier=f"{qti_id(pair.id)}.m", matchMax="1"),
                      html_of(pair.answer_html))  # fmt: skip
        for choice in question.distractors:
            body_html(SubElement(targets, "simpleAssociableChoice", identifier=qti_id(choice.id), matchMax="1"),
                      html_of(choice.html))  # fmt: skip
    elif kind == "ordering":
        _declare(item, "RESPONSE", "ordered", "identifier", [qti_id(i.id) for i in question.items])
        _stem(body, html_of(question.stem_html))
        interaction = SubElement(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle=shuffle)
        for entry in question.items:
            body_html(SubElement(interaction, "simpleChoice", identifier=qti_id(entry.id)), html_of(entry.html))
    elif kind == "fill_blanks":
        _blanks(item, body, processing, question, html_of, number, shuffle)
    _outcomes(item, question, number)
    item.append(body)
    if kind in ("multiple_choice", "true_false", "multiple_select", "matching", "ordering", "short_answer"):
        _plain_processing(processing, mapped, question)
    if len(processing):
        item.append(processing)


def _plain_processing(processing: Element, mapped: bool, question: QuestionData) -> None:
    response = _node("variable", identifier="RESPONSE")
    if mapped:
        _set_score(processing, _share(_node("mapResponse", identifier="RESPONSE")))
    else:
        condition = SubElement(processing, "responseCondition")
        matched = SubElement(condition, "responseIf")
        matched.append(_node("match", response, _node("correct", identifier="RESPONSE")))
        _set_score(matched, _node(*MAXSCORE[:1], **MAXSCORE[1]))
        _set_score(SubElement(condition, "responseElse"))
    if any(choice.feedback_html for choice in question.choices):
        SubElement(processing, "setOutcomeValue", identifier="FEEDBACK").append(
            _node("variable", identifier="RESPONSE")
        )


def _numeric_processing(processing: Element, question: QuestionData, number) -> None:
    condition = SubElement(processing, "responseCondition")
    response = {"identifier": "RESPONSE"}
    for n, answer in enumerate(question.numeric_answers):
        branch = SubElement(condition, "responseIf" if n == 0 else "responseElseIf")
        if answer.kind == "range":
            branch.append(_node("and", _node("gte", _node("variable", **response), _value(number(answer.low))),
                                _node("lte", _node("variable", **response), _value(number(answer.high)))))  # fmt: skip
        elif answer.tolerance:
            tolerance = number(answer.tolerance)
            branch.append(_node("equal", _node("variable", **response), _value(number(answer.value)),
                                toleranceMode="absolute", tolerance=f"{tolerance} {tolerance}"))  # fmt: skip
        else:
            branch.append(_node("equal", _node("variable", **response), _value(number(answer.value)),
                                toleranceMode="exact"))  # fmt: skip
        _set_score(branch, _share(_value(number(answer.weight))))
    _set_score(SubElement(condition, "responseElse"))


def _blanks(item, body, processing, question, html_of, number, shuffle) -> None:
    blanks = {blank.id: blank for blank in question.blanks}
    holder = _stem(body, html_of(question.stem_html))
    for blank in question.blanks:
        if blank.choices:
            declaration = _declare(item, qti_id(blank.id), "single", "identifier",
                                   [qti_id(c.id) for c in blank.choices if c.correct])  # fmt: skip
            _mapping(declaration, [(qti_id(c.id), "1", None) for c in blank.choices if c.correct])
        else:
            best = max((a.weight for a in blank.answers), default=None)
            declaration = _declare(
                item,
                qti_id(blank.id),
                "single",
                "string",
                [next(a.text for a in blank.answers if a.weight == best)] if blank.answers else [],
            )
            _mapping(declaration, [(a.text, number(a.weight), a.case_sensitive) for a in blank.answers])
    for element in list(holder.iter()):
        _place_blanks(element, blanks, html_of, shuffle)
    placed = {node.get("responseIdentifier") for node in holder.iter() if node.tag.endswith("Interaction")}
    unplaced = [blank for blank in question.blanks if qti_id(blank.id) not in placed]
    if unplaced:  # a blank the stem does not show still gets its place, after the stem
        line = SubElement(body, "p")
        for blank in unplaced:
            line.append(_interaction(blank, html_of, shuffle))
    total = _node("sum", *(_node("mapResponse", identifier=qti_id(b.id)) for b in question.blanks))
    share = _node("divide", _share(total), _value(str(max(len(question.blanks), 1))))
    _set_score(processing, share)


def _interaction(blank, html_of, shuffle) -> Element:
    if blank.choices:
        element = Element("inlineChoiceInteraction", responseIdentifier=qti_id(blank.id), shuffle=shuffle)
        for choice in blank.choices:
            inline = SubElement(element, "inlineChoice", identifier=qti_id(choice.id))
            body_html(inline, html_of(choice.html))
        return element
    return Element("textEntryInteraction", responseIdentifier=qti_id(blank.id), expectedLength="15")


def _place_blanks(element: Element, blanks, html_of, shuffle) -> None:
    """Replace [[blank:ID]] markers in element's text and its children's tails with interactions."""

    def split(text: str | None) -> list:
        parts, last = [], 0
        for match in BLANK.finditer(text or ""):
            parts += [(text or "")[last : match.start()], blanks.get(match.group(1))]
            last = match.end()
        return [*parts, (text or "")[last:]]

    pieces = split(element.text)
    if len(pieces) > 1:
        element.text = None
        _insert(element, 0, pieces, html_of, shuffle)
    index = 0
    while index < len(element):
        child = element[index]
        pieces = split(child.tail)
        if len(pieces) > 1:
            child.tail = None
            index = _insert(element, index + 1, pieces, html_of, shuffle, after=child)
        index += 1


def _insert(parent, position, pieces, html_of, shuffle, after=None) -> int:
    text, rest = pieces[0], pieces[1:]
    if after is None:
        parent.text = text
    else:
        after.tail = text
    for n in range(0, len(rest), 2):
        blank, tail = rest[n], rest[n + 1]
        element = _interaction(blank, html_of, shuffle) if blank else Element("span")
        element.tail = tail
        parent.insert(position, element)
        position += 1
    return position - 1
