"""Limits of the web application: request size, and time per request for the engine's work."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """How much a request may send and how long its engine work may take."""

    max_request_bytes: int = 5 * 1024 * 1024
    seconds_per_request: float = 20.0
    workers: int = 2


class TooSlow(Exception):
    """The engine's work for a request did not finish within the time limit."""


class TooLarge(Exception):
    """A request body is larger than the limit."""


class BodyLimit:
    """ASGI middleware refusing request bodies over the limit with HTTP 413, before the application reads them."""

    def __init__(self, app: Any, limits: Limits, refuse: Callable[[str, str], tuple[str, bytes]]):
        self.app, self.limits, self.refuse = app, limits, refuse

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.max_request_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._send_refusal(scope, send)
            return
        received = 0
        started = False

        async def counted_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge()
            return message

        async def tracked_send(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except TooLarge:
            if not started:
                await self._send_refusal(scope, send)

    async def _send_refusal(self, scope: dict, send: Callable) -> None:
        message = (f"the request is larger than the limit of {self.limits.max_request_bytes // 1024} KiB; "
                   "send smaller files, one clinician at a time")
        content_type, body = self.refuse(scope.get("path", ""), message)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


def json_refusal(message: str) -> bytes:
    return json.dumps({"errors": [{"file": "", "line": None, "column": None, "path": "", "message": message}]}).encode()


class Worker:
    """Runs engine work in a small thread pool; a request gives up waiting after the time limit."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.pool = ThreadPoolExecutor(max_workers=limits.workers, thread_name_prefix="mips-web")

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.run_in_executor(self.pool, work, *args), self.limits.seconds_per_request)
        except asyncio.TimeoutError:
            raise TooSlow(f"the engine did not finish within {self.limits.seconds_per_request:g} seconds; "
                          "try fewer or smaller files") from None
