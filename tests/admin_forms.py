"""POST data for the Wagtail page editor, built the way its JavaScript would submit it."""

from django.utils import timezone


def stream_form_data(prefix, items, child_value):
    data = {f"{prefix}-count": str(len(items))}
    for index, item in enumerate(items):
        key = f"{prefix}-{index}"
        data.update(
            {
                f"{key}-type": item["type"],
                f"{key}-id": item.get("id") or "",
                f"{key}-deleted": "",
                f"{key}-order": str(index),
            }
        )
        data.update(child_value(f"{key}-value", item))
    return data


def draftail(value):
    """A paragraph's stored value (rich text, or plain text) as Draftail submits it."""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    from charte.texts.richtext import FEATURES, clean_html

    return ContentstateConverter(FEATURES).from_database_format(clean_html(value))


def body_form_data(body, prefix="body"):
    def paragraph(key, item):
        return {key: draftail(item["value"])}

    def article(key, item):
        return {
            f"{key}-title": item["value"]["title"],
            **stream_form_data(f"{key}-paragraphs", item["value"]["paragraphs"], paragraph),
        }

    def section(key, item):
        return {
            f"{key}-title": item["value"]["title"],
            **stream_form_data(f"{key}-articles", item["value"]["articles"], article),
        }

    return stream_form_data(prefix, list(body), section)


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def switches_data(page) -> dict:
    """The « What is open » fields of a version or a debate, as the editor submits them (an
    unticked box is not sent at all)."""
    data = {}
    for action in page.switched_actions:
        if getattr(page, f"{action}_open"):
            data[f"{action}_open"] = "on"
        data[f"{action}_close_at"] = local(getattr(page, f"{action}_close_at"))
        if hasattr(page, f"{action}_limit"):
            limit = getattr(page, f"{action}_limit")
            data[f"{action}_limit"] = "" if limit is None else str(limit)
    return data


def iteration_edit_data(page, *, publish=True, **overrides):
    """Everything the editor submits for an iteration page, as it currently stands."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "label": page.label,
        "summary": page.summary,
        "opens_at": local(page.opens_at),
        "closes_at": local(page.closes_at),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(switches_data(page))
    body = overrides.pop("body", None)
    data.update(body_form_data(body if body is not None else page.body.raw_data))
    data.update(overrides)
    if publish:
        data["action-publish"] = "action-publish"
    return data
