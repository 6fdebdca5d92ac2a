"""WSGI entry point for gunicorn (``remission serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "remission.config.settings")
application = get_wsgi_application()
