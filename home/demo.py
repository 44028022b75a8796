"""The demo's identity and institutional pages (``institutional.toml`` among the demo's data
files): the town's name, sender and addresses, then its legal notice, privacy notice and
moderation rules in French, translated into English with wagtail-localize, and the footer menu
and sign-up linking them. Run by ``seed_demo`` after the demo's own pages and their translation
(``charte.demo.seed.EXTRA_SEEDERS``, filled from this app's ``AppConfig.ready()``); once: a
second run changes nothing."""

from __future__ import annotations

import tomllib
import uuid

from django.db import transaction
from wagtail.models import Locale, Site
from wagtail_localize.segments.extract import extract_segments

from charte.core import identity
from charte.core.typography import french
from charte.demo.load import DATA, DemoDataError
from charte.demo.seed import KEY_NAMESPACE, translate_page
from home.models import ContentPage, InstitutionalPages

FILE = "institutional.toml"


def read(directory=None) -> dict:
    path = (directory or DATA) / FILE
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise DemoDataError(f"{FILE}: {error}") from error


def body(spec: dict, language: str) -> list[dict]:
    """The StreamField value of a page of the file, in ``language``; its block ids are the same
    in both languages (a translation keeps them)."""

    def text(value: dict) -> str:
        return french(value["fr"]) if language == "fr" else value["en"]

    blocks = []
    for index, block in enumerate(spec["blocks"]):
        key = str(uuid.uuid5(KEY_NAMESPACE, f"{spec['slug']['fr']}/{index}"))
        if "heading" in block:
            value = {"text": text(block["heading"]), "level": block.get("level", "h2")}
            blocks.append({"type": "heading", "id": key, "value": value})
        elif "text" in block:
            blocks.append({"type": "paragraph", "id": key, "value": text(block["text"])})
        else:
            table = block["table"]
            value = {
                "caption": text(table["caption"]),
                "label_heading": text(table["label_heading"]),
                "value_heading": text(table["value_heading"]),
                "rows": [
                    {
                        "type": "item",
                        "id": str(uuid.uuid5(KEY_NAMESPACE, f"{key}/{number}")),
                        "value": {"label": text(row["label"]), "value": text(row["value"])},
                    }
                    for number, row in enumerate(table["rows"])
                ],
            }
            blocks.append({"type": "table", "id": key, "value": value})
    return blocks


def _pairs(french_page: ContentPage, english_page: ContentPage) -> dict[str, str]:
    """French text → English text, segment by segment as wagtail-localize cuts them: both
    pages have the same blocks, so their segments come in the same order (their paths differ
    where list items got ids of their own)."""

    def strings(page):
        return [
            segment.string.data for segment in extract_segments(page) if hasattr(segment, "string")
        ]

    french, english = strings(french_page), strings(english_page)
    if len(french) != len(english):
        raise DemoDataError(f"{FILE}: {french_page.slug} is not cut alike in both languages")
    return dict(zip(french, english, strict=True))


def demo_institutional(*, editor, directory=None) -> bool:
    """Write the identity and the institutional pages unless they are there; True if written."""
    data = read(directory)
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    slugs = [spec["slug"]["fr"] for spec in data["pages"]]
    if ContentPage.objects.child_of(home).filter(slug__in=slugs).exists():
        return False
    english = Locale.objects.filter(language_code="en").first()
    chosen = {}
    with transaction.atomic():
        identity.identity_set(site=site, **data["identity"])
        for spec in data["pages"]:
            page = ContentPage(
                title=french(spec["title"]["fr"]),
                slug=spec["slug"]["fr"],
                body=body(spec, "fr"),
                owner=editor,
            )
            home.add_child(instance=page)
            page.save_revision(user=editor).publish(user=editor)
            chosen[spec["role"]] = page
        setting = InstitutionalPages.for_site(site)
        setting.footer_links = [("page", page) for page in chosen.values()]
        setting.privacy_notice = chosen.get("privacy_notice")
        setting.moderation_rules = chosen.get("moderation_rules")
        setting.save()
    if english is None or not home.get_translations().filter(locale=english).exists():
        return True
    for spec in data["pages"]:
        page = chosen[spec["role"]]
        in_english = ContentPage(
            title=spec["title"]["en"], slug=spec["slug"]["en"], body=body(spec, "en")
        )
        # Each page in its own transaction (see charte.demo.seed.demo_translate).
        with transaction.atomic():
            translate_page(page=page, locale=english, pairs=_pairs(page, in_english), user=editor)
    return True
