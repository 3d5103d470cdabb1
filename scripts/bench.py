"""Benchmarks on a synthetic bank of 10,000 questions; prints a table of medians.

    python scripts/bench.py [--questions 10000] [--repeat 5] [--only core,store,...]

Machine noise is large here, so every figure is a median of several runs, and the ratios
that the issues set targets for (validation vs bare YAML parsing) are measured in one run.
Other areas add their own ``scripts/bench_*.py`` with a ``main()``; this script runs them.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quizbank.generator import PaperGenerator
from quizbank.loader import load_library
from quizbank.scoring import Scorer
from synthetic_bank import write_synthetic


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_core(questions: int, repeat: int) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = write_synthetic(Path(tmp) / "banks", questions)
        files = sorted(root.glob("*.yaml"))

        def bare_parse() -> None:
            for f in files:
                yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

        # interleave so that both see the same machine state
        base, ours = [], []
        for _ in range(repeat):
            base.append(median_time(bare_parse, 1))
            ours.append(median_time(lambda: load_library(root), 1))
        b, o = statistics.median(base), statistics.median(ours)
        rows.append(("yaml CSafeLoader parse only", f"{b:.3f} s"))
        rows.append(("load + validate (quizbank)", f"{o:.3f} s  ({o / b:.2f}x the bare parse)"))

        lib = load_library(root)
        bp = lib.blueprints["member"].blueprint
        gen = PaperGenerator(bp, lib.questions, revisions=lib.revisions())
        n_papers = 2000

        def papers() -> None:
            for s in range(n_papers):
                gen.draw(s)

        cold = PaperGenerator(bp, lib.questions, revisions=lib.revisions())
        t = time.perf_counter()
        for s in range(n_papers):
            cold.draw(s)
        first = time.perf_counter() - t
        rows.append(
            ("papers, member blueprint, first 2000", f"{n_papers / first:,.0f} papers/s (includes filling the allocation memo)")
        )
        dt = median_time(papers, repeat)
        rows.append(("papers, member blueprint, steady", f"{n_papers / dt:,.0f} papers/s"))
        seen = {q.id for q in gen.draw(10**6).questions} | {q.id for q in gen.draw(10**6 + 1).questions}

        def papers_excl() -> None:
            for s in range(500):
                gen.draw(s, exclude=seen)

        dt = median_time(papers_excl, repeat)
        rows.append(("papers excluding a member's last 2 papers", f"{500 / dt:,.0f} papers/s"))

        paper = gen.draw(42)
        scorer = Scorer(paper)
        rng = random.Random(5)
        sheets = []
        for _ in range(5000):
            r: dict[int, object] = {}
            for q in paper.questions:
                if q.type == "single":
                    r[q.no] = rng.choice("ABCD")
                elif q.type == "multiple":
                    r[q.no] = "".join(sorted(rng.sample("ABCD", rng.randint(1, 4))))
                elif q.type == "judge":
                    r[q.no] = rng.random() < 0.5
                else:
                    r[q.no] = [rng.choice(["x", b[0]]) for b in q.answer]  # type: ignore[union-attr]
            sheets.append(r)
        dt = median_time(lambda: [scorer.total(s) for s in sheets], repeat)  # type: ignore[arg-type]
        rows.append(("answer sheets scored (total), 50 questions", f"{len(sheets) / dt:,.0f} sheets/s"))
        dt = median_time(lambda: [scorer.score(s) for s in sheets], repeat)  # type: ignore[arg-type]
        rows.append(("answer sheets scored (per-question marks)", f"{len(sheets) / dt:,.0f} sheets/s"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="core,store,import,report,kiosk")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    if "core" in wanted:
        rows = bench_core(args.questions, args.repeat)
        width = max(len(r[0]) for r in rows)
        print(f"core ({args.questions:,} synthetic questions, medians of {args.repeat})")
        for name, value in rows:
            print(f"  {name:<{width}}  {value}")
    for area in ("store", "import", "report", "kiosk"):
        if area not in wanted:
            continue
        try:
            mod = importlib.import_module(f"bench_{area}")
        except ModuleNotFoundError:
            continue
        print()
        mod.main()


if __name__ == "__main__":
    main()
