"""Test settings shared by the whole suite.

Under ``CI`` (set by ``.ci/run``) hypothesis draws the same examples on every run
(``derandomize``): CI says the same thing twice, and a failure it shows can be replayed
anywhere. Local runs stay random and keep looking for new counterexamples (they found
three this week); put what they find into a regression test.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
