"""Generate the reference pages in ``docs/`` from the code, and check they are current.

``DOCS`` maps a file name in ``docs/`` to the function that renders it; the
renderers live together in :mod:`painpath._docs`, each page opening with its one
generated-note.

Run ``python -m painpath._docgen`` to write every page, or
``python -m painpath._docgen --check`` to exit 1 and list the stale ones.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ._docs.catalog import render_catalog
from ._docs.contract import render_contract
from ._docs.journal import render_journal
from ._docs.questionnaire import render_questionnaire
from ._docs.rules import render_rules
from ._schema import SCHEMAS, schema_text

__all__ = ["DOCS", "DOCS_DIR", "main", "render_catalog"]

#: The ``docs/`` folder of the source checkout (meaningless in an installed package).
DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"


def checkout_docs_dir() -> Path | None:
    """Return the checkout's ``docs/``, or None when painpath runs from an installed package."""
    root = DOCS_DIR.parent
    project = root / "pyproject.toml"
    if (
        (root / "src" / "painpath").is_dir()
        and project.is_file()
        and 'name = "painpath"' in project.read_text(encoding="utf-8")
    ):
        return DOCS_DIR
    return None


#: Every generated page: file name in ``docs/`` -> function returning its text.
DOCS: dict[str, Callable[[], str]] = {
    "catalog.md": render_catalog,
    "rules.md": render_rules,
    "questionnaire.md": render_questionnaire,
    "journal.md": render_journal,
    "contract.md": render_contract,
    **{f"schema/{name}.schema.json": functools.partial(schema_text, name) for name in SCHEMAS},
}


def main(argv: Sequence[str] | None = None) -> int:
    """Write the generated pages, or with ``--check`` report the stale ones (exit 1)."""
    parser = argparse.ArgumentParser(
        prog="python -m painpath._docgen",
        description="Generate the reference pages in docs/ from the code.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and list the pages that differ from the code",
    )
    parser.add_argument(
        "--docs-dir",
        type=Path,
        default=None,
        help="folder of the pages (default: the checkout's docs/; required when "
        "painpath is installed rather than run from a checkout)",
    )
    args = parser.parse_args(argv)
    docs_dir: Path | None = args.docs_dir or checkout_docs_dir()
    if docs_dir is None:
        print(
            "python -m painpath._docgen: painpath is not running from a source checkout, "
            "so there is no docs/ folder to write; run it from a checkout, or give "
            "--docs-dir DIR",
            file=sys.stderr,
        )
        return 2
    stale: list[str] = []
    for name, render in DOCS.items():
        path = docs_dir / name
        text = render()
        current = path.read_bytes().decode("utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            print(f"wrote {path}")
    if args.check and stale:
        print(
            "stale docs (run `python -m painpath._docgen`):\n"
            + "\n".join(f"  {docs_dir / name}" for name in stale),
            file=sys.stderr,
        )
        return 1
    if not stale:
        print(f"docs up to date in {docs_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
