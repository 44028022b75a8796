from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.shortcuts import render
from django.urls import include, path, re_path
from django.utils.translation import pgettext_lazy
from django.views.generic import RedirectView
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from charte.core import views as core_views
from charte.core.throttle import log_refusal
from charte.texts import admin_views as texts_admin_views
from charte.texts import views as texts_views
from home import views as home_views
from search import views as search_views
from search.health import check_search

handler500 = "charte.core.views.server_error"


def handler429(request):
    """allauth's limits (sign-up, password reset, confirmation e-mails) answer with this page,
    in the resident's language; the refusal is logged."""
    log_refusal(request, limit="account")
    return render(request, "429.html", status=429)


urlpatterns = [
    # The operator's monitor: liveness (no database) and readiness (JSON, each part's status).
    path("health/", core_views.health, name="health"),
    path("ready/", core_views.ready, {"extra_checks": {"search": check_search}}, name="ready"),
    # Everyone signs in through allauth, so that staff go through their second factor.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailadmin_login",
    ),
    # The admin’s « forgotten password » is the site’s (rate-limited, the e-mail purged once sent).
    re_path(
        r"^admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
    ),
    # wagtail-localize's « Sync translated pages », publishing only for those who may publish.
    path(
        "admin/localize/update/<int:translation_source_id>/",
        texts_admin_views.UpdateTranslationsView.as_view(),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include("charte.discussions.api")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# French pages at /…, English ones at /en/…; Wagtail serves every page.
urlpatterns += i18n_patterns(
    path("accounts/", include("charte.accounts.urls")),
    # « /recherche/ » in French, « /en/search/ » in English; the API answers in the same language.
    path(pgettext_lazy("address", "search/"), search_views.search_page, name="search"),
    path("api/search/", search_views.search_api, name="search_api"),
    # « /accessibilite/ » and « /plan-du-site/ » in French, « /en/accessibility/ » and
    # « /en/site-map/ » in English: linked from every page's footer.
    path(
        pgettext_lazy("address", "accessibility/"),
        home_views.accessibility_statement,
        name="accessibility",
    ),
    path(pgettext_lazy("address", "site-map/"), home_views.site_map, name="site_map"),
    # Wagtail's own sign-in for restricted pages would take a password alone: it sends to the
    # site's sign-in instead (a password posted to it is never read).
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="wagtailcore_login",
    ),
    # The short address of an article (« /t/12/3/ »), printed in the workshop kit.
    path("t/<int:iteration_id>/<int:article>/", texts_views.short_address, name="short_address"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
