"""Helpers of the web tests: the request document as the CLI's file, a hostile case, a markup check."""

from __future__ import annotations

import json
from html.parser import HTMLParser

HOSTILE = "<script>alert(1)</script>"


def as_file(doc, folder, name: str = "case.json"):
    """The document written as the web app reads it (``case.json``, indented): the file for which
    the CLI must give the same answer and the same message."""
    path = folder / name
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def hostile_doc() -> dict:
    """Ids, names, a title and sources that would be markup if anything pasted them into HTML."""
    return {
        "format": "pydesig-case/1", "ruleset": "jilin-2019", "title": '<b>标题</b> & "quotes" </style>',
        "regions": [{"id": "C<1>", "name": "<script>alert('c')</script>", "kind": "city"},
                    {"id": 'A"x&</style>', "name": HOSTILE, "kind": "county", "parent": "C<1>"}],
        "officials": [{"id": "o<i>", "name": "<img src=x onerror=alert(2)>", "region": 'A"x&</style>',
                       "role": "party_secretary", "since": 2010}],
        "facts": [{"region": 'A"x&</style>', "year": 2019, "poppy_plants": 12000,
                   "source": "<a href='http://evil'>src</a>"},
                  {"official": "o<i>", "year": 2019, "neglect": True, "source": "</details><script>x()</script>"}],
    }


class MarkupCheck(HTMLParser):
    """Collects what would run or load if a hostile string had become markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "img", "style"):
            self.bad.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (name in ("href", "src") and value and "evil" in value):
                self.bad.append(f"{tag}[{name}]")

    def handle_data(self, data):
        self.text.append(data)


def check_markup(html: str) -> MarkupCheck:
    checker = MarkupCheck()
    checker.feed(html)
    return checker
