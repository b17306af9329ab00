"""Schemathesis against the OpenAPI description (/openapi.json) of the app on the seed graph:
every operation, with generated parameters and bodies, never answers a 5xx."""
from __future__ import annotations

import schemathesis
from conftest import make_dataset, seed_path
from hypothesis import HealthCheck, settings

from publik_kg.api import create_app
from publik_kg.api.config import Config

APP = create_app(Config.from_env(env={}, workers=0, cache_entries=0), make_dataset([seed_path()]).store)
schema = schemathesis.openapi.from_wsgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])
    assert "Traceback" not in response.text
