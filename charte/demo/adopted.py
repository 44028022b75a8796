"""The demo's adopted charter (``associations.toml``): the town's 2024 « Charte de la vie
associative », taken through two consulted versions to its adoption by the council with the
lifecycle's own services (dated in 2024: they take the moment they act at), then followed: a
dozen commitments in every state with their dated updates, two indicators with their values,
and the anonymous answers to the questionnaire of each consultation; in French, translated
into English with wagtail-localize.

Run by ``seed_demo`` after the demo's own pages (``charte.demo.seed.EXTRA_SEEDERS``); once: a
second run changes nothing.
"""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale, Site

from charte.amendments import services as amendments
from charte.amendments.models import Amendment, AmendmentKind, AmendmentStatus, Service
from charte.demo.load import DATA, Bilingual, _read, _Table
from charte.demo.seed import KEY_NAMESPACE, block_id, body, richtext, translate_page
from charte.discussions.services import comment_post
from charte.follow_up import services as follow_up
from charte.follow_up.models import (
    REASONED,
    CommitmentStatus,
    Indicator,
    IndicatorValue,
    QuestionKind,
    QuestionnaireAnswer,
    QuestionnaireParticipation,
    QuestionnaireResponse,
)
from charte.texts import services
from charte.texts.pages import CharterIterationPage, CharterPage
from charte.texts.paragraphs import Paragraph

FILE = "associations.toml"
CHARTER_KEY = uuid.uuid5(KEY_NAMESPACE, "associations-charter")
PARIS = ZoneInfo("Europe/Paris")
STATUSES = [choice.value for choice in CommitmentStatus]


