"""A real local SMTP server (aiosmtpd) that records what it accepts, for integration tests and benches.

It can refuse the first N messages with a 4xx (a busy relay) and hold the messages after the Kth at their first
RCPT (so a test can kill the sending worker mid-conversation, before the message is complete: not delivered), or
hold its "250" answer to the messages after the Kth once it has them (killed there, the worker never learns that the
message was delivered)."""

import asyncio
import logging
import socket
import threading
import time
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller

logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CapturingHandler:
    def __init__(self, *, refuse_first: int = 0, hold_after: int | None = None, hold_reply_after: int | None = None):
        self.refuse_first = refuse_first
        self.hold_after = hold_after
        self.hold_reply_after = hold_reply_after
        self.replies_held = 0
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.accepted: list[dict] = []
        self.refused = 0
        self.held = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """Held messages wait here, before DATA: if the client dies meanwhile, nothing is ever delivered."""
        with self.lock:
            must_hold = (self.hold_after is not None and len(self.accepted) >= self.hold_after
                         and not envelope.rcpt_tos)
            if must_hold:
                self.held += 1
        while must_hold and not self.release.is_set():
            await asyncio.sleep(0.02)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        with self.lock:
            if self.refused < self.refuse_first:
                self.refused += 1
                return "451 4.3.0 Serveur occupé, réessayez plus tard"
            self.accepted.append({
                "to": list(envelope.rcpt_tos), "key": message.get("X-Vigie-Idempotency-Key"),
                "subject": message.get("Subject"), "message": message, "at": time.time(),
            })
            hold_reply = self.hold_reply_after is not None and len(self.accepted) > self.hold_reply_after
            if hold_reply:
                self.replies_held += 1
        while hold_reply and not self.release.is_set():
            await asyncio.sleep(0.02)
        return "250 Message accepté"

    def per_address(self) -> Counter:
        with self.lock:
            return Counter(address for m in self.accepted for address in m["to"])

    def count(self) -> int:
        with self.lock:
            return len(self.accepted)


class SmtpServer:
    def __init__(self, handler: CapturingHandler | None = None):
        self.handler = handler or CapturingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpServer":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.handler.release.set()
        self.controller.stop()

    def worker_env(self, **extra) -> dict:
        return {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.port), "EMAIL_TIMEOUT": "5", **extra}
