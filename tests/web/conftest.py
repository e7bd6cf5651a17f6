"""The web application in-process (TestClient) and, for browser tests, served on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from engine.web.app import create_app
from engine.web.limits import Limits



@pytest.fixture(scope="session")
def client():
    from fastapi.testclient import TestClient
    return TestClient(create_app(Limits(max_request_bytes=200 * 1024)), raise_server_exceptions=False)


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The application served by uvicorn on 127.0.0.1 in a thread, with a 200 KiB request limit; its base URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(Limits(max_request_bytes=200 * 1024)), host="127.0.0.1", port=port,
                            log_level="error")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline, "the web application did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)
