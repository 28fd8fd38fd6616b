"""What every job's process starts with: the process the server forks its jobs from (the
multiprocessing *forkserver*, see ``jobs``) imports this module once.

It reads ``kb/`` and prepares the encodings of every instrument: the parsed and instrumented rules
that justifications are built on and the rule index that readings consult, several seconds of work
per instrument that is the same for every case.  Done here, no job pays for it again; the server
process itself never imports this module, so starting the app stays quick.
"""

from __future__ import annotations

from explain.instrument import instrumented_rules

from ..kb import knowledge_base
from ..relevance import prepare as prepare_relevance
from . import work  # noqa: F401 - the library calls the jobs run, imported once here


def warm() -> None:
    for ruleset in sorted(knowledge_base().vocabulary["instruments"]):
        instrumented_rules(ruleset)
        prepare_relevance(ruleset)


warm()
