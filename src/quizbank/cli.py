"""The ``quizbank`` command: a thin layer that parses arguments and calls the core.

Exit codes (DESIGN.md): 0 done; 1 the input has problems; 2 wrong usage; 3 the request
cannot be met. Every :class:`~quizbank.errors.QuizbankError` is printed to stderr without
a traceback. Commands import what they need inside their function so that ``quizbank
validate`` does not pay for openpyxl and nothing but ``kiosk`` imports Textual.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import QuizbankError

if TYPE_CHECKING:
    from .loader import Library

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]

_TYPE_CN = {"single": "单选", "multiple": "多选", "judge": "判断", "fill": "填空"}
_DIFF_CN = {"easy": "易", "medium": "中", "hard": "难"}


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _library(args: argparse.Namespace) -> Library:
    from .loader import load_library

    return load_library(args.banks)


def _library_of(args: argparse.Namespace) -> Library:
    """The paths given on the command line, or the banks folder."""
    from .loader import load_paths

    return load_paths(args.paths) if args.paths else _library(args)


# ---------------------------------------------------------------------------- validate
def cmd_validate(args: argparse.Namespace) -> int:
    """Check banks and blueprints; also that every blueprint can be met by the banks."""
    from .generator import PaperGenerator

    lib = _library_of(args)
    problems: list[str] = []
    for key, lb in sorted(lib.blueprints.items()):
        gen = PaperGenerator(lb.blueprint, lib.questions, blueprint_key=key)
        if lib.banks and not gen.feasible():
            line = lb.lines.get("sections", 1)
            for reason in gen.explain():
                problems.append(f"{lb.path}:{_reason_line(lb.lines, reason, line)}: cannot be met: {reason}")
    n_q = sum(len(b.bank.questions) for b in lib.banks)
    active = sum(1 for q in lib.questions if not q.retired)
    if problems:
        for p in problems:
            sys.stderr.write(p + "\n")
        return 1
    _out(f"ok: {len(lib.banks)} banks, {n_q} questions ({active} active), {len(lib.blueprints)} blueprints")
    return 0


def _reason_line(lines: dict[str, int], reason: str, default: int) -> int:
    head = reason.split(":", 1)[0].split(" ", 1)[0]
    if head.startswith(("sections[", "topics[")):
        part, _, rest = head.partition("[")
        idx = rest.rstrip("]")
        return lines.get(f"{part}.{idx}", lines.get(part, default))
    if head.startswith("difficulty"):
        return lines.get("difficulty", default)
    return default


# ---------------------------------------------------------------------------- stats
def bank_stats(lib: Library) -> dict[str, Any]:
    """The figures of ``quizbank stats --json``."""
    from .generator import PaperGenerator
    from .models import DIFFICULTIES, QUESTION_TYPES

    banks: dict[str, Any] = {}
    for lb in lib.banks:
        qs = [q for q in lb.bank.questions if not q.retired]
        banks[lb.bank.bank] = {
            "revision": lb.bank.revision,
            "path": lb.path,
            "questions": len(lb.bank.questions),
            "active": len(qs),
            "retired": len(lb.bank.questions) - len(qs),
            "by_type": {t: sum(1 for q in qs if q.type == t) for t in QUESTION_TYPES},
            "by_difficulty": {d: sum(1 for q in qs if q.difficulty == d) for d in DIFFICULTIES},
            "by_topic": dict(sorted(Counter(q.topic for q in qs).items())),
            "secretary_only": sum(1 for q in qs if q.audience == ("secretary",)),
        }
    blueprints: dict[str, Any] = {}
    for key, lbp in sorted(lib.blueprints.items()):
        gen = PaperGenerator(lbp.blueprint, lib.questions, blueprint_key=key)
        feasible = gen.feasible()
        log10 = gen.papers_log10() if feasible else None
        blueprints[key] = {
            "name": lbp.blueprint.name,
            "feasible": feasible,
            "eligible": len(gen.questions),
            "questions_per_paper": sum(s.count for s in lbp.blueprint.sections),
            "total_points": lbp.blueprint.paper_points,
            "distinct_papers_log10": round(log10, 1) if log10 is not None else None,
            "problems": [] if feasible else gen.explain(),
        }
    active = [q for q in lib.questions if not q.retired]
    return {
        "total": len(lib.questions),
        "active": len(active),
        "by_type": {t: sum(1 for q in active if q.type == t) for t in QUESTION_TYPES},
        "by_difficulty": {d: sum(1 for q in active if q.difficulty == d) for d in DIFFICULTIES},
        "banks": banks,
        "blueprints": blueprints,
    }


def cmd_stats(args: argparse.Namespace) -> int:
    from .models import DIFFICULTIES, QUESTION_TYPES

    lib = _library_of(args)
    stats = bank_stats(lib)
    if args.json:
        _out(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    names = [*stats["banks"], "合计"]
    width = max(_width(n) for n in names) + 2

    def row(name: str, cells: list[object]) -> str:
        return name + " " * (width - _width(name)) + "".join(_rjust(str(c), 6) for c in cells)

    _out(row("题库", ["有效", *(_TYPE_CN[t] for t in QUESTION_TYPES), *(_DIFF_CN[d] for d in DIFFICULTIES)]))
    for name, b in stats["banks"].items():
        _out(row(name, [b["active"], *(b["by_type"][t] for t in QUESTION_TYPES), *(b["by_difficulty"][d] for d in DIFFICULTIES)]))
    _out(
        row(
            "合计",
            [stats["active"], *(stats["by_type"][t] for t in QUESTION_TYPES), *(stats["by_difficulty"][d] for d in DIFFICULTIES)],
        )
    )
    _out()
    for key, bp in stats["blueprints"].items():
        if bp["feasible"]:
            _out(
                f"blueprint {key} ({bp['name']}): feasible, {bp['eligible']} eligible questions, about 10^{bp['distinct_papers_log10']:.0f} distinct papers"
            )
        else:
            _out(f"blueprint {key} ({bp['name']}): NOT feasible")
            for p in bp["problems"]:
                _out(f"  - {p}")
    return 0


def _rjust(text: str, cells: int) -> str:
    return " " * max(cells - _width(text), 1) + text


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ---------------------------------------------------------------------------- paper
def cmd_paper(args: argparse.Namespace) -> int:
    from .generator import PaperGenerator
    from .paperjson import paper_to_json

    lib = _library(args)
    bp = lib.blueprint(args.blueprint)
    exclude: set[str] = set()
    member_line = ""
    if args.member:
        from .store import Store  # type: ignore[import-not-found,import-untyped,unused-ignore]

        with Store.open(args.db, create=False) as store:
            member = store.member(args.member)
            exclude = store.recent_question_ids(member.member_id, bp.blueprint.exclude_recent)
            member_line = f"姓名：{member.name}    党支部：{member.branch}    编号：{member.member_id}    得分：________"
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    gen = PaperGenerator(bp.blueprint, lib.questions, revisions=lib.revisions(), blueprint_key=bp.key)
    paper = gen.draw(seed, exclude)
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() == ".xlsx":
            from .paper_xlsx import write_paper_xlsx

            write_paper_xlsx(paper, out, member_line=member_line)
        elif out.suffix.lower() == ".docx":
            try:
                from .paper_docx import write_paper_docx  # type: ignore[import-not-found,import-untyped,unused-ignore]
            except ImportError:
                raise QuizbankError("writing .docx papers needs the paper_docx module (not built yet)") from None
            write_paper_docx(paper, out, member_line=member_line)
        elif out.suffix.lower() == ".json":
            out.write_text(paper_to_json(paper) + "\n", encoding="utf-8")
        else:
            raise QuizbankError(f"{out}: write .xlsx, .docx or .json")
        if not args.json:
            _out(f"paper {paper.paper_id} (seed {paper.seed}) written to {out}")
    if args.json:
        _out(paper_to_json(paper))
    elif not args.out:
        _print_paper(paper)
    return 0


def _print_paper(paper: Any) -> None:
    from .models import LETTERS
    from .paper_xlsx import answer_text, section_heading

    _out(f"{paper.blueprint}    试卷编号 {paper.paper_id}    种子 {paper.seed}")
    current = -1
    for q in paper.questions:
        if q.section != current:
            current = q.section
            _out()
            _out(section_heading(paper, current))
        _out(f"{q.no}. {q.stem}")
        for i, o in enumerate(q.options):
            _out(f"    {LETTERS[i]}. {o}")
    _out()
    _out("答案：" + "  ".join(f"{q.no}.{answer_text(q)}" for q in paper.questions))


# ---------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--banks", metavar="DIR", default=None, help="banks folder (default: $QUIZBANK_BANKS or the shipped banks)"
    )
    common.add_argument(
        "--db",
        metavar="DB",
        default=os.environ.get("QUIZBANK_DB", "quizbank.db"),
        help="database file (default: $QUIZBANK_DB or ./quizbank.db)",
    )

    parser = argparse.ArgumentParser(prog="quizbank", description="党建知识应知应会测试: banks, papers, kiosk, results.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", parents=[common], help="check banks and blueprints")
    p.add_argument("paths", nargs="*", metavar="PATH", help="bank/blueprint files or folders (default: the shipped ones)")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("stats", parents=[common], help="questions by bank, type, difficulty; blueprint feasibility")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("paper", parents=[common], help="draw one paper")
    p.add_argument("blueprint", metavar="BLUEPRINT", help="a shipped name (member, secretary) or a path")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--member", metavar="ID", help="avoid what this member saw recently; print their name on the paper")
    p.add_argument("--out", metavar="FILE", help="write .xlsx (printable + key), .docx or .json")
    p.add_argument("--json", action="store_true", help="print the paper as JSON")
    p.set_defaults(handler=cmd_paper)

    _add_optional_commands(sub, common)
    return parser


def _add_optional_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Commands that live in their own modules (store, reports, importers, kiosk)."""
    import importlib

    for name in ("quizbank.cli_store", "quizbank.cli_reports", "quizbank.cli_import", "quizbank.cli_kiosk"):
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name == name:
                continue
            raise
        mod.add_commands(sub, common)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except QuizbankError as e:
        sys.stderr.write(f"{e}\n")
        return e.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:
        where = f"{e.filename}: " if e.filename else ""
        sys.stderr.write(f"{where}{e.strerror or e}\n")
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
