"""Write a synthetic bank of N questions (default 10,000) for benchmarks.

The shape follows the shipped banks: nine banks, the four types in roughly 40/20/20/20,
difficulty 30/50/20, a few groups and secretary-only questions, Chinese text of realistic
length. Content is nonsense; only the shape matters. Deterministic per ``--seed``.

    python scripts/synthetic_bank.py OUT_DIR [--questions 10000] [--seed 1]

OUT_DIR receives one YAML file per bank and ``blueprints/`` with copies of the shipped
blueprints, so ``quizbank --banks OUT_DIR`` works on it.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

BANKS = [
    ("习近平新时代中国特色社会主义思想", "xj", 0.18),
    ("党章", "dz", 0.14),
    ("党规党纪", "dg", 0.12),
    ("党的基本知识", "jc", 0.10),
    ("党内组织生活", "zs", 0.10),
    ("党史与红色传统", "ds", 0.10),
    ("宪法与法治", "xf", 0.08),
    ("铁路法律法规", "tl", 0.08),
    ("支部工作", "zb", 0.10),
]
_CHARS = "党的领导人民群众全面从严治党组织建设思想政治纪律作风制度反腐倡廉社会主义现代化国家铁路安全运输发展改革创新"


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_CHARS) for _ in range(n))


def make_question(rng: random.Random, bank: str, qid: str) -> dict[str, object]:
    kind = rng.choices(["single", "multiple", "judge", "fill"], [4, 2, 2, 2])[0]
    q: dict[str, object] = {
        "id": qid,
        "type": kind,
        "topic": f"{bank}/{_text(rng, 3)[:2]}",
        "difficulty": rng.choices(["easy", "medium", "hard"], [3, 5, 2])[0],
    }
    if kind in ("single", "multiple"):
        n = rng.choice([4, 4, 4, 5])
        opts: list[str] = []
        while len(opts) < n:
            o = _text(rng, rng.randint(4, 14))
            if o not in opts:
                opts.append(o)
        q["stem"] = _text(rng, rng.randint(20, 60)) + "（ ）。"
        q["options"] = opts
        if kind == "single":
            q["answer"] = "ABCDE"[rng.randrange(n)]
        else:
            k = rng.randint(2, n)
            q["answer"] = "".join(sorted(rng.sample("ABCDE"[:n], k)))
    elif kind == "judge":
        q["stem"] = _text(rng, rng.randint(20, 60)) + "。"
        q["answer"] = rng.random() < 0.5
    else:
        blanks = rng.choice([1, 1, 2, 2, 3])
        parts = [_text(rng, rng.randint(6, 20)) for _ in range(blanks + 1)]
        q["stem"] = "____".join(parts) + "。"
        q["answer"] = [_text(rng, rng.randint(2, 5)) for _ in range(blanks)]
    q["explanation"] = _text(rng, rng.randint(30, 80)) + "。"
    q["source"] = f"《{_text(rng, 6)}》第{rng.randint(1, 60)}条"
    if rng.random() < 0.1:
        q["audience"] = ["secretary"]
    if rng.random() < 0.05:
        q["group"] = f"g{rng.randrange(200)}"
    return q


def write_synthetic(out: Path, questions: int = 10_000, seed: int = 1) -> Path:
    """Write the synthetic banks and the shipped blueprints into ``out``; return it."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for bank, prefix, share in BANKS:
        n = round(questions * share)
        qs = [make_question(rng, bank, f"{prefix}-s{i:05d}") for i in range(n)]
        data = {"bank": bank, "revision": "synthetic", "questions": qs}
        with (out / f"{prefix}.yaml").open("w", encoding="utf-8") as f:
            yaml.safe_dump(data, f, allow_unicode=True, sort_keys=False, width=120)
    shipped = Path(__file__).resolve().parent.parent / "question_banks" / "blueprints"
    (out / "blueprints").mkdir(exist_ok=True)
    for bp in shipped.glob("*.yaml"):
        shutil.copy(bp, out / "blueprints" / bp.name)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_synthetic(args.out, args.questions, args.seed)
    print(f"wrote {args.questions} questions to {args.out}")


if __name__ == "__main__":
    main()
