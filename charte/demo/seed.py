"""Write the demo into the database: a charter in French with its English translation, two
iterations (v1 closed, v2 in consultation), their contributions, a debate, two past workshops
(one a paper register) with what was entered from them and one to come, and one account per
role. The content comes from the data files, read by ``charte.demo.load``."""

import datetime
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Site
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from charte.amendments import services as amendments
from charte.debates.models import DebatePage
from charte.debates.services import argument_post, argument_support, position_state
from charte.demo.load import (
    Accounts,
    AmendmentSpec,
    Charter,
    CommentSpec,
    Demo,
    Iteration,
    WorkshopSpec,
)
from charte.discussions.services import comment_post
from charte.texts import services
from charte.texts.pages import CharterIterationPage, CharterPage, Territory
from charte.texts.paragraphs import Paragraph
from charte.workshops.models import Workshop
from charte.workshops.services import workshop_amendment_enter, workshop_comment_enter

KEY_NAMESPACE = uuid.UUID("6f1c0f3e-2b7a-4c1e-9a55-0d6c4f1d2b90")


@dataclass
class Seeded:
    created: bool  # False when the demo was already there: nothing but the accounts changed
    passwords: dict[str, str] = field(default_factory=dict)  # username -> password, when set


# What the apps above charte add to the demo (the home app: the site's identity and its
# institutional pages), filled from their AppConfig.ready(). seed_demo calls each with the
# demo's editor once the demo and its translation are written; each writes its part once.
EXTRA_SEEDERS: list[Callable[..., bool]] = []


# The demo's charter is known by this identity whatever the team renames in the demo.
CHARTER_KEY = uuid.uuid5(KEY_NAMESPACE, "charter")


def demo_charter(*, demo: Demo):
    """The demo's French charter, or None when it is not there (yet)."""
    default = Locale.get_default()
    return (
        CharterPage.objects.filter(translation_key=CHARTER_KEY, locale=default).first()
        or CharterPage.objects.filter(
            depth=3, locale=default, slug=demo.charter["slug"]["fr"]
        ).first()
    )


def block_id(key: str) -> str:
    """The StreamField block id of a section, article or paragraph key: the same every time."""
    return str(uuid.uuid5(KEY_NAMESPACE, key))


def richtext(html: str) -> str:
    return (
        html.replace("<strong>", "<b>")
        .replace("</strong>", "</b>")
        .replace("<em>", "<i>")
        .replace("</em>", "</i>")
    )


def body(iteration: Iteration) -> list[dict]:
    """The French body of an iteration, as StreamField data."""
    return [
        {
            "type": "section",
            "id": block_id(section["key"]),
            "value": {
                "title": section["title"]["fr"],
                "articles": [
                    {
                        "type": "article",
                        "id": block_id(article["key"]),
                        "value": {
                            "title": article["title"]["fr"],
                            "paragraphs": [
                                {"type": "paragraph", "id": block_id(p["key"]), "value": p["fr"]}
                                for p in article["paragraphs"]
                            ],
                        },
                    }
                    for article in section["articles"]
                ],
            },
        }
        for section in iteration["sections"]
    ]


def phases(*, charter: Charter, today: datetime.date) -> list[dict]:
    """The charter's timeline, as StreamField data, dated from ``today``."""
    return [
        {
            "type": "phase",
            "id": block_id(f"phase-{index}"),
            "value": {
                "title": phase["title"]["fr"],
                "start": (today + datetime.timedelta(days=phase["start"])).isoformat(),
                "end": (today + datetime.timedelta(days=phase["end"])).isoformat(),
                "description": phase["description"]["fr"],
            },
        }
        for index, phase in enumerate(charter["phases"])
    ]


def french_to_english(*, demo: Demo) -> dict[str, str]:
    """Every French string of the demo, with its English translation."""
    pairs = {}

    def add(texts):
        pairs[texts["fr"]] = texts["en"]
        # wagtail-localize keeps the line breaks of plain text as <br/>.
        pairs[texts["fr"].replace("\n", "<br/>")] = texts["en"].replace("\n", "<br/>")

    def add_html(texts):
        french = re.findall(r"<p>(.*?)</p>", richtext(texts["fr"]), re.S)
        english = re.findall(r"<p>(.*?)</p>", richtext(texts["en"]), re.S)
        pairs.update(zip(french, english, strict=True))

    charter = demo.charter
    pairs["accueil"] = "home"
    for texts in (demo.home["title"], charter["title"], charter["slug"]):
        add(texts)
    for texts in (charter["territory"], charter["contact_name"], charter["contact_details"]):
        add(texts)
    add_html(demo.home["introduction"])
    add_html(charter["introduction"])
    for phase in charter["phases"]:
        add(phase["title"])
        add(phase["description"])
    for texts in (demo.debate["title"], demo.debate["slug"], demo.debate["question"]):
        add(texts)
    add_html(demo.debate["context"])
    for number, iteration in ((1, demo.v1), (2, demo.v2)):
        add(iteration["label"])
        add(iteration["summary"])
        pairs[f"Version {number}"] = f"Version {number}"
        pairs[f"v{number}"] = f"v{number}"
        for section in iteration["sections"]:
            add(section["title"])
            for article in section["articles"]:
                add(article["title"])
                for paragraph in article["paragraphs"]:
                    pairs[paragraph["fr"]] = paragraph["en"]
    return pairs


