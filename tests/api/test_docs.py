"""The API's OpenAPI schema at /api/schema/ and its docs page at /api/docs/ (docs/decisions/0051)."""

import json
import re

import pytest

from api.endpoints import api

pytestmark = pytest.mark.django_db


def test_the_schema_served_is_the_one_the_fuzz_test_reads(client):
    response = client.get("/api/schema/")

    assert response["Content-Type"] == "application/json"
    assert response.json() == json.loads(json.dumps(api.get_openapi_schema()))  # status codes as strings
    assert set(response.json()["paths"]) == {
        "/api/agreements/", "/api/agreements/{agreement_id}/", "/api/entries/", "/api/entries/{entry_id}/",
    }
    assert response.json()["components"]["securitySchemes"] == {"TokenAuth": {"type": "http", "scheme": "bearer"}}


def test_the_docs_page_loads_its_scripts_and_styles_from_the_portal_alone(client):
    page = client.get("/api/docs/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    assert re.search(r"<script>(?!\s*</script>)", page) is None  # no inline script to run
