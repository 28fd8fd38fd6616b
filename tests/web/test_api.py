"""The HTTP API answers what the CLI prints, byte for byte, and refuses what the CLI refuses.

Each answer is compared with the CLI run on the same document saved as ``case.json`` (the name the
server gives a request's case), so a difference in any byte or any message fails.
"""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[test]' (make setup)")

import threading
import time

from click.testing import CliRunner
from fastapi.testclient import TestClient
from webutil import as_file, hostile_doc

from pydesig.cli import main
from pydesig.web import Settings, create_app


def cli(tmp_path, monkeypatch, doc, *args) -> tuple[int, str, str]:
    """``pydesig ARGS`` on ``doc`` saved as ``case.json`` in the working folder."""
    as_file(doc, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [args[0], "case.json", *args[1:]])
    return result.exit_code, result.stdout, result.stderr


def test_solve_is_the_cli_json(client, demo_doc, tmp_path, monkeypatch):
    code, out, _ = cli(tmp_path, monkeypatch, demo_doc, "solve", "--format", "json",
                       "-I", "band_upper_bound=inclusive", "--decide", "zhao_min:2022:no_discipline")
    assert code == 0
    answer = client.post("/api/solve", json={"case": demo_doc, "interpretations": {"band_upper_bound": "inclusive"},
                                             "decisions": ["zhao_min:2022:no_discipline"]})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.content == out.encode("utf-8")
    as_object = client.post("/api/solve", json={"case": demo_doc, "interpretations": {"band_upper_bound": "inclusive"},
                                                "decisions": [{"official": "zhao_min", "year": 2022, "decision": "no_discipline"}]})
    assert as_object.content == answer.content


@pytest.mark.parametrize("body, args", [
    ({"region": "梅河口市", "year": [2020, 2021]}, ("--region", "梅河口市", "--year", "2020", "--year", "2021")),
    ({"official": ["李娜", "zhang_wei"], "year": 2020}, ("--official", "李娜", "--official", "zhang_wei", "--year", "2020")),
])
def test_solve_narrows_as_the_cli(client, meihekou_doc, tmp_path, monkeypatch, body, args):
    code, out, err = cli(tmp_path, monkeypatch, meihekou_doc, "solve", "--format", "json", *args)
    assert code == 0, err
    answer = client.post("/api/solve", json={"case": meihekou_doc, **body})
    assert answer.status_code == 200, answer.text
    assert answer.content == out.encode("utf-8")
    whole = client.post("/api/solve", json={"case": meihekou_doc}).json()
    narrowed = answer.json()
    assert set(narrowed) == set(whole)  # the shape is kept
    years = set(body["year"]) if isinstance(body["year"], list) else {body["year"]}
    assert narrowed["measures"] and all(set(m["years"]) <= years for m in narrowed["measures"])
    assert len(narrowed["measures"]) < len(whole["measures"])


def test_solve_narrowing_refuses_what_the_cli_refuses(client, meihekou_doc, tmp_path, monkeypatch):
    code, _, err = cli(tmp_path, monkeypatch, meihekou_doc, "solve", "--format", "json", "--region", "集安市")
    assert code == 2
    answer = client.post("/api/solve", json={"case": meihekou_doc, "region": "集安市"})
    assert answer.status_code == 422
    assert answer.json() == {"error": err.strip().removeprefix("pydesig: ")}


@pytest.mark.parametrize("endpoint, body, args", [
    ("why", {"region": "220581", "year": 2022, "lang": "en"},
     ("why", "--region", "220581", "--year", "2022", "--lang", "en", "--format", "json")),
    ("why", {"official": "li_na", "year": 2020, "measure": "no_promotion"},
     ("why", "--official", "li_na", "--year", "2020", "--measure", "no_promotion", "--format", "json")),
    ("why-not", {"region": "220581", "year": 2018, "level": "notified_warning"},
     ("why-not", "--region", "220581", "--year", "2018", "--level", "notified_warning", "--format", "json")),
    ("why-not", {"official": "李娜", "measure": "discipline", "lang": "en"},
     ("why-not", "--official", "李娜", "--measure", "discipline", "--lang", "en", "--format", "json")),
    ("outcomes", {"limit": 2, "decisions": ["220581:2022:extend"]},
     ("outcomes", "--limit", "2", "--decide", "220581:2022:extend", "--format", "json")),
    ("compare", {}, ("compare", "--format", "json")),
])
def test_endpoint_is_the_cli_json(client, meihekou_doc, tmp_path, monkeypatch, endpoint, body, args):
    code, out, err = cli(tmp_path, monkeypatch, meihekou_doc, *args)
    assert code == 0, err
    answer = client.post(f"/api/{endpoint}", json={"case": meihekou_doc, **body})
    assert answer.status_code == 200, answer.text
    assert answer.content == out.encode("utf-8")


SMALL = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "一县",
         "regions": [{"id": "r1", "name": "甲县", "kind": "county"}],
         "facts": [{"region": "r1", "year": 2019, "poppy_plants": 10000, "source": "通报"}]}


def test_readings_is_the_cli_json(client, tmp_path, monkeypatch):
    code, out, err = cli(tmp_path, monkeypatch, SMALL, "readings", "--format", "json", "--lang", "en")
    assert code == 0, err
    answer = client.post("/api/readings", json={"case": SMALL, "lang": "en"})
    assert answer.status_code == 200 and answer.content == out.encode("utf-8")


