"""The CASE 1.0 parser: what it understands of real-world deviations, and what it refuses (naming the item)."""

from __future__ import annotations

import copy
import json

from app.standards.services.case import parse_case
from app.standards.services.parsed import MAX_PACKAGE_BYTES
from tests.standards.packages import DOC, child_of, grade6, ident, to_bytes


def _by_code(parsed) -> dict:
    return {item.human_code or item.identifier: item for item in parsed.items.values()}


def test_a_package_is_read_into_a_tree_in_sequence_order_with_depths():
    parsed = parse_case(to_bytes(grade6()))
    assert parsed.problems.error_count == 0
    assert parsed.identifier == DOC and parsed.title == "State Mathematics Standards"
    assert parsed.subject == "Mathematics"
    order = [i.human_code or "(cluster)" for i in sorted(parsed.items.values(), key=lambda i: i.position)]
    assert order == ["6", "6.RP", "(cluster)", "6.RP.A.1", "6.RP.A.2", "6.RP.A.3", "6.RP.A.3a", "(cluster)"]
    items = _by_code(parsed)
    assert [items["6"].depth, items["6.RP"].depth, items["6.RP.A.1"].depth, items["6.RP.A.3a"].depth] == [0, 1, 3, 4]
    assert items["6.RP.A.1"].is_leaf and not items["6.RP.A.3"].is_leaf


def test_blank_codes_on_clusters_are_kept_blank_and_keyed_by_identifier():
    parsed = parse_case(to_bytes(grade6()))
    cluster = parsed.items[ident(3)]
    assert cluster.human_code is None
    assert cluster.item_type == "Cluster"
    assert not cluster.is_leaf


def test_an_item_with_two_parents_keeps_both_edges_each_with_its_place():
    parsed = parse_case(to_bytes(grade6()))
    parents = sorted(e.parent for e in parsed.edges if e.child == ident(5))
    assert parents == sorted([ident(3), ident(8)])
    assert parsed.places[(ident(5), ident(3))] == 2
    assert parsed.places[(ident(5), ident(8))] == 1


def test_a_string_sequence_number_is_read_as_a_number_with_one_warning():
    parsed = parse_case(to_bytes(grade6()))
    assert parsed.items[ident(5)].sequence_number == 2
    warnings = [w for w in parsed.problems.warnings if w["code"] == "sequence_string"]
    assert len(warnings) == 1 and warnings[0]["value"] == "2"


def test_a_component_without_grades_takes_its_parents():
    parsed = parse_case(to_bytes(grade6()))
    assert parsed.items[ident(7)].education_levels == ["06"]


def test_grade_lists_and_ranges_are_expanded_to_ceds_codes():
    package = grade6()
    package["CFItems"][3]["educationLevel"] = "KG-02"
    package["CFItems"][4]["educationLevel"] = ["6", "07", "PK"]
    package["CFItems"][5]["educationLevel"] = ["09-12", "Grade 8", "Z9"]
    parsed = parse_case(to_bytes(package))
    assert parsed.items[ident(4)].education_levels == ["KG", "01", "02"]
    assert parsed.items[ident(5)].education_levels == ["PK", "06", "07"]
    assert parsed.items[ident(6)].education_levels == ["08", "09", "10", "11", "12"]
    assert any(w["code"] == "level_unknown" and w["value"] == "Z9" for w in parsed.problems.warnings)


def test_misspelled_fields_and_a_definitions_block_of_the_wrong_shape_are_read_with_warnings():
    package = grade6()
    item = package["CFItems"][3]
    item["humanCodingSchema"] = item.pop("humanCodingScheme")
    package["CFDefinitions"] = []
    package["cfItems"] = package.pop("CFItems")
    parsed = parse_case(to_bytes(package))
    assert parsed.problems.error_count == 0
    assert parsed.items[ident(4)].human_code == "6.RP.A.1"
    codes = {w["code"]: w for w in parsed.problems.warnings}
    assert "definitions_shape" in codes
    spellings = {(w["value"], w["field"]) for w in parsed.problems.warnings if w["code"] == "field_spelling"}
    assert ("humanCodingSchema", "humanCodingScheme") in spellings and ("cfItems", "CFItems") in spellings


