"""Word-level diff of two inline HTML strings, with diff-match-patch over tokens.

Each distinct token (word, space, punctuation, tag, formula) is encoded as one character, diff-match-patch's
Myers diff runs over those characters, and its semantic cleanup merges the small equalities between changes,
so "the quick brown fox" -> "the slow red fox" is one deletion and one insertion of words rather than a shuffle
of letters. A deletion and an insertion with the same words are a formatting change: they are diffed again
without cleanup, so the words stay equal and only the tags around them differ.
"""

from __future__ import annotations

from diff_match_patch import diff_match_patch

from app.diff.tokens import text_of, tokenize

EQUAL, INSERT, DELETE = 0, 1, -1
# Unicode code points for the encoding, skipping the surrogates (which cannot stand alone in every string API).
_FIRST = 0x100
_SURROGATES = range(0xD800, 0xE000)

Op = tuple[int, tuple[str, ...]]  # (EQUAL | INSERT | DELETE, tokens)


def _engine(cleanup_cost: int = 4) -> diff_match_patch:
    engine = diff_match_patch()
    # No time limit: the same pair always gives the same diff (the token encoding keeps it fast: a 10,000-word
    # text is about 20,000 characters to diff).
    engine.Diff_Timeout = 0
    engine.Diff_EditCost = cleanup_cost
    return engine


_DMP = _engine()


def _code(index: int) -> str:
    point = _FIRST + index
    if point >= _SURROGATES.start:
        point += len(_SURROGATES)
    return chr(point)


def _encode(a: list[str], b: list[str]) -> tuple[str, str, list[str]]:
    table: dict[str, str] = {}
    alphabet: list[str] = []

    def encode(tokens: list[str]) -> str:
        out = []
        for token in tokens:
            code = table.get(token)
            if code is None:
                code = table[token] = _code(len(alphabet))
                alphabet.append(token)
            out.append(code)
        return "".join(out)

    return encode(a), encode(b), alphabet


def _decode(diffs, alphabet: list[str], base: int = _FIRST) -> list[Op]:
    ops: list[Op] = []
    for op, chars in diffs:
        tokens = []
        for char in chars:
            point = ord(char)
            if point >= _SURROGATES.stop:
                point -= len(_SURROGATES)
            tokens.append(alphabet[point - base])
        if tokens:
            ops.append((op, tuple(tokens)))
    return ops


def diff_tokens(a: list[str], b: list[str], cleanup: bool = True) -> list[Op]:
    """The ops turning tokens `a` into tokens `b`: joining EQUAL and INSERT tokens in order gives `b`."""
    if a == b:
        return [(EQUAL, tuple(a))] if a else []
    left, right, alphabet = _encode(a, b)
    diffs = _DMP.diff_main(left, right, False)
    if cleanup:
        _DMP.diff_cleanupSemantic(diffs)
    ops = _decode(diffs, alphabet)
    return _formatting_pairs(ops) if cleanup else ops


def _formatting_pairs(ops: list[Op]) -> list[Op]:
    """Re-diff each delete+insert pair whose words are equal (only the tags differ) without cleanup."""
    out: list[Op] = []
    index = 0
    while index < len(ops):
        op, tokens = ops[index]
        if op != EQUAL and index + 1 < len(ops) and ops[index + 1][0] == -op:
            deleted, inserted = (tokens, ops[index + 1][1]) if op == DELETE else (ops[index + 1][1], tokens)
            if text_of(deleted) == text_of(inserted):
                out.extend(diff_tokens(list(deleted), list(inserted), cleanup=False))
                index += 2
                continue
        out.append((op, tokens))
        index += 1
    return _merge(out)


def _merge(ops: list[Op]) -> list[Op]:
    merged: list[Op] = []
    for op, tokens in ops:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + tokens)
        else:
            merged.append((op, tokens))
    return merged


def diff_html(old: str, new: str) -> list[Op]:
    return diff_tokens(tokenize(old), tokenize(new))


def apply_ops(ops: list[Op]) -> str:
    """The new side of a diff: what the ops turn the old string into."""
    return "".join("".join(tokens) for op, tokens in ops if op != DELETE)


def old_side(ops: list[Op]) -> str:
    return "".join("".join(tokens) for op, tokens in ops if op != INSERT)


def change_count(ops: list[Op]) -> int:
    """How many changes the ops hold: a run of deletions and insertions between equal text counts once (a word
    replaced is one change)."""
    count, in_change = 0, False
    for op, _tokens in ops:
        if op == EQUAL:
            in_change = False
        elif not in_change:
            count, in_change = count + 1, True
    return count
