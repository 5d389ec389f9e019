"""WSGI entry point for gunicorn: ``gunicorn zwgk.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
application = get_wsgi_application()
