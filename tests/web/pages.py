"""Reading pages as a test does: the data-* attributes the templates put on numbers, and sign-in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import httpx
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    table: str | None  # the data-table of the enclosing <table>, if any


class DataAttributes(HTMLParser):
    """Every element that carries a data-* attribute, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.tables: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "table":
            self.tables.append(values.get("data-table"))
        if any(k.startswith("data-") for k in values):
            self.elements.append(Element(tag, values, self.tables[-1] if self.tables else None))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.tables:
            self.tables.pop()

    def first(self, attr: str) -> Element:
        return next(e for e in self.elements if attr in e.attrs)

    def rows(self, table: str) -> list[dict[str, str]]:
        return [e.attrs for e in self.elements if e.tag == "tr" and e.table == table]


def data_attributes(html: str) -> DataAttributes:
    parser = DataAttributes()
    parser.feed(html)
    parser.close()
    return parser


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no csrf_token field"
    return found.group(1)


def sign_in(client: httpx.Client, email: str, password: str) -> httpx.Response:
    """The browser's way: open the form (it sets the pre-sign-in CSRF cookie), post it back."""
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token, "next": "/"},
                           follow_redirects=False)
    assert response.status_code == 303, (email, response.status_code, response.text[:300])
    return response


def app_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) the app answers, routers included (HEAD, added by Starlette, left out)."""
    out = []
    for context in iter_route_contexts(app.routes):
        for method in sorted(getattr(context, "methods", None) or ()):
            if method != "HEAD":
                out.append((method, str(context.path)))
    return out
