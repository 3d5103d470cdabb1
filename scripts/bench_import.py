"""Benchmark: import a 10,000-question Word-style text file into a bank.

Writes a deterministic text file in the layout secretaries paste (section headings, numbered
questions, options two to a line, 答案/解析/出处 lines, one section whose answers are in the
stem's brackets) and times ``quizbank import`` on it, stage by stage: reading and parsing,
building and checking the questions (ids, near duplicates against nothing), writing the
YAML (which includes loading it back to check it). Prints the figures; ``--json`` for machines.

    python scripts/bench_import.py [--questions 10000] [--seed 1] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from quizbank.importers import import_bank, read_source, write_bank_yaml
from quizbank.loader import load_bank_file

_CHARS = "党的领导人民群众全面从严治党组织建设思想政治纪律作风制度反腐倡廉社会主义现代化国家铁路安全运输发展改革创新"
_HEADINGS = {"single": "一、单项选择题", "multiple": "二、多项选择题", "judge": "三、判断题", "fill": "四、填空题"}


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_CHARS) for _ in range(n))


def _options(rng: random.Random, n: int) -> list[str]:
    opts: list[str] = []
    while len(opts) < n:
        o = _text(rng, rng.randint(4, 12))
        if o not in opts:
            opts.append(o)
    return opts


def write_text_bank(path: Path, questions: int = 10_000, seed: int = 1) -> Path:
    """A text file of ``questions`` questions, 40% single, 20% each other type."""
    rng = random.Random(seed)
    counts = {"single": questions * 4 // 10, "multiple": questions * 2 // 10, "judge": questions * 2 // 10}
    counts["fill"] = questions - sum(counts.values())
    lines = ["党建知识应知应会题库（基准测试）", ""]
    no = 0
    for kind, count in counts.items():
        lines += [_HEADINGS[kind], ""]
        for _ in range(count):
            no += 1
            stem = _text(rng, rng.randint(20, 50))
            if kind in ("single", "multiple"):
                n = rng.choice([4, 4, 5])
                opts = _options(rng, n)
                k = 1 if kind == "single" else rng.randint(2, n)
                answer = "".join(sorted(rng.sample("ABCDE"[:n], k)))
                lines.append(f"{no}．{stem}（ ）。")
                labelled = [f"{'ABCDE'[i]}．{o}" for i, o in enumerate(opts)]
                lines += ["　　".join(labelled[i : i + 2]) for i in range(0, n, 2)]
                lines.append(f"答案：{answer}")
            elif kind == "judge":
                lines.append(f"{no}．{stem}。（{'√' if rng.random() < 0.5 else '×'}）")
            else:
                blanks = rng.choice([1, 1, 2])
                parts = [_text(rng, rng.randint(6, 16)) for _ in range(blanks + 1)]
                answers = [_text(rng, rng.randint(2, 5)) for _ in range(blanks)]
                stem = "".join(
                    p + (f"（{a}）" if i < blanks else "") for i, (p, a) in enumerate(zip(parts, [*answers, ""], strict=True))
                )
                lines.append(f"{no}．{stem}。")
            lines.append(f"解析：{_text(rng, rng.randint(20, 60))}。")
            lines.append(f"出处：《{_text(rng, 6)}》第{rng.randint(1, 60)}条")
            lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def bench(questions: int = 10_000, seed: int = 1, repeat: int = 3, keep: Path | None = None) -> dict[str, float | int]:
    """Best-of-``repeat`` seconds per stage for importing a ``questions``-question file."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        src = write_text_bank(folder / "bank.txt", questions, seed)
        out = folder / "bank.yaml"
        best: dict[str, float] = {}
        for _ in range(repeat):
            t0 = time.perf_counter()
            read_source(src)
            t1 = time.perf_counter()
            c1 = time.process_time()
            result = import_bank(src, bank_name="基准")
            t2 = time.perf_counter()
            write_bank_yaml(result.bank, out)
            t3 = time.perf_counter()
            c3 = time.process_time()
            stages = {
                "parse": t1 - t0,
                "import": t2 - t1,
                "write_yaml": t3 - t2,
                "total": t3 - t1,
                "total_cpu": c3 - c1,  # steadier than wall time on a shared machine
            }
            best = {k: min(v, best.get(k, v)) for k, v in stages.items()}
        loaded = load_bank_file(out)
        assert len(loaded.bank.questions) == questions, len(loaded.bank.questions)
        return {
            "questions": questions,
            "file_bytes": src.stat().st_size,
            **{f"{k}_s": round(v, 3) for k, v in best.items()},
            "questions_per_s": round(questions / best["total"]),
        }


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark; also called by ``scripts/bench.py`` with that script's own flags."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="keep the text file and the bank in this folder")
    parser.add_argument("--json", action="store_true")
    args, _ = parser.parse_known_args(argv)  # bench.py's --only is not ours
    figures = bench(args.questions, args.seed, args.repeat, args.keep)
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"import of {figures['questions']} questions ({figures['file_bytes'] / 1e6:.1f} MB of text): "
        f"{figures['total_s']:.2f} s wall, {figures['total_cpu_s']:.2f} s CPU ({figures['questions_per_s']} questions/s)\n"
        f"  read + parse   {figures['parse_s']:.2f} s\n"
        f"  import (parse, build, ids, duplicates) {figures['import_s']:.2f} s\n"
        f"  write YAML (checked by loading back)   {figures['write_yaml_s']:.2f} s"
    )


if __name__ == "__main__":
    main()
