"""Routes of the replay server.

- GET  /news/stream/?last_n=5[&channel=news][&heartbeat=S][&retry=MS]  (seed 004's URL)
- GET  /news/stream/<channel>/?last_n=5...
- POST /news/publish/<channel>/  body {"data": <str or JSON>, "event": <optional name>}
- GET  /news/channels/<channel>/  {"subscribers": n, "history": n, "last_id": n}
- GET  /health/  {"status": "ok", "master_pid": <gunicorn master>} (readiness probe)
"""
import os

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path

from news import views


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({'status': 'ok', 'master_pid': os.getppid()})


urlpatterns = [
    path('news/stream/', views.stream),
    path('news/stream/<str:channel>/', views.stream),
    path('news/publish/<str:channel>/', views.publish),
    path('news/channels/<str:channel>/', views.channel_stats),
    path('health/', health),
]
