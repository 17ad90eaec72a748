import os


class TokenUser:
    is_anonymous = False

    def __init__(self, user_id):
        self.id = user_id


class AnonymousUser:
    is_anonymous = True
    id = None


def _tokens():
    pairs = [p for p in os.environ.get("ANNOTRAY_WS_TOKENS", "").split(",") if ":" in p]
    return {key: int(uid) for key, uid in (p.split(":", 1) for p in pairs)}


class TokenAuthMiddleware:
    """Sets scope["user"] from `Authorization: Token <key>` (anonymous otherwise)."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        headers = dict(scope.get("headers", []))
        auth = headers.get(b"authorization", b"").decode("latin1")
        user = AnonymousUser()
        if auth.startswith("Token "):
            uid = _tokens().get(auth[6:].strip())
            if uid is not None:
                user = TokenUser(uid)
        scope = dict(scope, user=user)
        return await self.inner(scope, receive, send)
