"""Settings for the stand-in of seed 004's news_api: a Django WSGI app whose SSE streams run on
gunicorn gevent workers. No database; everything lives in the worker's memory."""
import os

SECRET_KEY = 'annotray-test-only-not-secret'
DEBUG = False
ALLOWED_HOSTS = ['*']
INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = 'news_api.urls'
WSGI_APPLICATION = 'news_api.wsgi.application'
DATABASES = {}
USE_TZ = True

# How many messages each channel keeps for `last_n` replay.
SSE_HISTORY_SIZE = int(os.environ.get('REPLAY_HISTORY_SIZE', '100'))
# `:` comment sent when a stream has been idle this long; 0 disables heartbeats.
SSE_HEARTBEAT_SECONDS = float(os.environ.get('REPLAY_HEARTBEAT_SECONDS', '5'))
# `retry:` sent at the start of each stream (milliseconds); 0 omits it.
SSE_RETRY_MS = int(os.environ.get('REPLAY_RETRY_MS', '3000'))

LOGGING = {
    'version': 1,
    'disable_existing_loggers': False,
    'handlers': {'stderr': {'class': 'logging.StreamHandler'}},
    'root': {'handlers': ['stderr'], 'level': 'WARNING'},
}