def accounts_ensure(*, accounts: Accounts, debug: bool) -> Seeded:
    """Create the demo accounts that are missing. In development (``debug``) every account gets
    its known password back, and staff accounts the known two-factor secret; elsewhere a new
    account gets a random password. Returns the passwords set (``created`` is left False)."""
    User = get_user_model()
    seeded = Seeded(created=False)
    for account in accounts.accounts:
        username = account.username
        email = f"{username}@demo.example"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": email,
                "pseudonym": account.pseudonym,
                "author_type": account.author_type,
                "author_type_confirmed_at": timezone.now() if account.confirmed else None,
                # Linked to the charter's list when the charter is written (see
                # charte.accounts.services.territory_link_typed).
                "territory": account.territory or accounts.territory,
            },
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if created or debug:
            password = account.password if debug else secrets.token_urlsafe(16)
            user.set_password(password)
            user.save()
            seeded.passwords[username] = password
        if account.group:
            user.groups.add(Group.objects.get(name=account.group))
        if account.group and debug and not Authenticator.objects.filter(user=user).exists():
            # Staff must use two-factor authentication; the demo gives them a known secret.
            TOTP.activate(user, accounts.totp_secret)
    return seeded


def demo_seed(*, demo: Demo, now: datetime.datetime, debug: bool) -> Seeded:
    """Write the demo unless its charter is already there; the accounts are ensured anyway.

    Run it in a transaction; then ``demo_translate``, each page in its own transaction."""
    today = timezone.localdate(now)
    Locale.objects.get_or_create(language_code="en")
    seeded = accounts_ensure(accounts=demo.accounts, debug=debug)
    editor = get_user_model().objects.get(username=demo.accounts.editor.username)

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if demo_charter(demo=demo) is not None:
        return seeded
    seeded.created = True

    home.title = home.draft_title = demo.home["title"]["fr"]
    home.introduction = richtext(demo.home["introduction"]["fr"])
    home.save_revision(user=editor).publish(user=editor)

    spec = demo.charter
    charter = CharterPage(
        title=spec["title"]["fr"],
        slug=spec["slug"]["fr"],
        introduction=richtext(spec["introduction"]["fr"]),
        territory=spec["territory"]["fr"],
        timeline=phases(charter=spec, today=today),
        contact_name=spec["contact_name"]["fr"],
        contact_email=spec["contact_email"],
        contact_details=spec["contact_details"]["fr"],
        owner=editor,
        translation_key=CHARTER_KEY,
        territories=[Territory(name=name) for name in spec["territories"]],
    )
    home.add_child(instance=charter)
    charter.save_revision(user=editor).publish(user=editor)

    def at(days, hour):
        """A round time in Paris, ``days`` from today."""
        moment = timezone.localtime(now + datetime.timedelta(days=days))
        return moment.replace(hour=hour, minute=0, second=0, microsecond=0)

    people = _people(demo)

    # v1: consulted from 75 to 30 days ago, then closed when its window ended.
    v1_opens = at(-75, 9)
    v1 = CharterIterationPage(
        title="Version 1",
        slug="v1",
        label=demo.v1["label"]["fr"],
        summary=demo.v1["summary"]["fr"],
        body=body(demo.v1),
        opens_at=v1_opens,
        closes_at=at(-30, 18),
        owner=editor,
    )
    charter.add_child(instance=v1)
    v1.save_revision(user=editor).publish(user=editor)
    services.iteration_open(iteration=v1, by=editor, now=v1_opens)
    _amend_v1(demo=demo, v1=v1, editor=editor, people=people, at=at)
    _comment(iteration=v1, specs=demo.comments_v1, people=people, at=at, hour=19)
    # Entered while the window was open, as the contributions above: signed by the workshop.
    v1_workshops = [spec for spec in demo.workshops if spec["iteration"] == 1]
    _workshops(demo=demo, specs=v1_workshops, charter=charter, iteration=v1, editor=editor, at=at)
    services.close_ended_consultations(now=now)

    # v2: started from v1 (same paragraph identities), reworded, open for 40 more days.
    v2 = services.iteration_start_next(charter=charter, by=editor)
    v2.label = demo.v2["label"]["fr"]
    v2.summary = demo.v2["summary"]["fr"]
    v2.body = body(demo.v2)
    v2.opens_at = at(-5, 9)
    v2.closes_at = at(40, 18)
    v2.save_revision(user=editor).publish(user=editor)
    services.iteration_open(iteration=v2, by=editor, now=v2.opens_at)
    _amend_v2(demo=demo, v2=v2, people=people, at=at)
    _comment(iteration=v2, specs=demo.comments_v2, people=people, at=at, hour=11)
    _debate(demo=demo, charter=charter, v2=v2, editor=editor, people=people, at=at)
    v2_workshops = [spec for spec in demo.workshops if spec["iteration"] == 2]
    _workshops(demo=demo, specs=v2_workshops, charter=charter, iteration=v2, editor=editor, at=at)
    return seeded