def _date(table: _Table, key: str, *, optional: bool = False) -> datetime.date | None:
    return table.value(key, datetime.date, "a date (YYYY-MM-DD)", optional=optional)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    """``day`` at ``hour`` in Paris."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


def _number(table: _Table, key: str) -> Decimal:
    value = table.value(key, int | float, "a number")
    return Decimal(str(value))


def read(directory: Path | None = None) -> dict:
    """The adopted charter's data, checked: a malformed file raises ``DemoDataError`` naming
    the key at fault, before anything is written."""
    root = _read(directory or DATA, FILE)
    charter = root.table("charter")
    data: dict = {
        "charter": {
            "slug": charter.bilingual("slug"),
            "title": charter.bilingual("title"),
            "introduction": charter.bilingual("introduction"),
            "territory": charter.bilingual("territory"),
            "contact_name": charter.bilingual("contact_name"),
            "contact_email": charter.text("contact_email"),
            "contact_details": charter.bilingual("contact_details"),
        }
    }
    charter.done()
    keys: dict[int, set[str]] = {}
    for number in (1, 2):
        table = root.table(f"v{number}")
        version = {
            "label": table.bilingual("label"),
            "summary": table.bilingual("summary"),
            "opens": _date(table, "opens"),
            "closes": _date(table, "closes"),
            "sections": _sections(table),
        }
        table.done()
        keys[number] = {
            p["key"]
            for section in version["sections"]
            for article in section["articles"]
            for p in article["paragraphs"]
        }
        data[f"v{number}"] = version
    adoption = root.table("adoption")
    data["adoption"] = {
        "session_date": _date(adoption, "session_date"),
        "deliberation_reference": adoption.text("deliberation_reference"),
        "votes_for": adoption.integer("votes_for"),
        "votes_against": adoption.integer("votes_against"),
        "abstentions": adoption.integer("abstentions"),
    }
    adoption.done()
    people = {account.username for account in _accounts()}
    data["amendments"] = []
    for table in root.tables("amendments"):
        version = table.integer("version")
        if version not in keys:
            raise table.error("version", "is 1 or 2")
        item = {
            "version": version,
            "paragraph": table.text("paragraph", among=keys[version], what="a paragraph key"),
            "kind": table.text("kind", among=[k.value for k in AmendmentKind]),
            "author": table.text("author", among=people, what="a demo account"),
            "text": table.text("text", optional=True) or "",
            "date": _date(table, "date"),
            "rationale": table.text("rationale"),
            "status": table.text("status", among=[s.value for s in AmendmentStatus]),
            "response": table.text("response"),
        }
        table.done()
        data["amendments"].append(item)
    data["comments"] = []
    for table in root.tables("comments"):
        version = table.integer("version")
        if version not in keys:
            raise table.error("version", "is 1 or 2")
        data["comments"].append(
            {
                "version": version,
                "paragraph": table.text("paragraph", among=keys[version], what="a paragraph key"),
                "author": table.text("author", among=people, what="a demo account"),
                "date": _date(table, "date"),
                "text": table.text("text"),
            }
        )
        table.done()
    data["commitments"] = [_commitment(table) for table in root.tables("commitments")]
    data["indicators"] = []
    for table in root.tables("indicators"):
        commitment = table.integer("commitment", optional=True)
        if commitment is not None and not 1 <= commitment <= len(data["commitments"]):
            raise table.error("commitment", "is not the number of a commitment of the file")
        values = []
        for value in table.tables("values"):
            values.append(
                {
                    "date": _date(value, "date"),
                    "value": _number(value, "value"),
                    "note": value.text("note", optional=True) or "",
                }
            )
            value.done()
        data["indicators"].append(
            {
                "title": table.text("title"),
                "title_en": table.text("title_en", optional=True) or "",
                "unit": table.text("unit", optional=True) or "",
                "unit_en": table.text("unit_en", optional=True) or "",
                "target": _number(table, "target"),
                "target_on": _date(table, "target_on", optional=True),
                "commitment": commitment,
                "values": values,
            }
        )
        table.done()
    data["questionnaires"] = []
    for table in root.tables("questionnaires"):
        version = table.integer("version")
        if version not in keys:
            raise table.error("version", "is 1 or 2")
        accounts = table.texts("accounts", among=people, what="a demo account")
        responses = table.value("responses", list, "an array of answers")
        if len(responses) > len(accounts):
            raise table.error("responses", "more responses than accounts that answered")
        data["questionnaires"].append(
            {"version": version, "accounts": accounts, "responses": responses}
        )
        table.done()
    root.done()
    return data


def _accounts():
    from charte.demo.load import load_accounts

    return load_accounts().accounts


def _sections(table: _Table) -> list[dict]:
    sections = []
    for section in table.tables("sections"):
        articles = []
        for article in section.tables("articles"):
            paragraphs = []
            for index, item in enumerate(article.value("paragraphs", list, "an array")):
                if not isinstance(item, dict):
                    raise article.error(f"paragraphs[{index}]", "expected a table")
                paragraph = _Table(article.file, article.place(f"paragraphs[{index}]"), item)
                paragraphs.append(
                    {
                        "key": paragraph.text("key"),
                        "fr": paragraph.text("fr"),
                        "en": paragraph.text("en"),
                    }
                )
                paragraph.done()
            articles.append(
                {
                    "key": article.text("key"),
                    "title": article.bilingual("title"),
                    "paragraphs": paragraphs,
                }
            )
            article.done()
        sections.append(
            {"key": section.text("key"), "title": section.bilingual("title"), "articles": articles}
        )
        section.done()
    return sections


def _commitment(table: _Table) -> dict:
    item = {
        "article": table.integer("article"),
        "title": table.text("title"),
        "title_en": table.text("title_en", optional=True) or "",
        "description": table.text("description"),
        "description_en": table.text("description_en", optional=True) or "",
        "service": table.text("service"),
        "starts_on": _date(table, "starts_on", optional=True),
        "due_on": _date(table, "due_on", optional=True),
        "status": table.text("status", optional=True, among=STATUSES) or CommitmentStatus.PLANNED,
        "reason": table.text("reason", optional=True) or "",
        "reason_en": table.text("reason_en", optional=True) or "",
        "updates": [],
    }
    if item["status"] in REASONED and not item["reason"]:
        raise table.error("reason", "missing: a postponed or abandoned commitment says why")
    for update in table.tables("updates", required=False):
        item["updates"].append(
            {
                "date": _date(update, "date"),
                "text": update.text("text"),
                "text_en": update.text("text_en", optional=True) or "",
                "status": update.text("status", optional=True, among=STATUSES) or "",
                "progress": update.integer("progress", optional=True, below=101),
            }
        )
        update.done()
    table.done()
    return item


# -- Writing it --------------------------------------------------------------------------------


def adopted_charter() -> CharterPage | None:
    """The adopted demo charter (French), or None when it is not there (yet)."""
    return CharterPage.objects.filter(
        translation_key=CHARTER_KEY, locale=Locale.get_default()
    ).first()


def demo_adopted(*, editor, directory: Path | None = None) -> bool:
    """Write the adopted charter unless it is there, then translate it; True if written."""
    data = read(directory)
    if adopted_charter() is not None:
        return False
    with transaction.atomic():
        charter = _seed(data=data, editor=editor)
    _translate(data=data, charter=charter, editor=editor)
    return True


def _seed(*, data: dict, editor) -> CharterPage:
    home = Site.objects.get(is_default_site=True).root_page.specific
    spec = data["charter"]
    charter = CharterPage(
        title=spec["title"]["fr"],
        slug=spec["slug"]["fr"],
        introduction=richtext(spec["introduction"]["fr"]),
        territory=spec["territory"]["fr"],
        contact_name=spec["contact_name"]["fr"],
        contact_email=spec["contact_email"],
        contact_details=spec["contact_details"]["fr"],
        owner=editor,
        translation_key=CHARTER_KEY,
    )
    home.add_child(instance=charter)
    charter.save_revision(user=editor).publish(user=editor)
    people = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in={item["author"] for item in data["amendments"] + data["comments"]}
        )
    }

    v1_spec = data["v1"]
    v1 = CharterIterationPage(
        title="Version 1",
        slug="v1",
        label=v1_spec["label"]["fr"],
        summary=v1_spec["summary"]["fr"],
        body=body(v1_spec),
        opens_at=_at(v1_spec["opens"], 9),
        closes_at=_at(v1_spec["closes"], 18),
        owner=editor,
    )
    charter.add_child(instance=v1)
    v1.save_revision(user=editor).publish(user=editor)
    services.iteration_open(iteration=v1, by=editor, now=v1.opens_at)
    _contribute(data=data, version=1, iteration=v1, people=people, editor=editor)
    services.iteration_close(iteration=v1, by=editor, now=_at(v1_spec["closes"], 18))

    v2_spec = data["v2"]
    v2 = services.iteration_start_next(charter=charter, by=editor)
    v2.label = v2_spec["label"]["fr"]
    v2.summary = v2_spec["summary"]["fr"]
    v2.body = body(v2_spec)
    v2.opens_at = _at(v2_spec["opens"], 9)
    v2.closes_at = _at(v2_spec["closes"], 18)
    v2.save_revision(user=editor).publish(user=editor)
    services.iteration_open(iteration=v2, by=editor, now=v2.opens_at)
    _contribute(data=data, version=2, iteration=v2, people=people, editor=editor)
    services.iteration_close(iteration=v2, by=editor, now=_at(v2_spec["closes"], 18))
    adoption = data["adoption"]
    services.iteration_adopt(
        iteration=v2, by=editor, now=_at(adoption["session_date"], 21), **adoption
    )
    for spec, iteration in ((v1_spec, v1), (v2_spec, v2)):
        _questionnaire(data=data, iteration=iteration, closed=_at(spec["closes"], 18))
    _follow_up(data=data, charter=charter, editor=editor)
    return charter


def _contribute(*, data: dict, version: int, iteration, people, editor) -> None:
    """The amendments and comments of one consultation, and the team's answers (dated a week
    after each amendment: the answer's own moment is when the service runs)."""
    rows = {row.key: row for row in Paragraph.objects.filter(iteration_id=iteration.pk)}
    next_texts = {
        p["key"]: p["fr"]
        for section in data["v2"]["sections"]
        for article in section["articles"]
        for p in article["paragraphs"]
    }
    for spec in (item for item in data["amendments"] if item["version"] == version):
        accepted_change = version == 1 and spec["kind"] == "modify" and spec["status"] == "accepted"
        amendment = amendments.amendment_propose(
            paragraph=rows[block_id(spec["paragraph"])],
            by=people[spec["author"]],
            kind=spec["kind"],
            text=next_texts[spec["paragraph"]] if accepted_change else spec["text"],
            rationale=spec["rationale"],
            now=_at(spec["date"], 10),
        )
        amendments.amendment_answer(
            amendment=amendment, status=spec["status"], response=spec["response"], by=editor
        )
        Amendment.objects.filter(pk=amendment.pk).update(
            answered_at=_at(spec["date"] + datetime.timedelta(days=7), 16)
        )
    for spec in (item for item in data["comments"] if item["version"] == version):
        comment_post(
            paragraph=rows[block_id(spec["paragraph"])],
            by=people[spec["author"]],
            text=spec["text"],
            language="fr",
            now=_at(spec["date"], 19),
        )


