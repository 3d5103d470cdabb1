"""The ``quizbank import`` and ``quizbank export`` commands (thin: the work is in the importers).

``import FILE --out BANK.yaml`` reads the Excel template, another platform's sheet, a ``.csv``,
a ``.txt`` or a ``.docx`` and writes a bank; any problem and nothing is written (exit 1), unless
``--skip-bad``. ``--dry-run`` prints the YAML that would be written and writes nothing.
Warnings (near duplicates, defaults filled in, the encoding guessed) go to stderr either way.

``export BANK --out FILE.xlsx`` writes a bank to the template; BANK is a bank name among the
loaded banks (``党章``), a bank file's name without ``.yaml`` (``party_constitution``) or a path.
``export NAME --blank --out FILE.xlsx`` writes an empty template for a new bank.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import NotFoundError, QuizbankError

if TYPE_CHECKING:
    from .loader import LoadedBank

__all__ = ["add_commands", "cmd_export", "cmd_import"]


class UsageError(QuizbankError):
    """Arguments that make no sense together (exit 2, like argparse's own usage errors)."""

    exit_code = 2


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _existing(args: argparse.Namespace) -> Any:
    """The banks already there, for id clashes and duplicates; ``None`` if they cannot be read.

    An import must not fail because someone else's bank is broken right now: then the
    comparison is skipped and the user is told.
    """
    try:
        from .loader import load_library

        return load_library(args.banks)
    except QuizbankError as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        _err(f"note: not compared with the existing banks (they do not load: {first})")
        return None


def cmd_import(args: argparse.Namespace) -> int:
    """Import a question file into a bank file."""
    from .importers import import_bank, write_bank_yaml

    if not args.out and not args.dry_run:
        raise UsageError("give --out BANK.yaml (or --dry-run to see what would be written)")
    if args.out and Path(args.out).suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"{args.out}: the bank is written as YAML; name it .yaml")
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", args.id_prefix):
        raise UsageError(f"--id-prefix {args.id_prefix!r}: use letters, digits, '-', '_' or '.'")
    existing = _existing(args)
    result = import_bank(
        args.file,
        bank_name=args.bank,
        revision=args.revision,
        existing=existing,
        replacing=args.out,
        skip_bad=args.skip_bad,
        id_prefix=args.id_prefix,
    )
    for w in result.warnings:
        _err(f"warning: {w}")
    if result.skipped:
        _err(f"skipped ({len(result.skipped)} problem{'s' if len(result.skipped) != 1 else ''}):")
        for p in result.skipped:
            _err(f"  {p}")
    header = f"导入自 {Path(args.file).name}（quizbank import）"
    if args.dry_run:
        from .importers import bank_to_yaml

        sys.stdout.write(bank_to_yaml(result.bank, header=header))
        _err(f"dry run: would write {result.summary()} to {args.out or 'BANK.yaml'}; nothing written")
        return 0
    out = write_bank_yaml(result.bank, args.out, header=header)
    sys.stdout.write(f"imported {result.summary()} → {out}\n")
    return 0


def _find_bank(args: argparse.Namespace) -> LoadedBank:
    from .loader import load_bank_file, load_library

    target = args.bank
    p = Path(target)
    if p.suffix.lower() in (".yaml", ".yml") or p.is_file():
        if not p.exists():
            raise NotFoundError(f"{p}: no such bank file")
        return load_bank_file(p)
    lib = load_library(args.banks)
    for lb in lib.banks:
        if target in (lb.bank.bank, Path(lb.path).stem):
            return lb
    known = ", ".join(sorted(lb.bank.bank for lb in lib.banks)) or "none"
    raise NotFoundError(f"no bank named '{target}' (known: {known}); give a bank name or a path to a .yaml file")


def cmd_export(args: argparse.Namespace) -> int:
    """Write a bank to the Excel template."""
    from .excel_template import write_template

    if Path(args.out).suffix.lower() != ".xlsx":
        raise UsageError(f"{args.out}: the template is an Excel workbook; name it .xlsx")
    if args.blank:
        from .models import Bank

        if not args.bank.strip() or "/" in args.bank:
            raise UsageError(f"'{args.bank}' cannot be a bank name (empty or with '/')")
        out = write_template(Bank(bank=args.bank, revision=args.revision or ""), args.out)
        sys.stdout.write(f"blank template for bank {args.bank} → {out}\n")
        return 0
    lb = _find_bank(args)
    out = write_template(lb.bank, args.out, where=lb.path)
    sys.stdout.write(f"exported {len(lb.bank.questions)} questions of bank {lb.bank.bank} → {out}\n")
    return 0


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register ``import`` and ``export`` on the ``quizbank`` parser (see cli._add_optional_commands)."""
    p = sub.add_parser(
        "import",
        parents=[common],
        help="questions from the Excel template, another platform's sheet, .csv, .txt or .docx",
        description="Read questions into a bank file. Any problem and nothing is written, unless --skip-bad.",
    )
    p.add_argument("file", metavar="FILE", help=".xlsx, .csv, .txt or .docx")
    p.add_argument("--out", metavar="BANK.yaml", help="the bank file to write (replaced if it exists)")
    p.add_argument("--bank", metavar="NAME", help="the bank's name (default: the template's, the topics', or the file's)")
    p.add_argument("--revision", metavar="TEXT", help="the text the bank follows, e.g. 2022 (default: the template's, or 未注明)")
    p.add_argument("--id-prefix", metavar="P", default="q", help="prefix of the ids made for questions without one (default q)")
    p.add_argument("--skip-bad", action="store_true", help="write the good questions and list the bad ones")
    p.add_argument("--dry-run", action="store_true", help="print the YAML that would be written; write nothing")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser(
        "export",
        parents=[common],
        help="a bank to the Excel template (round-trips with import)",
        description="Write a bank to the Excel template that quizbank import reads back.",
    )
    p.add_argument("bank", metavar="BANK", help="a bank name (党章), a bank file name (party_constitution) or a path")
    p.add_argument("--out", metavar="FILE.xlsx", required=True)
    p.add_argument("--blank", action="store_true", help="an empty template for a new bank named BANK")
    p.add_argument("--revision", metavar="TEXT", help="with --blank: the text the new bank follows")
    p.set_defaults(handler=cmd_export)
