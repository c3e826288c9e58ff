"""Crafted CASE 1.0 packages for the tests: a grade-6 ratios slice with a cluster without a code, an item with two
parents, and a string sequenceNumber; helpers to change them."""

from __future__ import annotations

import copy
import json
import uuid

DOC = "c5fb0d1a-0000-4000-8000-000000000000"


def ident(n: int) -> str:
    return f"c5fb0d1a-0000-4000-8000-{n:012d}"


def node(identifier: str, title: str = "") -> dict:
    return {"identifier": identifier, "uri": f"https://case.example.test/uri/{identifier}", "title": title}


def child_of(child: str, parent: str, sequence=None, n: int | None = None) -> dict:
    link = {
        "identifier": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{child}>{parent}")) if n is None else ident(9000 + n),
        "associationType": "isChildOf",
        "originNodeURI": node(child),
        "destinationNodeURI": node(parent),
    }
    if sequence is not None:
        link["sequenceNumber"] = sequence
    return link


def grade6(doc: str = DOC) -> dict:
    """6 (grade) > 6.RP (domain) > [cluster A, no code] > 6.RP.A.1, 6.RP.A.2, 6.RP.A.3 > 6.RP.A.3a;
    6.RP.A.2 also sits under a second cluster, "Cross-cutting" (two parents); one sequenceNumber is a string."""
    items = [
        (1, "6", "Grade 6", "Grade", ["06"]),
        (2, "6.RP", "Ratios and Proportional Relationships", "Domain", ["06"]),
        (3, "", "Understand ratio concepts and use ratio reasoning to solve problems.", "Cluster", ["06"]),
        (4, "6.RP.A.1", "Understand the concept of a ratio and use ratio language.", "Standard", ["06"]),
        (5, "6.RP.A.2", "Understand the concept of a unit rate a/b associated with a ratio a:b.", "Standard", ["06"]),
        (6, "6.RP.A.3", "Use ratio and rate reasoning to solve real-world problems.", "Standard", ["06"]),
        (7, "6.RP.A.3a", "Make tables of equivalent ratios relating quantities.", "Component", []),
        (8, "", "Cross-cutting: rates everywhere.", "Cluster", ["06", "07"]),
    ]
    return {
        "CFDocument": {
            "identifier": doc,
            "uri": f"https://case.example.test/uri/{doc}",
            "creator": "State Department of Education",
            "title": "State Mathematics Standards",
            "subject": ["Mathematics"],
            "version": "2026",
            "adoptionStatus": "Adopted",
        },
        "CFItems": [
            {
                "identifier": ident(n),
                "uri": f"https://case.example.test/uri/{ident(n)}",
                "humanCodingScheme": code,
                "fullStatement": statement,
                "CFItemType": item_type,
                "educationLevel": levels,
            }
            for n, code, statement, item_type, levels in items
        ],
        "CFAssociations": [
            child_of(ident(1), doc, 1),
            child_of(ident(2), ident(1), 1),
            child_of(ident(3), ident(2), 1),
            child_of(ident(6), ident(3), 3),
            child_of(ident(4), ident(3), 1),
            child_of(ident(5), ident(3), "2"),  # a string, as some publishers write it
            child_of(ident(7), ident(6), 1),
            child_of(ident(8), ident(2), 2),
            child_of(ident(5), ident(8), 1),  # a second parent
            {
                "identifier": ident(9500),
                "associationType": "isRelatedTo",
                "originNodeURI": node(ident(4)),
                "destinationNodeURI": node(ident(5)),
            },
        ],
        "CFDefinitions": {"CFItemTypes": [], "CFSubjects": []},
    }


def to_bytes(package: dict) -> bytes:
    return json.dumps(package).encode()


def without(package: dict, n: int, replaced_by: int | None = None) -> dict:
    """The package without item n (and its associations); with a replacedBy association to item `replaced_by`."""
    changed = copy.deepcopy(package)
    gone = ident(n)
    changed["CFItems"] = [i for i in changed["CFItems"] if i["identifier"] != gone]
    changed["CFAssociations"] = [
        a
        for a in changed["CFAssociations"]
        if a["originNodeURI"]["identifier"] != gone and a["destinationNodeURI"]["identifier"] != gone
    ]
    if replaced_by is not None:
        changed["CFAssociations"].append(
            {
                "identifier": ident(9700 + n),
                "associationType": "replacedBy",
                "originNodeURI": node(gone),
                "destinationNodeURI": node(ident(replaced_by)),
            }
        )
    return changed


def generated(items: int, doc: str = DOC, fanout: int = 8) -> dict:
    """A framework of `items` items in a tree `fanout` wide (benchmarks, size tests)."""
    entries, links = [], []
    for n in range(1, items + 1):
        parent = doc if n <= fanout else ident((n - 1) // fanout)
        entries.append(
            {
                "identifier": ident(n),
                "humanCodingScheme": f"G.{n}",
                "fullStatement": f"Students reason about quantity {n} with ratios, rates and proportional thinking.",
                "CFItemType": "Standard",
                "educationLevel": ["06"],
            }
        )
        links.append(child_of(ident(n), parent, (n - 1) % fanout + 1, n=n))
    return {
        "CFDocument": {"identifier": doc, "title": "Generated Framework", "subject": ["Mathematics"]},
        "CFItems": entries,
        "CFAssociations": links,
    }
