"""Logs that operators can follow across processes: every line of a request carries its
identifier (the proxy's ``X-Request-ID`` when it sends one, so that a line of nginx and a line of
the platform meet), and production writes them as JSON lines (LOG_FORMAT)."""

import re
import uuid
from contextvars import ContextVar

# What is accepted from the proxy: enough for a UUID or nginx's $request_id, nothing that could
# forge a log line.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
REQUEST_ID_HEADER = "X-Request-ID"

request_id: ContextVar[str] = ContextVar("request_id", default="-")


def new_request_id(received: str | None) -> str:
    if received and _VALID_REQUEST_ID.match(received):
        return received
    return uuid.uuid4().hex


class RequestIdFilter:
    """Adds ``request_id`` to every record (``-`` outside a request: a job, a command)."""

    def filter(self, record) -> bool:
        record.request_id = request_id.get()
        return True


class RequestIdMiddleware:
    """First of the middleware: the identifier exists before anything logs, and is sent back so
    that a person reporting a problem can quote it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_id.set(new_request_id(request.headers.get(REQUEST_ID_HEADER)))
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id.get()
            return response
        finally:
            request_id.reset(token)


def logging_config(*, json: bool, level: str) -> dict:
    """The LOGGING setting: one line per event on the standard error, which systemd's journal
    or the container runtime collects."""
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message", "request_id"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if json
        else {
            "format": (
                "%(asctime)s level=%(levelname)s logger=%(name)s request_id=%(request_id)s"
                " message=%(message)s"
            )
        }
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "enfance.core.logs.RequestIdFilter"}},
        "formatters": {"structured": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "structured",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "WARNING"}},
    }
