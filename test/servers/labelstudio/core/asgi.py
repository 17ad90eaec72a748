"""ASGI entry point, as Label Studio's core/asgi.py (seed 000): served by
`/usr/bin/python3 -m daphne -b 127.0.0.1 -p PORT core.asgi:application`."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'core.settings')

application = get_asgi_application()
