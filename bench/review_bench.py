"""Benchmark the report reviewer: `python bench/review_bench.py [--reports N]`."""

from __future__ import annotations

import argparse
import io
import itertools
import random
import tempfile
import time
from pathlib import Path

from fazhi.review import duplicates
from fazhi.review.api import batch_duplicates, review_batch, review_text
from fazhi.review.tests.synthetic import PARAGRAPHS, synthetic_fazhi


def build_reports(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    reports = []
    for index in range(count):
        text = synthetic_fazhi(index)
        extra = []
        for k in range(rng.randint(20, 40)):
            template = rng.choice(PARAGRAPHS)
            sentence = template.format(
                n=rng.randint(1, 999), m=rng.randint(1, 99), k=k, p=rng.randint(100, 9999)
            )
            # Perturb a character so that paragraphs are near, not exactly, shared.
            for _ in range(3):
                cut = rng.randrange(len(sentence))
                sentence = sentence[:cut] + rng.choice("的和与及并将已在") + sentence[cut:]
            extra.append(sentence)
        text = text.replace("二、党政主要负责人", "\n".join(extra) + "\n二、党政主要负责人")
        reports.append(text)
    return reports


def naive_pairwise(canons: list[duplicates.Canon]) -> int:
    indexes = [duplicates.anchors(c.chars) for c in canons]
    found = 0
    for i, j in itertools.combinations(range(len(canons)), 2):
        found += len(
            duplicates.find_matches(
                canons[i].chars,
                canons[j].chars,
                duplicates.MIN_CROSS,
                index_b=indexes[j],
                index_a=indexes[i],
            )
        )
    return found


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def files_bench(texts: list[str]) -> None:
    """Review from files (half .docx, half .txt), so reading is measured too."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for index, text in enumerate(texts):
            path = Path(tmp) / f"r{index}.{'docx' if index % 2 else 'txt'}"
            path.write_bytes(_docx(text) if index % 2 else text.encode())
            paths.append(path)
        start = time.perf_counter()
        batch = review_batch(paths)
        elapsed = time.perf_counter() - start
    unreadable = sum(any(f.code == "unreadable" for f in r.findings) for r in batch.reports)
    print(
        f"files: {len(paths)} (.docx and .txt), review_batch {elapsed:.2f}s, unreadable {unreadable}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--pairwise", type=int, default=200)
    parser.add_argument("--files", type=int, default=200, help="reports reviewed from files")
    args = parser.parse_args()
    texts = build_reports(args.reports)
    chars = sum(len(t) for t in texts)
    start = time.perf_counter()
    reviews = [review_text(t, f"r{i}.txt") for i, t in enumerate(texts)]
    reviewed = time.perf_counter()
    batch = batch_duplicates(reviews)
    done = time.perf_counter()
    print(f"reports: {args.reports} ({chars} characters)")
    print(
        f"review: {reviewed - start:.2f}s; batch duplicates: {done - reviewed:.2f}s; total {done - start:.2f}s"
    )
    print(f"cross-report findings: {len(batch)}")

    sample = reviews[: args.pairwise]
    start = time.perf_counter()
    indexed = batch_duplicates(sample)
    indexed_time = time.perf_counter() - start
    canons = [r.canon for r in sample if r.canon is not None]
    start = time.perf_counter()
    naive = naive_pairwise(canons)
    naive_time = time.perf_counter() - start
    print(
        f"at {len(sample)} reports: indexed {indexed_time:.2f}s ({len(indexed)} findings), "
        f"naive pairwise {naive_time:.2f}s ({naive} matches), ratio naive/indexed {naive_time / max(indexed_time, 1e-9):.1f}x"
    )
    if args.files:
        files_bench(texts[: args.files])


if __name__ == "__main__":
    main()
