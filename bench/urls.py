"""The site's addresses, and the framework floor of the load benchmark (bench/load.py):
``/__floor__/``, a minimal Django view on the same gunicorn, answered by the first middleware so
that it costs what Django itself costs (its handler, the request and response objects), not the
site's middleware stack. Only the benchmark's settings (bench/settings.py) use this module."""

from django.http import HttpResponse

from urls import urlpatterns  # noqa: F401 - the site's addresses, unchanged

FLOOR_PATH = "/__floor__/"


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


class FloorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == FLOOR_PATH:
            return floor(request)
        return self.get_response(request)
