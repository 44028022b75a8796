"""The site's addresses plus ``/__floor__/``, the framework floor of the load benchmark: a
minimal Django view on the same gunicorn, through the same middleware. Only the benchmark's
settings (bench/settings.py) use this module."""

from django.http import HttpResponse
from django.urls import path

from urls import urlpatterns as site_urlpatterns


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__floor__/", floor), *site_urlpatterns]
