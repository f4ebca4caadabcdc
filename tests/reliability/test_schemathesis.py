"""Schemathesis against a live `kg serve`: generated requests for every operation of the OpenAPI
description, with every check (no 5xx, statuses, media types and headers as documented)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..api.conftest import TOKEN, start_server, stop_server
from .conftest import HERE, corpus_store

EXAMPLES = 15  # per operation, per phase: a bounded run
SEED = 20261207  # the same requests on every run, so that a failure can be replayed


def test_every_operation_answers_as_its_openapi_description_says(tmp_path: Path) -> None:
    store = corpus_store(tmp_path / "store")
    process, url = start_server(store, update_token=TOKEN, workers="2", query_timeout="5", max_rows="2000")
    try:
        schemathesis = Path(sys.executable).with_name("schemathesis")
        run = subprocess.run(
            [
                str(schemathesis),
                "--config-file",
                str(HERE / "schemathesis.toml"),
                "run",
                f"{url}/openapi.json",
                "--checks",
                "all",
                "--max-examples",
                str(EXAMPLES),
                "--seed",
                str(SEED),
                "--header",
                f"Authorization: Bearer {TOKEN}",
            ],
            cwd=tmp_path,  # its example database stays out of the checkout
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert run.returncode == 0, run.stdout[-6000:]
    finally:
        stop_server(process)
