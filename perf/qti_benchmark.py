"""Interchange speed: parse a generated 1,000-question Canvas export zip with an image in every question, export the
result as QTI 2.1, and read that package back. Pure code (no database); the bank's store step is measured apart.

    .venv/bin/python perf/qti_benchmark.py [--questions 1000] [--runs 3]

Targets (issue 18): importing a 1,000-question bank with images under 10 s (parsing is one part of it), exporting
it under 5 s."""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import struct
import sys
import time
import zlib
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.questions.interchange import export_qti21, parse_upload

KINDS = ("multiple_choice_question", "true_false_question", "multiple_answers_question", "short_answer_question",
         "numerical_question", "matching_question", "essay_question", "fill_in_multiple_blanks_question")  # fmt: skip


def _png(rng: random.Random, side: int = 72) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + rng.randbytes(side) for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _mat(html: str, kind: str = "text/html") -> str:
    return f'<material><mattext texttype="{kind}">{escape(html)}</mattext></material>'


def _labels(answers) -> str:
    return "".join(f'<response_label ident="{i}">{_mat(t, "text/plain")}</response_label>' for i, t in answers)


def _item(n: int, kind: str) -> str:
    stem = (f"<p>Question {n}: what does the figure show? <img src=\"$IMS-CC-FILEBASE$/Uploaded%20Media/fig{n}.png\" "
            f'alt="figure {n}"></p><p><img class="equation_image" data-equation-content="x^{n % 9}" '
            f'src="https://canvas.example.edu/equation_images/x%255E{n % 9}"></p>')  # fmt: skip
    ok = '<setvar action="Set" varname="SCORE">100</setvar>'
    if kind in ("multiple_choice_question", "true_false_question", "multiple_answers_question"):
        answers = (
            [(f"{n}1", "True"), (f"{n}2", "False")]
            if kind == "true_false_question"
            else [(f"{n}{k}", f"Answer {k} of {n}") for k in range(4)]
        )
        card = "Multiple" if kind == "multiple_answers_question" else "Single"
        body = (
            f'<response_lid ident="response1" rcardinality="{card}">'
            f"<render_choice>{_labels(answers)}</render_choice></response_lid>"
        )
        cond = f'<varequal respident="response1">{answers[1][0]}</varequal>'
    elif kind in ("short_answer_question", "numerical_question", "essay_question"):
        body = (
            '<response_str ident="response1" rcardinality="Single">'
            '<render_fib><response_label ident="a1"/></render_fib></response_str>'
        )
        cond = {"short_answer_question": f'<varequal respident="response1">word{n}</varequal>',
                "numerical_question": f'<vargte respident="response1">{n}</vargte>'
                                      f'<varlte respident="response1">{n + 1}</varlte>',
                "essay_question": "<other/>"}[kind]  # fmt: skip
    elif kind == "matching_question":
        targets = _labels([(f"m{k}", f"match {k}") for k in range(4)])
        body = "".join(
            f'<response_lid ident="response_{k}">{_mat(f"left {k}", "text/plain")}'
            f"<render_choice>{targets}</render_choice></response_lid>"
            for k in range(3)
        )
        cond = "".join(f'<varequal respident="response_{k}">m{k}</varequal>' for k in range(3))
    else:
        stem += "<p>Fill [a] and [b].</p>"
        body = "".join(
            f'<response_lid ident="response_{b}"><material><mattext>{b}</mattext></material><render_choice>'
            f"{_labels([(f'{n}{b}', f'{b}-word')])}</render_choice></response_lid>"
            for b in ("a", "b")
        )
        cond = f'<varequal respident="response_a">{n}a</varequal><varequal respident="response_b">{n}b</varequal>'
    meta = "".join(
        f"<qtimetadatafield><fieldlabel>{k}</fieldlabel><fieldentry>{v}</fieldentry></qtimetadatafield>"
        for k, v in (("question_type", kind), ("points_possible", "1.0"))
    )
    return (
        f'<item ident="g{n:05d}" title="Question {n}"><itemmetadata><qtimetadata>{meta}</qtimetadata></itemmetadata>'
        f'<presentation>{_mat(stem)}{body}</presentation><resprocessing><respcondition continue="No">'
        f"<conditionvar>{cond}</conditionvar>{ok}</respcondition></resprocessing></item>"
    )


def canvas_export(count: int, seed: int = 18) -> bytes:
    import io
    import zipfile

    rng = random.Random(seed)
    items = "".join(_item(n, KINDS[n % len(KINDS)]) for n in range(count))
    quiz = (
        '<?xml version="1.0" encoding="UTF-8"?><questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2">'
        f'<objectbank ident="bank1" title="Benchmark bank">{items}</objectbank></questestinterop>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("non_cc_assessments/bank1.xml.qti", quiz)
        for n in range(count):
            archive.writestr(f"web_resources/Uploaded Media/fig{n}.png", _png(rng))
    return out.getvalue()


def _timed(function, *args):
    """(wall seconds, CPU seconds of this process, result): on a shared machine the CPU time is the steadier one."""
    start, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return (time.perf_counter() - start, time.process_time() - cpu), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = canvas_export(args.questions)
    print(f"Canvas export: {args.questions} questions, {len(data) / 1e6:.1f} MB zip; load {os.getloadavg()[0]:.1f}")
    parse_times, export_times, reparse_times = [], [], []
    for _ in range(args.runs):
        seconds, bank = _timed(parse_upload, "canvas_export.zip", data)
        parse_times.append(seconds)
        if len(bank.questions) != args.questions or [p for p in bank.problems if p.fatal]:
            raise SystemExit(f"the parse lost questions: {bank.problems[:3]}")
        seconds, package = _timed(export_qti21, "Benchmark bank", bank.questions)
        export_times.append(seconds)
        seconds, again = _timed(parse_upload, "bank.zip", package)
        reparse_times.append(seconds)
        if again.questions != bank.questions:
            raise SystemExit("the exported package did not read back as the same questions")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for label, times, target in (("parse Canvas zip", parse_times, 10.0), ("export QTI 2.1", export_times, 5.0),
                                 ("parse QTI 2.1 package", reparse_times, 10.0)):  # fmt: skip
        wall, cpu = [t[0] for t in times], [t[1] for t in times]
        print(f"{label:24} median {statistics.median(wall):6.2f} s  max {max(wall):6.2f} s  "
              f"CPU median {statistics.median(cpu):6.2f} s  (target < {target:.0f} s)")  # fmt: skip
    print(f"QTI 2.1 package: {len(package) / 1e6:.1f} MB; peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
