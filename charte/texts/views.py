"""Short addresses of the text: « /t/12/3/ » leads to article 3 of the version whose page is
12, in the reader's language (« /en/t/12/3/ » to its English page when there is one). Short
enough to be typed from paper: the workshop kit prints one beside each article, with its QR
code."""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect
from django.utils.translation import get_language

from charte.core.locales import locale_for
from charte.texts.outline import body_outline
from charte.texts.pages import CharterIterationPage


def _public(page) -> bool:
    return page is not None and page.live and not page.view_restricted


def _has_article(source, number: int) -> bool:
    if source.frozen_at is not None:
        return source.paragraphs.filter(article_number=number).exists()
    return any(
        article.number == number
        for section in body_outline(source.body)
        for article in section.articles
    )


def short_address(request, iteration_id: int, article: int):
    """302 to article ``article`` of the version ``iteration_id``, on its page in the active
    language (the French page when it is not translated); 404 for an unknown version or
    article, or a version the public cannot read."""
    page = CharterIterationPage.objects.filter(pk=iteration_id).first()
    if page is None:
        raise Http404
    source = page.source
    if not _public(source) or not _has_article(source, article):
        raise Http404
    target = source
    locale = locale_for(get_language())
    if locale is not None and locale.pk != source.locale_id:
        translated = source.get_translation_or_none(locale)
        if _public(translated):
            target = translated
    url = target.get_url(request)
    if not url:
        raise Http404
    return HttpResponseRedirect(f"{url}#article-{article}")
