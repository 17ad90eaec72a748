# A minimal Django Channels project reproducing seed 002's `ws/notifications/` endpoint, for
# Annotray's WebSocket transport tests. Runs on Daphne with channels_redis, no database.
import os

SECRET_KEY = "annotray-test-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "channels", "notifs"]
MIDDLEWARE = []
ROOT_URLCONF = "wsproj.urls"
ASGI_APPLICATION = "wsproj.asgi.application"
DATABASES = {}
USE_TZ = True
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [os.environ.get("ANNOTRAY_REDIS_URL", "redis://127.0.0.1:6379/0")]},
    }
}