def _questionnaire(*, data: dict, iteration, closed: datetime.datetime) -> None:
    """The questionnaire sent when the consultation closed, and its anonymous answers."""
    number = iteration.number
    spec = next((item for item in data["questionnaires"] if item["version"] == number), None)
    if spec is None:
        return
    questionnaire = follow_up.questionnaire_for(iteration)
    questionnaire.sent_at = closed
    questionnaire.save(update_fields=["sent_at"])
    questions = list(questionnaire.questions.order_by("sort_order"))
    users = get_user_model().objects.filter(username__in=spec["accounts"])
    QuestionnaireParticipation.objects.bulk_create(
        QuestionnaireParticipation(
            questionnaire=questionnaire, user=user, invited_at=closed, answered=True
        )
        for user in users
    )
    for answers in spec["responses"]:
        response = QuestionnaireResponse.objects.create(questionnaire=questionnaire)
        QuestionnaireAnswer.objects.bulk_create(
            QuestionnaireAnswer(
                response=response,
                question=question,
                choice=None if question.kind == QuestionKind.TEXT else int(answer),
                text=str(answer) if question.kind == QuestionKind.TEXT else "",
            )
            for question, answer in zip(questions, answers, strict=False)
            if answer != ""
        )


def _follow_up(*, data: dict, charter, editor) -> None:
    """The commitments, their updates (dated) and the indicators."""
    services_by_name = {}
    commitments = []
    for spec in data["commitments"]:
        name = spec["service"]
        if name not in services_by_name:
            services_by_name[name], _ = Service.objects.get_or_create(name=name)
        first = spec["updates"][0]["date"] if spec["updates"] else spec["starts_on"]
        commitment = follow_up.commitment_create(
            charter=charter,
            article_number=spec["article"],
            title=spec["title"],
            title_en=spec["title_en"],
            description=spec["description"],
            description_en=spec["description_en"],
            service=services_by_name[name],
            starts_on=spec["starts_on"],
            due_on=spec["due_on"],
            status=CommitmentStatus.PLANNED if spec["updates"] else spec["status"],
            status_reason=spec["reason"],
            status_reason_en=spec["reason_en"],
            is_published=True,
            created_at=_at(min(first, data["adoption"]["session_date"]), 12),
            by=editor,
        )
        for update in spec["updates"]:
            status = update["status"]
            follow_up.update_publish(
                commitment=commitment,
                text=update["text"],
                text_en=update["text_en"],
                published_on=update["date"],
                status=status,
                status_reason=spec["reason"] if status in REASONED else None,
                progress=update["progress"],
                by=editor,
            )
        commitments.append(commitment)
    for spec in data["indicators"]:
        indicator = Indicator.objects.create(
            charter=charter,
            commitment=commitments[spec["commitment"] - 1] if spec["commitment"] else None,
            title=spec["title"],
            title_en=spec["title_en"],
            unit=spec["unit"],
            unit_en=spec["unit_en"],
            target=spec["target"],
            target_on=spec["target_on"],
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=indicator,
                measured_on=value["date"],
                value=value["value"],
                note=value["note"],
                sort_order=index,
            )
            for index, value in enumerate(spec["values"])
        )


