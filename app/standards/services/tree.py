"""The tree of a parsed framework: cycles refused, orphans put at the top level, depth-first order, inherited
grades. Pure functions over ParsedFramework."""

from __future__ import annotations

import re

from app.standards.services.parsed import ParsedEdge, ParsedFramework

_NUMBER = re.compile(r"(\d+)")


def natural(text: str | None) -> tuple:
    """Sort key for list enumerations and codes: "2" before "10", "a" before "b"."""
    if not text:
        return ((1, ""),)
    return tuple((0, int(part)) if part.isdigit() else (1, part.lower()) for part in _NUMBER.split(text) if part)


def _cycles(parsed: ParsedFramework, parents: dict[str, list[str]]) -> list[list[str]]:
    """Every cycle of isChildOf (as lists of identifiers), found by an iterative depth-first walk."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(parsed.items, white)
    found: list[list[str]] = []
    for start in parsed.items:
        if colour[start] != white:
            continue
        stack = [(start, iter(parents.get(start, ())))]
        path = [start]
        colour[start] = grey
        while stack:
            node, upward = stack[-1]
            step = next(upward, None)
            if step is None:
                colour[node] = black
                stack.pop()
                path.pop()
                continue
            if colour.get(step) == grey:
                found.append(path[path.index(step) :])
            elif colour.get(step) == white:
                colour[step] = grey
                path.append(step)
                stack.append((step, iter(parents.get(step, ()))))
    return found


def arrange(parsed: ParsedFramework) -> None:
    """Check the tree and number it. Errors: each cycle (naming an item on it). Warnings: items without a parent
    in the package (kept at the top level). Sets each item's position, depth and is_leaf; an item without grades
    takes its first parent's."""
    problems, items = parsed.problems, parsed.items
    parents: dict[str, list[str]] = {}
    kept: list[ParsedEdge] = []
    seen: set[tuple] = set()
    for edge in parsed.edges:
        if edge.child not in items or (edge.child, edge.parent) in seen:
            continue
        if edge.parent is not None and edge.parent not in items:
            problems.warn("parent_unknown", edge.child, items[edge.child].line, "isChildOf", edge.parent)
            continue
        seen.add((edge.child, edge.parent))
        kept.append(edge)
        if edge.parent is not None:
            parents.setdefault(edge.child, []).append(edge.parent)
    for cycle in _cycles(parsed, parents):
        codes = " → ".join(items[i].human_code or i for i in [*cycle, cycle[0]])
        problems.error("cycle", cycle[0], items[cycle[0]].line, "isChildOf", codes)
    placed = {edge.child for edge in kept}
    for identifier, item in items.items():
        if identifier not in placed:
            problems.warn("orphan", identifier, item.line, "isChildOf", item.human_code or "")
            kept.append(ParsedEdge(identifier, None, None))
    parsed.edges = kept
    if problems.error_count:
        return
    order = {identifier: n for n, identifier in enumerate(items)}
    children: dict[str | None, list[ParsedEdge]] = {}
    for edge in kept:
        children.setdefault(edge.parent, []).append(edge)
    for siblings in children.values():
        siblings.sort(
            key=lambda e: (
                e.sequence is None,
                e.sequence or 0,
                natural(items[e.child].list_enumeration),
                natural(items[e.child].human_code),
                order[e.child],
            )
        )
        for place, edge in enumerate(siblings, start=1):
            parsed.places[(edge.child, edge.parent)] = place
    position = 0
    done: set[str] = set()
    stack = [(edge.child, 0, None) for edge in reversed(children.get(None, []))]
    while stack:
        identifier, depth, parent = stack.pop()
        if identifier in done:
            continue  # a second parent: the item sits under both, numbered where first met
        done.add(identifier)
        item = items[identifier]
        position += 1
        item.position, item.depth = position, depth
        item.is_leaf = not children.get(identifier)
        if not item.education_levels and parent is not None:
            item.education_levels = list(items[parent].education_levels)
        stack.extend((edge.child, depth + 1, identifier) for edge in reversed(children.get(identifier, [])))