def test_a_package_wrapped_in_cfpackage_and_node_uris_as_strings_are_understood():
    package = grade6()
    for link in package["CFAssociations"]:
        link["originNodeURI"] = link["originNodeURI"]["uri"]
    parsed = parse_case(to_bytes({"CFPackage": package}))
    assert parsed.problems.error_count == 0
    assert len(parsed.items) == 8 and len([e for e in parsed.edges if e.child == ident(5)]) == 2
    assert any(w["code"] == "node_as_string" for w in parsed.problems.warnings)


def test_the_other_associations_are_kept_as_links():
    parsed = parse_case(to_bytes(grade6()))
    assert [(k.origin, k.link_type, k.target) for k in parsed.links] == [(ident(4), "isRelatedTo", ident(5))]


def test_an_item_without_a_parent_goes_to_the_top_level_with_a_warning():
    package = grade6()
    package["CFAssociations"] = [a for a in package["CFAssociations"] if a["originNodeURI"]["identifier"] != ident(8)]
    package["CFAssociations"] = [
        a for a in package["CFAssociations"] if a["destinationNodeURI"]["identifier"] != ident(8)
    ]
    parsed = parse_case(to_bytes(package))
    assert parsed.items[ident(8)].depth == 0
    assert any(w["code"] == "orphan" and w["item"] == ident(8) for w in parsed.problems.warnings)


def test_a_file_that_is_not_json_or_not_case_is_refused():
    assert parse_case(b"<xml/>").problems.codes() == {"not_json"}
    assert parse_case(b'{"hello": "world"}').problems.codes() == {"not_case"}
    assert parse_case(b"[1, 2]").problems.codes() == {"not_case"}
    no_document = grade6()
    del no_document["CFDocument"]
    assert parse_case(to_bytes(no_document)).problems.codes() == {"not_case"}


def test_duplicate_identifiers_are_refused_naming_the_identifier():
    package = grade6()
    package["CFItems"].append(copy.deepcopy(package["CFItems"][4]))
    errors = parse_case(to_bytes(package)).problems.errors
    assert [(e["code"], e["item"]) for e in errors] == [("duplicate_identifier", ident(5))]


def test_a_cycle_in_is_child_of_is_refused_naming_an_item_on_it():
    package = grade6()
    package["CFAssociations"].append(child_of(ident(2), ident(7), 1))  # 6.RP under its own grandchild's child
    errors = parse_case(to_bytes(package)).problems.errors
    assert [e["code"] for e in errors] == ["cycle"]
    assert errors[0]["item"] in {ident(2), ident(3), ident(6), ident(7)}
    assert "6.RP" in errors[0]["value"]


def test_an_item_that_is_its_own_parent_is_a_cycle():
    package = grade6()
    package["CFAssociations"].append(child_of(ident(4), ident(4)))
    assert parse_case(to_bytes(package)).problems.codes() == {"cycle"}


def test_a_package_over_the_size_cap_is_refused_before_parsing():
    parsed = parse_case(b" " * (MAX_PACKAGE_BYTES + 1))
    assert parsed.problems.codes() == {"too_large"}


def test_deeply_nested_json_is_refused_not_crashed():
    assert parse_case(b"[" * 100_000 + b"]" * 100_000).problems.codes() == {"not_json"}


def test_an_item_without_identifier_is_refused_with_its_place():
    package = grade6()
    del package["CFItems"][2]["identifier"]
    errors = parse_case(json.dumps(package).encode()).problems.errors
    assert errors[0]["code"] == "item_identifier" and errors[0]["item"] == "#3"
