"""The web app under FastAPI's TestClient, the demo case as a request document, a hostile case."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def client():
    """The app with two workers, started once for the web tests."""
    from fastapi.testclient import TestClient

    from pydesig.web import Settings, create_app

    with TestClient(create_app(Settings(workers=2))) as c:
        yield c


@pytest.fixture(scope="session")
def demo_doc() -> dict:
    """The shipped demo case as the JSON document a request carries."""
    return yaml.safe_load((REPO / "kb/cases/tonghua.yaml").read_text(encoding="utf-8"))
