"""The websocket's origin check: only pages of this site, by scheme, host and port.

Channels' AllowedHostsOriginValidator compares host names only, so a page on another port of
the same machine, or plain http against an https site, could open the student's socket with
their cookie (cross-site websocket hijacking). Here an origin is accepted only when its scheme,
host and port all equal one of `settings.SITE_ORIGINS`; a missing, `null`, malformed or
repeated Origin header is refused before the handshake completes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings

log = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]  # (scheme, host, port)


def parse_origin(value: str) -> Origin | None:
    """`scheme://host[:port]` as (scheme, host, port), or None if it is not such an origin.

    An origin has no user, path, query or fragment; the default port is made explicit, so
    `https://a.example` and `https://a.example:443` are the same origin.
    """
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:  # a port out of range, or a malformed IPv6 literal
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.username is not None or parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    if "*" in parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port if port is not None else DEFAULT_PORTS[scheme]


def parse_origins(values: Iterable[str]) -> frozenset[Origin]:
    """Every configured origin, parsed; ValueError names the first one that is not an origin."""
    parsed = set()
    for value in values:
        origin = parse_origin(value)
        if origin is None:
            raise ValueError(f"not an origin (scheme://host[:port]): {value!r}")
        parsed.add(origin)
    return frozenset(parsed)


class SiteOriginValidator:
    """ASGI middleware for websockets: deny the handshake unless the Origin is one of ours."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            raise ValueError("SiteOriginValidator guards websocket connections only")
        if self.allowed(scope.get("headers", [])):
            return await self.application(scope, receive, send)
        # Said in the log: a site served on an address SITE_ORIGINS does not name (another port,
        # a proxy's host) refuses every page's socket, and only the server can tell why.
        origins = [
            v.decode("latin-1") for n, v in scope.get("headers", []) if n.lower() == b"origin"
        ]
        log.warning(
            "websocket refused: Origin %s is not one of SITE_ORIGINS %s",
            ", ".join(origins) or "(none)",
            ", ".join(settings.SITE_ORIGINS),
        )
        # Imported here: settings.py imports this module to check SITE_ORIGINS, before Channels
        # may be imported. Denied before accept, so under Daphne the browser sees an HTTP 403.
        from channels.security.websocket import WebsocketDenier

        return await WebsocketDenier()(scope, receive, send)

    @staticmethod
    def allowed(headers: Iterable[tuple[bytes, bytes]]) -> bool:
        values = [value for name, value in headers if name.lower() == b"origin"]
        if len(values) != 1:
            return False  # no Origin (not a browser page) or an ambiguous pair of them
        origin = parse_origin(values[0].decode("latin-1"))
        # Read per handshake, so a test's `settings` fixture applies; the set is tiny.
        return origin is not None and origin in parse_origins(settings.SITE_ORIGINS)