def test_check_is_the_cli_json(client):
    result = CliRunner().invoke(main, ["check", "--kind", "term-undefined", "--format", "json", "--lang", "en"])
    assert result.exit_code == 0
    answer = client.get("/api/check", params={"kind": "term-undefined", "lang": "en"})
    assert answer.status_code == 200 and answer.content == result.stdout.encode("utf-8")
    unknown = client.get("/api/check", params={"kind": "nonsense"})
    assert unknown.status_code == 422 and "unknown kind 'nonsense'" in unknown.json()["error"]


def test_schema_is_the_cli_json(client):
    result = CliRunner().invoke(main, ["schema", "--ruleset", "changzhou"])
    answer = client.get("/api/schema", params={"ruleset": "changzhou"})
    assert answer.status_code == 200 and answer.content == result.stdout.encode("utf-8")


@pytest.mark.parametrize("change, args", [
    (lambda d: d["facts"].__setitem__(0, {**d["facts"][0], "poppy_plants": -5}), ("solve", "--format", "json")),
    (lambda d: d.__setitem__("ruleset", "jilin"), ("solve", "--format", "json")),
    (lambda d: None, ("solve", "--format", "json", "--decide", "220581:2022:nonsense")),
    (lambda d: None, ("why-not", "--region", "220581", "--year", "2019", "--level", "key_rectification",
                      "--format", "json")),
])
def test_bad_input_is_422_with_the_cli_message(client, meihekou_doc, tmp_path, monkeypatch, change, args):
    doc = {**meihekou_doc, "facts": list(meihekou_doc["facts"])}
    change(doc)
    code, _, err = cli(tmp_path, monkeypatch, doc, *args)
    assert code == 2
    body = {"case": doc}
    if "--decide" in args:
        body["decisions"] = [args[args.index("--decide") + 1]]
    if args[0] == "why-not":
        body.update(region="220581", year=2019, level="key_rectification")
    answer = client.post(f"/api/{args[0]}", json=body)
    assert answer.status_code == 422
    assert answer.json() == {"error": err.strip().removeprefix("pydesig: ")}
    assert "\n" not in answer.json()["error"]


@pytest.mark.parametrize("body, words", [
    ({"cas": {}}, "case"),
    ({"case": {}, "colour": "red"}, "colour"),
    ({"case": {}, "lang": "fr"}, "lang"),
])
def test_malformed_requests_are_422_in_one_line(client, body, words):
    answer = client.post("/api/why", json=body)
    assert answer.status_code == 422
    assert set(answer.json()) == {"error"} and words in answer.json()["error"]


def test_a_request_cannot_name_a_file_of_the_server(client, demo_doc):
    answer = client.post("/api/solve", json={"case": {**demo_doc, "facts": "/etc/passwd"}})
    assert answer.status_code == 422 and "facts" in answer.json()["error"]


def test_body_over_the_limit_is_413(demo_doc):
    with TestClient(create_app(Settings(max_body=4096, workers=1))) as small:
        answer = small.post("/api/solve", json={"case": demo_doc})
        assert answer.status_code == 413 and "limit" in answer.json()["error"]
        chunked = small.post("/api/solve", content=iter([b"{" + b" " * 5000 + b"}"]),
                             headers={"content-type": "application/json"})
        assert chunked.status_code == 413


def test_a_solve_over_the_time_limit_is_stopped(demo_doc):
    with TestClient(create_app(Settings(time_limit=0.01, workers=1))) as hurried:
        answer = hurried.post("/api/why", json={"case": demo_doc, "region": "220581", "year": 2022})
        assert answer.status_code == 503 and "time limit" in answer.json()["error"]


def test_the_server_answers_while_a_solve_runs(client, demo_doc):  # the whole demo: a solve that takes a while
    finished = {}

    def slow():
        client.post("/api/why", json={"case": demo_doc, "region": "220581", "year": 2023, "lang": "en"})
        finished["why"] = time.monotonic()

    worker = threading.Thread(target=slow)
    worker.start()
    time.sleep(0.2)
    assert client.get("/api/schema").status_code == 200
    answered = time.monotonic()
    worker.join()
    assert answered < finished["why"]


def test_every_response_has_a_content_security_policy(client):
    for path in ("/", "/api/schema", "/docs", "/openapi.json"):
        policy = client.get(path).headers["content-security-policy"]
        assert "default-src 'none'" in policy and "'unsafe-eval'" not in policy
        assert "script-src" not in policy or path == "/docs"


def test_openapi_describes_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/solve", "/api/why", "/api/why-not", "/api/outcomes", "/api/compare", "/api/readings",
                 "/api/check", "/api/schema"):
        assert path in paths
    docs = client.get("/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in docs and "http" not in docs.split("<body>")[1]
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_hostile_ids_come_back_as_data(client):
    answer = client.post("/api/solve", json={"case": hostile_doc()})
    assert answer.status_code == 200
    assert any(f["region"] == 'A"x&</style>' for f in answer.json()["findings"])


def test_serve_binds_loopback_unless_told_and_then_warns(monkeypatch):
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    quiet = CliRunner().invoke(main, ["serve"])
    assert quiet.exit_code == 0 and calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8765
    assert "warning" not in quiet.stderr
    loud = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "9000"])
    assert loud.exit_code == 0 and calls[-1]["host"] == "0.0.0.0"
    assert "warning" in loud.stderr and "network" in loud.stderr
