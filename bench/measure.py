"""Timing HTTP requests against the served portal: a keep-alive client that carries a session
and the CSRF cookie, and percentiles.

Requests go as if through the TLS proxy production sits behind (``X-Forwarded-Proto: https``),
so DEBUG-off settings (secure cookies, CSRF's origin check) apply as in production."""

import http.client
import re
import statistics
import time
import urllib.parse
from html.parser import HTMLParser


class Client:
    def __init__(self, port: int, session: str = ""):
        self.port = port
        self.cookies = {"sessionid": session} if session else {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def _headers(self, extra=None) -> dict:
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {**headers, **(extra or {})}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=self._headers(headers))
            response = self.connection.getresponse()
            content = response.read()
        except (http.client.HTTPException, ConnectionError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            raise
        seconds = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, seconds, response.headers

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, data: list[tuple[str, str]]):
        origin = f"https://127.0.0.1:{self.port}"
        return self.request("POST", path, urllib.parse.urlencode(data).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": origin + path,
        })


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[round(fraction * 100) - 1]


# Warm-up requests before a page is timed: two for each of gunicorn's two workers, so that neither
# is timed on its first sight of a page (WeasyPrint's fonts and styles, the templates, the query
# plans each process keeps), whichever worker takes which request.
WARM_UP = 4


def _figures(seconds: list[float], content: bytes) -> dict:
    return {"p50": percentile(seconds, 0.5), "p95": percentile(seconds, 0.95), "n": len(seconds),
            "bytes": len(content)}


def timed_gets(client: Client, path: str, *, requests: int, budget_seconds: float) -> dict:
    """GET ``path`` ``requests`` times in a row (after ``WARM_UP`` requests), or until the time
    budget is spent: p50, p95 and the page's size."""
    return timed_side_by_side([(client, path)], requests=requests, budget_seconds=budget_seconds)[0]


def timed_side_by_side(pages: list[tuple[Client, str]], *, requests: int, budget_seconds: float) -> list[dict]:
    """Each of ``pages`` (client, path) GET ``requests`` times, taken in turn (A, B, A, B …) after
    ``WARM_UP`` requests of each, or until the time budget is spent: each page's p50, p95 and
    size, or its error. A page and its reference taken in turn meet the same moments of the run
    (a busy second, a cold cache, a checkpoint) in equal share, where one measured after the other
    met different ones (decision 0054)."""
    contents = []
    for client, path in pages:
        for _ in range(WARM_UP):
            status, content, _, _ = client.get(path)
            if status != 200:
                return [{"error": f"HTTP {status}"} for _ in pages]
        contents.append(content)
    seconds, started = [[] for _ in pages], time.perf_counter()
    while len(seconds[-1]) < requests and time.perf_counter() - started < budget_seconds:
        for index, (client, path) in enumerate(pages):
            status, contents[index], took, _ = client.get(path)
            if status != 200:
                return [{"error": f"HTTP {status}"} for _ in pages]
            seconds[index].append(took)
    return [_figures(taken, content) for taken, content in zip(seconds, contents, strict=True)]


class _Form(HTMLParser):
    """The fields of a page's main form as a browser would submit them untouched: text values,
    checked boxes and radios, selected options."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select = None
        self._selected = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value", "on")))
            else:
                self.fields.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select, self._selected = name, None
        elif tag == "option" and self._select and "selected" in attrs:
            self._selected = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if self._selected is not None:
                self.fields.append((self._select, self._selected))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(page: bytes) -> list[tuple[str, str]]:
    form = _Form()
    form.feed(page.decode("utf-8", "replace"))
    return form.fields


def error_summary(page: bytes) -> str:
    found = re.search(rb'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1).decode())).strip() if found else ""
