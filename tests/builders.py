"""Small builders for case-file records, shared by the scenario tests."""

from __future__ import annotations


def official(oid: str, region: str, role: str, since: int, until: int | None = None) -> dict:
    """An ``officials`` record of a case file (name = id; ``until`` only when given)."""
    record = {"id": oid, "name": oid, "region": region, "role": role, "since": since}
    if until is not None:
        record["until"] = until
    return record