def _people(demo: Demo) -> dict:
    """The citizens who write the demo's contributions, by username."""
    citizens = [account.username for account in demo.accounts.accounts if account.group is None]
    return {u.username: u for u in get_user_model().objects.filter(username__in=citizens)}


def _amend_v1(*, demo: Demo, v1, editor, people, at) -> None:
    """Amendments of the first consultation, answered: the accepted ones shape v2."""
    rows = {row.key: row for row in Paragraph.objects.filter(iteration_id=v1.pk)}
    v2_texts = {
        p["key"]: p["fr"]
        for section in demo.v2["sections"]
        for article in section["articles"]
        for p in article["paragraphs"]
    }
    for spec in demo.amendments_v1:
        # An accepted new wording is the one v2 carries.
        text = v2_texts[spec["paragraph"]] if spec["kind"] == "modify" else spec.get("text", "")
        amendment = amendments.amendment_propose(
            paragraph=rows[block_id(spec["paragraph"])],
            by=people[spec["author"]],
            kind=spec["kind"],
            text=text,
            rationale=spec["rationale"],
            now=at(spec["day"], 10),
        )
        for username, value in spec["supports"]:
            amendments.amendment_support(
                amendment=amendment,
                by=people[username],
                value=value,
                now=at(spec["day"] + 2, 12),
            )
        amendments.amendment_answer(
            amendment=amendment, status=spec["status"], response=spec["response"], by=editor
        )


def _amend_v2(*, demo: Demo, v2, people, at) -> None:
    """Amendments of the running consultation, awaiting their answer."""
    rows = {row.key: row for row in Paragraph.objects.filter(iteration_id=v2.pk)}
    specs: list[AmendmentSpec] = demo.amendments_v2
    for spec in specs:
        amendment = amendments.amendment_propose(
            paragraph=rows[block_id(spec["paragraph"])],
            by=people[spec["author"]],
            kind=spec["kind"],
            text=spec.get("text", ""),
            rationale=spec["rationale"],
            now=at(spec["day"], 10),
        )
        for username, value in spec["supports"]:
            amendments.amendment_support(amendment=amendment, by=people[username], value=value)


def _comment(*, iteration, specs: list[CommentSpec], people, at, hour: int) -> None:
    """Post the demo comments ``specs`` on the paragraphs of ``iteration``."""
    rows = {row.key: row for row in Paragraph.objects.filter(iteration_id=iteration.pk)}
    posted = []
    for spec in specs:
        parent = posted[spec["reply_to"]].pk if "reply_to" in spec else None
        posted.append(
            comment_post(
                paragraph=rows[block_id(spec["paragraph"])],
                by=people[spec["author"]],
                text=spec["text"],
                parent_id=parent,
                language="fr",
                now=at(spec["day"], hour),
            )
        )


def _workshops(*, demo: Demo, specs: list[WorkshopSpec], charter, iteration, editor, at) -> None:
    """The workshops and registers of ``iteration``, and what their facilitator entered from
    them; the amendments answered by the team (those of iteration 1)."""
    facilitators = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in={name for spec in specs for name in spec["facilitators"]}
        )
    }
    rows = {row.key: row for row in Paragraph.objects.filter(iteration_id=iteration.pk)}
    next_texts = {
        p["key"]: p["fr"]
        for section in demo.v2["sections"]
        for article in section["articles"]
        for p in article["paragraphs"]
    }
    for spec in specs:
        end_day = spec.get("end_day", spec["day"])
        workshop = Workshop.objects.create(
            charter=charter,
            iteration=iteration,
            kind=spec["kind"],
            title=spec["title"],
            starts_at=at(spec["day"], spec["hour"]),
            ends_at=at(end_day, spec["end_hour"]) if "end_hour" in spec else None,
            place=spec["place"],
            audience=spec["audience"],
            participants=spec.get("participants"),
            facilitated_by=spec["facilitated_by"],
            report=spec.get("report", ""),
        )
        workshop.facilitators.set([facilitators[name] for name in spec["facilitators"]])
        by = facilitators[spec["facilitators"][0]]
        for item in spec["comments"]:
            workshop_comment_enter(
                workshop=workshop,
                paragraph=rows[block_id(item["paragraph"])],
                text=item["text"],
                by=by,
                language="fr",
                now=at(item["day"], 21),
            )
        for item in spec["amendments"]:
            # An accepted new wording is the one the next version carries.
            text = (
                next_texts[item["paragraph"]] if item["kind"] == "modify" else item.get("text", "")
            )
            amendment = workshop_amendment_enter(
                workshop=workshop,
                paragraph=rows[block_id(item["paragraph"])],
                kind=item["kind"],
                text=text,
                rationale=item["rationale"],
                by=by,
                now=at(item["day"], 21),
            )
            amendments.amendment_answer(
                amendment=amendment, status=item["status"], response=item["response"], by=editor
            )


