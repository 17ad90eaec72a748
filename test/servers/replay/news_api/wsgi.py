"""WSGI entry point, served as seed 004 serves it:
`gunicorn --worker-class=gevent --workers=1 --timeout 600 -b 127.0.0.1:PORT news_api.wsgi`.

One worker only: the channels and their history live in the worker's memory (seed 004's
news/sse_utils.py), so with several workers a publish reaches only the streams that happen to
be served by the same worker, and each worker replays a different history."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'news_api.settings')

application = get_wsgi_application()
