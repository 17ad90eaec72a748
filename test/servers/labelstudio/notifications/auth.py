"""Token authentication the way Label Studio's API (Django REST framework's
TokenAuthentication) answers it: `Authorization: Token <key>`, otherwise 401 JSON with the
same `detail` strings and `WWW-Authenticate: Token`. Disabled when no token is configured."""
from functools import wraps
from typing import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse


def _unauthorized(detail: str) -> JsonResponse:
    response = JsonResponse({'detail': detail}, status=401)
    response['WWW-Authenticate'] = 'Token'
    return response


def token_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        expected = settings.API_TOKEN
        if expected:
            parts = request.headers.get('Authorization', '').split()
            if not parts or parts[0].lower() != 'token':
                return _unauthorized('Authentication credentials were not provided.')
            if len(parts) == 1:
                return _unauthorized('Invalid token header. No credentials provided.')
            if len(parts) > 2:
                return _unauthorized('Invalid token header. Token string should not contain spaces.')
            if parts[1] != expected:
                return _unauthorized('Invalid token.')
        return view(request, *args, **kwargs)

    return wrapper