def _debate(*, demo: Demo, charter, v2, editor, people, at) -> None:
    """A debate of the listening phase, open now, with arguments on both sides."""
    spec = demo.debate
    page = DebatePage(
        title=spec["title"]["fr"],
        slug=spec["slug"]["fr"],
        question=spec["question"]["fr"],
        context=richtext(spec["context"]["fr"]),
        opens_at=at(spec["opens"], 9),
        closes_at=at(spec["closes"], 18),
        owner=editor,
    )
    charter.add_child(instance=page)
    article = Paragraph.objects.get(iteration_id=v2.pk, key=block_id(spec["article_of"]))
    first_of_article = Paragraph.objects.get(
        iteration_id=v2.pk, article_key=article.article_key, number=1
    )
    page.articles.add(first_of_article)
    page.save_revision(user=editor).publish(user=editor)
    arguments = []
    for item in demo.debate_arguments:
        argument = argument_post(
            debate=page,
            by=people[item["author"]],
            side=item["side"],
            title=item["title"],
            text=item["text"],
            language="fr",
            now=at(item["day"], 10),
        )
        for username in item["supports"]:
            argument_support(argument=argument, by=people[username], now=at(item["day"], 12))
        arguments.append(argument)
    posted = []
    for item in demo.debate_comments:
        parent = posted[item["reply_to"]].pk if "reply_to" in item else None
        posted.append(
            comment_post(
                target=arguments[item["argument"]],
                by=people[item["author"]],
                text=item["text"],
                parent_id=parent,
                language="fr",
                now=at(item["day"], 18),
            )
        )
    for username, value in demo.debate_positions:
        position_state(debate=page, by=people[username], value=value)


def demo_translate(*, demo: Demo) -> None:
    """Translate the demo pages into English, parents first.

    Each page is translated in its own transaction: wagtail-localize publishes a translation
    when the transaction commits, from the page as it was then, so translating a parent and
    its children in one transaction would leave the parent's tree counters stale.

    Only the pages the demo wrote are translated here, and only once: a version the team
    started later in the demo has its English draft from the lifecycle, for the team to
    translate (see ``iteration_start_next``), and a page whose French the team changed before
    it was translated is left to the translation editor rather than half-translated.
    """
    en = Locale.objects.get(language_code="en")
    editor = get_user_model().objects.get(username=demo.accounts.editor.username)
    home = Site.objects.get(is_default_site=True).root_page
    charter = demo_charter(demo=demo)
    if charter is None:
        return
    pairs = french_to_english(demo=demo)
    pages = [
        home,
        charter,
        *CharterIterationPage.objects.child_of(charter)
        .filter(locale=charter.locale, number__in=(1, 2))
        .order_by("number"),
        *DebatePage.objects.child_of(charter).filter(
            locale=charter.locale, slug=demo.debate["slug"]["fr"]
        ),
    ]
    for page in pages:
        if page.get_translations().filter(locale=en).exists():
            continue
        if not page.get_parent().get_translations().filter(locale=en).exists() and page != home:
            continue
        with transaction.atomic():
            translate_page(page=page.specific, locale=en, pairs=pairs, user=editor)


def translate_page(*, page, locale, pairs: dict[str, str], user) -> None:
    """Translate a page with wagtail-localize, segment by segment (``pairs``: French text →
    English text); a page with a segment missing from ``pairs`` is left untranslated."""
    source, _ = TranslationSource.get_or_create_from_instance(page)
    segments = list(StringSegment.objects.filter(source=source).select_related("string", "context"))
    if any(segment.string.data not in pairs for segment in segments):
        return  # the team changed it: its translation is theirs to make
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    for segment in segments:
        english = pairs[segment.string.data]
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": english},
        )
    translation.save_target(user=user, publish=True)
