"""Settings for the stand-in Label Studio used by Annotray's integration tests.

Only what the notification endpoint needs: no database, no sessions, no templates. The test
harness (test/support/real-servers.ts) passes the Redis URL and the API token through the
environment, so one Daphne process serves one test scenario.
"""
import os

SECRET_KEY = 'annotray-test-only-not-secret'
DEBUG = False
ALLOWED_HOSTS = ['*']

INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = 'core.urls'
ASGI_APPLICATION = 'core.asgi.application'
DATABASES = {}
USE_TZ = True
# Django sets the process TZ from this, so it decides the server-local wall clock that
# `message_time` is rendered in (datetime.fromtimestamp). Label Studio's default is UTC.
TIME_ZONE = os.environ.get('ANNOTRAY_SERVER_TZ', 'UTC')

# Label Studio's docker-compose passes REDIS_HOST=redis://redis:6379/0.
REDIS_URL = os.environ.get('ANNOTRAY_REDIS_URL', 'redis://127.0.0.1:6379/0')
# The legacy API token ("Authorization: Token <key>"). Empty: no authentication at all.
API_TOKEN = os.environ.get('ANNOTRAY_TEST_TOKEN', '')

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'stderr': {'class': 'logging.StreamHandler'}},
    'root': {'handlers': ['stderr'], 'level': 'WARNING'},
}
