"""What the feature server lets a visitor ask: data, never SQL (see docs/security.md).

tipg turns a CQL2 ``filter`` into SQL and passes any function call through to PostgreSQL, so
``filter=int4(... query_to_xml('select ...') ...)=1`` would run any query a visitor writes.
:func:`refused_filter` reads the filter the way tipg will (cql2-json, whatever the language sent) and
accepts only CQL2's own operators (comparison, logical, spatial, temporal, array, arithmetic,
``casei``/``accenti``) on plain property names; anything else is a 400 with one line. :class:`Guard`, an
ASGI middleware around tipg's app, applies it, refuses paging numbers PostgreSQL cannot take, gives
every response an ``X-Request-Id``, and replaces the body of every server error with a generic message
naming that id (the details, which can hold PostgreSQL's own text, go to the server's log only).

Pure functions plus one middleware class; no database, no tipg import.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

#: CQL2's own operators (OGC 21-065: basic, advanced comparison, case/accent, spatial, temporal, array,
#: arithmetic). Lower-case; everything else a parser accepts as a function call is refused.
ALLOWED_OPS = frozenset(
    {
        "and", "or", "not",
        "=", "<>", "<", "<=", ">", ">=", "like", "between", "in", "isnull",
        "casei", "accenti",
        "s_intersects", "s_equals", "s_disjoint", "s_touches", "s_within", "s_overlaps", "s_crosses",
        "s_contains",
        "t_after", "t_before", "t_contains", "t_disjoint", "t_during", "t_equals", "t_finishedby",
        "t_finishes", "t_intersects", "t_meets", "t_metby", "t_overlappedby", "t_overlaps",
        "t_startedby", "t_starts",
        "a_equals", "a_contains", "a_containedby", "a_overlaps",
        "+", "-", "*", "/", "%", "^", "div",
    }
)  # fmt: skip
_PROPERTY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
#: literal kinds a filter may hold besides strings, numbers and booleans
_LITERAL_KEYS = ({"date"}, {"timestamp"}, {"interval"}, {"bbox"})
_GEOMETRY_TYPES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
                   "GeometryCollection"}  # fmt: skip
MAX_FILTER_CHARS = 20_000
MAX_PAGE_NUMBER = 2**31 - 1  # offset and limit: PostgreSQL's int4; tipg's own maximum limit applies too


def _walk(node: Any, depth: int = 0) -> str | None:
    """The first thing in a cql2-json tree that is not CQL2 data, as a reason; None when all is."""
    if depth > 64:
        return "filter nests too deeply"
    if isinstance(node, str | int | float | bool) or node is None:
        return None
    if isinstance(node, list):
        return next((r for item in node if (r := _walk(item, depth + 1))), None)
    if not isinstance(node, dict):
        return "filter holds a value CQL2 does not know"
    if "op" in node:
        op = str(node["op"])
        if op.lower() not in ALLOWED_OPS or set(node) - {"op", "args"}:
            return f"function or operator {op[:40]!r} is not allowed in a filter"
        return _walk(node.get("args", []), depth + 1)
    if "property" in node:
        name = node["property"]
        if set(node) != {"property"} or not isinstance(name, str) or not _PROPERTY.match(name):
            return f"property name {str(name)[:40]!r} is not a column name"
        return None
    if node.get("type") in _GEOMETRY_TYPES:
        return None  # a GeoJSON literal: tipg binds it as one
    if set(node) in _LITERAL_KEYS:
        return _walk(next(iter(node.values())), depth + 1)
    return "filter holds a value CQL2 does not know"


def refused_filter(text: str, lang: str | None) -> str | None:
    """Why a ``filter`` (cql2-text or cql2-json) may not run, in one line; None when it may."""
    from cql2 import Expr  # tipg's own parser, so the tree checked is the tree tipg turns into SQL

    if len(text) > MAX_FILTER_CHARS:
        return f"filter longer than {MAX_FILTER_CHARS:,} characters"
    try:
        tree = Expr(json.loads(text) if lang == "cql2-json" else text).to_json()
    except Exception:  # the parser's own message may echo a lot of input: keep the line short
        return "filter is not valid CQL2 (filter-lang cql2-text or cql2-json)"
    return _walk(tree)


def refused_query(params: list[tuple[str, str]]) -> str | None:
    """Why a request's query string may not reach tipg (a filter, an offset or a limit); None if it may."""
    names = [name for name, _ in params]
    for name in ("offset", "limit", "filter", "filter-lang"):
        if names.count(name) > 1:
            return f"{name} given more than once"
    values = dict(params)
    for name in ("offset", "limit"):
        if name in values:
            value = values[name].strip()
            if not value.isdigit() or int(value) > MAX_PAGE_NUMBER:
                return f"{name} must be a whole number from 0 to {MAX_PAGE_NUMBER:,}"
    if "filter" in values:
        return refused_filter(values["filter"], values.get("filter-lang"))
    return None


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class Guard:
    """ASGI middleware: refuses what :func:`refused_query` refuses (400), tags every response with an
    ``X-Request-Id``, and turns every 5xx body into a generic message with that id (details logged)."""

    def __init__(self, app: Callable, logger: logging.Logger | None = None):
        self.app = app
        self.log = logger or logging.getLogger("smartcity.features")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        query = scope.get("query_string", b"").decode("latin-1")
        reason = refused_query(parse_qsl(query, keep_blank_values=True))
        if reason is not None:
            self.log.warning("request %s refused: %s", request_id, reason)
            await _json(send, 400, {"code": "InvalidParameter", "description": reason}, request_id)
            return
        state: dict[str, Any] = {"status": 200, "held": None, "body": b""}

        async def guarded_send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                if message["status"] >= 500:
                    state["held"] = message  # replaced once the whole body (the details) has been read
                    return
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
                await send(message)
            elif message["type"] == "http.response.body" and state["held"] is not None:
                state["body"] += message.get("body", b"")
                if not message.get("more_body", False):
                    await self._server_error(send, state["status"], state["body"], request_id, scope)
            else:
                await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except Exception as exc:  # an error no handler took: the same generic answer
            self.log.error("request %s %s failed: %r", request_id, scope.get("path"), exc)
            if state["held"] is None and state["status"] < 500:
                raise
            await self._server_error(send, 500, repr(exc).encode(), request_id, scope)

    async def _server_error(self, send: Send, status: int, details: bytes, request_id: str, scope: Scope):
        self.log.error(
            "request %s %s answered %s: %s", request_id, scope.get("path"), status,
            details[:2000].decode("utf-8", "replace"),
        )  # fmt: skip
        body = {
            "code": "ServerError",
            "description": f"the server could not answer this request (request id {request_id}); "
            "its administrator can find the details in the server's log",
        }
        await _json(send, status, body, request_id)


async def _json(send: Send, status: int, body: dict, request_id: str) -> None:
    data = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
               (b"x-request-id", request_id.encode()), (b"cache-control", b"no-cache")]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})
