"""``python -m painpath``: the questionnaire script."""

from ._cli import main

raise SystemExit(main())