def _pairs(data: dict) -> dict[str, str]:
    """Every French string of the adopted charter's pages, with its English translation."""
    pairs: dict[str, str] = {}

    def add(texts: Bilingual):
        pairs[texts["fr"]] = texts["en"]
        pairs[texts["fr"].replace("\n", "<br/>")] = texts["en"].replace("\n", "<br/>")

    charter = data["charter"]
    for key in ("title", "slug", "territory", "contact_name", "contact_details"):
        add(charter[key])
    french = re.findall(r"<p>(.*?)</p>", richtext(charter["introduction"]["fr"]), re.S)
    english = re.findall(r"<p>(.*?)</p>", richtext(charter["introduction"]["en"]), re.S)
    pairs.update(zip(french, english, strict=True))
    for number in (1, 2):
        version = data[f"v{number}"]
        add(version["label"])
        add(version["summary"])
        pairs[f"Version {number}"] = f"Version {number}"
        pairs[f"v{number}"] = f"v{number}"
        for section in version["sections"]:
            add(section["title"])
            for article in section["articles"]:
                add(article["title"])
                for paragraph in article["paragraphs"]:
                    pairs[paragraph["fr"]] = paragraph["en"]
    return pairs


def _translate(*, data: dict, charter: CharterPage, editor) -> None:
    """The charter and its two versions in English, each page in its own transaction (see
    ``charte.demo.seed.demo_translate``)."""
    english = Locale.objects.get(language_code="en")
    pairs = _pairs(data)
    pages = [
        charter,
        *CharterIterationPage.objects.child_of(charter)
        .filter(locale=charter.locale)
        .order_by("number"),
    ]
    for page in pages:
        if page.get_translations().filter(locale=english).exists():
            continue
        with transaction.atomic():
            translate_page(page=page.specific, locale=english, pairs=pairs, user=editor)
