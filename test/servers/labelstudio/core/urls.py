"""Routes of the stand-in Label Studio.

- /api/notifications/events/<event_name>: the real notification stream (seed 000).
- /login-required/api/notifications/events/<event_name>: what a login-protected reverse proxy
  (or Label Studio's own login redirect) answers to a request without a session: 302 to the
  login page, which answers 200 text/html.
- /health: readiness probe for the test harness (Label Studio has one at the same path); the
  pid lets the harness check it reached the Daphne it started.
"""
import os
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import include, path

LOGIN_PAGE = """<!DOCTYPE html>
<html><head><title>Label Studio</title></head>
<body><form method="post" action="/user/login/">
<input name="email"><input name="password" type="password"><button>Log in</button>
</form></body></html>
"""


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({'status': 'UP', 'pid': os.getpid()})


def login_required_events(request: HttpRequest, event_name: str) -> HttpResponse:
    return HttpResponseRedirect(f'/user/login/?next={quote(request.get_full_path(), safe="")}')


def login_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(LOGIN_PAGE, content_type='text/html; charset=utf-8')


urlpatterns = [
    path('api/notifications/', include('notifications.urls')),
    path('login-required/api/notifications/events/<str:event_name>', login_required_events),
    path('user/login/', login_page),
    path('health', health),
]
