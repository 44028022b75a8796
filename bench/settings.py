"""Settings of the load benchmark (bench/load.py): the production settings, plus the framework
floor's address and limits generous enough for a load from one machine: the site's own
(POST_RATE_LIMITS for posts, DOCUMENT_RATE_LIMITS for the costly pages such as comparisons,
counted per address) would otherwise answer 429 to the benchmark's clients."""

from settings.production import *  # noqa: F403
from settings.production import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# The floor is answered before the site's middleware (bench/urls.py).
MIDDLEWARE = ["bench.urls.FloorMiddleware", *MIDDLEWARE]
POST_RATE_LIMITS = "10000000/60"
DOCUMENT_RATE_LIMITS = "10000000/60"
