# As seed 002 wires it: HTTP to Django, WebSocket through the origin validator and an auth
# middleware to the URL router. The auth middleware here maps `Authorization: Token <key>`
# to a user (keys from ANNOTRAY_WS_TOKENS="key:user_id,..."), as a token middleware would.
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wsproj.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from notifs import routing  # noqa: E402
from notifs.auth import TokenAuthMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(TokenAuthMiddleware(URLRouter(routing.websocket_urlpatterns))),
    }
)
