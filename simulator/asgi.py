"""ASGI entry point: HTTP through Django, websockets through Channels with auth and origin checks."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simulator.settings")
django_asgi_app = get_asgi_application()

# Imported after Django is set up: the routing imports models.
from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from scenarios import cues  # noqa: E402
from simulator import runtime  # noqa: E402
from simulator.origins import SiteOriginValidator  # noqa: E402
from simulator.routing import websocket_urlpatterns  # noqa: E402


class StartCustomerRuntime:
    """Start the customer runtime with the first request of any kind, in the server's loop.

    Daphne has no lifespan events; starting here means due replies and timers resume as
    soon as anyone reaches the restarted server, not only when a chat socket opens.
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        runtime.ensure_started()
        await self.app(scope, receive, send)


# While Daphne starts listening, not in the database thread once the first line comes.
cues.warm()

application = StartCustomerRuntime(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            # The origin check (scheme, host and port) defeats cross-site websocket hijacking:
            # a foreign page riding the student's session cookie. The auth stack reads that session.
            "websocket": SiteOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
        }
    )
)
