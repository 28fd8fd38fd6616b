"""Run commands and load case files, returning what a user would see, to compare across hash seeds.

``python tests/fuzz/seeded.py JOB`` (JOB: JSON ``{"commands": [[args…]…], "load": [paths…]}``)
prints the outcomes as JSON; :func:`outcomes` gives the same in-process."""

from __future__ import annotations

import hashlib
import json
import sys


def outcomes(job: dict) -> list:
    from click.testing import CliRunner

    from pydesig.case import load_case
    from pydesig.cli import main
    from pydesig.errors import CaseError

    out = []
    for args in job["commands"]:
        r = CliRunner().invoke(main, args)
        out.append([args, r.exit_code, hashlib.sha256(r.stdout_bytes).hexdigest(), r.stderr])
    for path in job["load"]:
        try:
            out.append([path, 0, repr(load_case(path).facts), ""])
        except CaseError as err:
            out.append([path, 2, "", str(err)])
    return out


if __name__ == "__main__":
    print(json.dumps(outcomes(json.loads(sys.argv[1]))))
