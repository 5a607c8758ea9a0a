"""A stand-in for the messaging platforms' APIs (Telegram Bot API, Twilio, Meta Graph) on
loopback: it answers the calls the connectors make the way the platform documents them and
records each one, so tests can see what a user would have received."""

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Text

from aiohttp import web


@dataclass
class Call:
    platform: Text
    method: Text
    params: Dict[Text, Any]
    path: Text
    headers: Dict[Text, Text] = field(default_factory=dict)


class PlatformStandIn:
    def __init__(self) -> None:
        self.calls: List[Call] = []
        self.lock = threading.Lock()
        self.url = ""
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._runner: Optional[web.AppRunner] = None
        self._message_id = 0

    # --- recording ---------------------------------------------------------------------
    def record(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)

    def find(self, match: Callable[[Call], bool]) -> List[Call]:
        with self.lock:
            return [c for c in self.calls if match(c)]

    def wait_for(
        self, match: Callable[[Call], bool], count: int = 1, seconds: float = 10
    ) -> List[Call]:
        """The recorded calls that match, once there are `count` of them."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = self.find(match)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return self.find(match)

    def next_id(self) -> int:
        self._message_id += 1
        return self._message_id

    # --- the platforms -----------------------------------------------------------------
    async def telegram(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = dict(await request.post()) if request.can_read_body else {}
        params.update(request.query)
        self.record(Call("telegram", method, params, request.path))
        if method == "getMe":
            result: Any = {
                "id": 1,
                "is_bot": True,
                "first_name": "Assistant",
                "username": "assistant_bot",
            }
        elif method == "sendMessage":
            result = {
                "message_id": self.next_id(),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params.get("text", ""),
            }
        else:  # setWebhook, answerCallbackQuery, ...
            result = True
        return web.json_response({"ok": True, "result": result})

    async def twilio(self, request: web.Request) -> web.Response:
        params = dict(await request.post())
        account = request.match_info["account"]
        self.record(Call("twilio", "Messages.create", params, request.path, dict(request.headers)))
        sid = f"SM{self.next_id():032d}"
        return web.json_response(
            {
                "account_sid": account,
                "api_version": "2010-04-01",
                "body": params.get("Body"),
                "date_created": "Tue, 01 Dec 2026 10:00:00 +0000",
                "direction": "outbound-api",
                "from": params.get("From"),
                "num_media": "0",
                "num_segments": "1",
                "sid": sid,
                "status": "queued",
                "to": params.get("To"),
                "uri": f"/2010-04-01/Accounts/{account}/Messages/{sid}.json",
            },
            status=201,
        )

    async def messenger(self, request: web.Request) -> web.Response:
        body = await request.json()
        method = "sender_action" if "sender_action" in body else "message"
        params = dict(body, access_token=request.query.get("access_token"))
        self.record(Call("facebook", method, params, request.path))
        recipient = (body.get("recipient") or {}).get("id")
        if method == "sender_action":
            return web.json_response({"recipient_id": recipient})
        return web.json_response({"recipient_id": recipient, "message_id": f"m_{self.next_id()}"})

    async def helpdesk(self, request: web.Request) -> web.Response:
        """A Chatwoot-style inbox taking a handed-over conversation (actions/handoff.py)."""
        body = await request.json()
        headers = {"Authorization": request.headers.get("Authorization", "")}
        self.record(Call("helpdesk", "handoff", body, request.path, headers))
        return web.json_response({"id": self.next_id()}, status=201)

    # --- lifecycle ---------------------------------------------------------------------
    def start(self, port: int) -> "PlatformStandIn":
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self.telegram)
        app.router.add_get("/bot{token}/{method}", self.telegram)
        app.router.add_post("/2010-04-01/Accounts/{account}/Messages.json", self.twilio)
        app.router.add_post("/graph/me/messages", self.messenger)
        app.router.add_post("/helpdesk", self.helpdesk)
        started = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._runner = web.AppRunner(app)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", port)
            self._loop.run_until_complete(site.start())
            started.set()
            self._loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        if not started.wait(10):
            raise RuntimeError("the platform stand-in did not start")
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        if self._loop and self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
