"""Load the demo: a charter in French with its English translation, two iterations (v1 closed,
v2 in consultation) and one account per role. Running it again changes nothing."""

import datetime
import re
import secrets
import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Site
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from charte.amendments import services as amendments
from charte.core import roles
from charte.debates.models import DebatePage
from charte.demo import content as demo
from charte.discussions.services import comment_post
from charte.texts import services
from charte.texts.pages import CharterIterationPage, CharterPage
from charte.texts.paragraphs import Paragraph

DEMO_TOTP_SECRET = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"  # development only

KEY_NAMESPACE = uuid.UUID("6f1c0f3e-2b7a-4c1e-9a55-0d6c4f1d2b90")

ACCOUNTS = [
    # username, first name, last name, group, dev password, pseudonym, author type
    (
        "editrice",
        "Élise",
        "Martin",
        roles.COMMUNICATION_TEAM,
        "demo-equipe-2026",
        "Élise M.",
        "municipal_agent",
    ),
    (
        "moderateur",
        "Karim",
        "Benali",
        roles.MODERATORS,
        "demo-moderation-2026",
        "Karim B.",
        "municipal_agent",
    ),
    (
        "conseillere",
        "Sophie",
        "Lambert",
        roles.COUNCIL_MEMBERS,
        "demo-conseil-2026",
        "Sophie Lambert",
        "elected_member",
    ),
    ("camille", "Camille", "Roux", None, "demo-habitante-2026", "Camille des Tilleuls", "resident"),
    ("jules", "Jules", "Moreau", None, "demo-habitant-2026", "Jules_LaGarenne", "resident"),
    (
        "tilleuls",
        "Nadia",
        "Ferrand",
        None,
        "demo-association-2026",
        "Association des Tilleuls",
        "association",
    ),
]

HOME = {
    "title": {"fr": "Accueil", "en": "Home"},
    "introduction": {
        "fr": (
            "<p>Lisez les textes en cours d’écriture, commentez-les et proposez vos "
            "amendements.</p>"
        ),
        "en": "<p>Read the texts being written, comment on them and propose your amendments.</p>",
    },
}


def block_id(key):
    return str(uuid.uuid5(KEY_NAMESPACE, key))


def richtext(html):
    return (
        html.replace("<strong>", "<b>")
        .replace("</strong>", "</b>")
        .replace("<em>", "<i>")
        .replace("</em>", "</i>")
    )


def body(version):
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
        for section in version["sections"]
    ]


def phases(today):
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
        for index, phase in enumerate(demo.CHARTER["phases"])
    ]


def french_to_english():
    """Every French string of the demo, with its English translation."""
    pairs = {}

    def add(texts):
        pairs[texts["fr"]] = texts["en"]
        # wagtail-localize keeps the line breaks of plain text as <br/>.
        pairs[texts["fr"].replace("\n", "<br/>")] = texts["en"].replace("\n", "<br/>")

    pairs["accueil"] = "home"
    for texts in (HOME["title"], demo.CHARTER["title"], demo.CHARTER["slug"]):
        add(texts)
    for name in ("territory", "contact_name", "contact_details"):
        add(demo.CHARTER[name])
    for name in ("introduction",):
        for source in (HOME, demo.CHARTER):
            french = re.findall(r"<p>(.*?)</p>", richtext(source[name]["fr"]), re.S)
            english = re.findall(r"<p>(.*?)</p>", richtext(source[name]["en"]), re.S)
            pairs.update(zip(french, english, strict=True))
    for phase in demo.CHARTER["phases"]:
        add(phase["title"])
        add(phase["description"])
    for name in ("title", "slug", "question"):
        add(demo.DEBATE[name])
    french = re.findall(r"<p>(.*?)</p>", richtext(demo.DEBATE["context"]["fr"]), re.S)
    english = re.findall(r"<p>(.*?)</p>", richtext(demo.DEBATE["context"]["en"]), re.S)
    pairs.update(zip(french, english, strict=True))
    for number, version in ((1, demo.V1), (2, demo.V2)):
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


class Command(BaseCommand):
    help = "Load the demo charter, its two iterations, its English translation and accounts."

    def handle(self, *args, **options):
        with transaction.atomic():
            created = self.seed()
        self.translate_all()
        if created:
            from django.core.management import call_command

            call_command("rebuild_search_index", stdout=self.stdout, stderr=self.stderr)
        self.print_accounts()
        if created:
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        else:
            self.stdout.write("Demo content already present: nothing changed.")

    def seed(self):
        now = timezone.now()
        today = timezone.localdate(now)
        Locale.objects.get_or_create(language_code="en")
        editor = self.ensure_accounts()

        site = Site.objects.get(is_default_site=True)
        home = site.root_page.specific
        if CharterPage.objects.child_of(home).filter(slug=demo.CHARTER["slug"]["fr"]).exists():
            return False

        home.title = home.draft_title = HOME["title"]["fr"]
        home.introduction = richtext(HOME["introduction"]["fr"])
        home.save_revision(user=editor).publish(user=editor)

        charter = CharterPage(
            title=demo.CHARTER["title"]["fr"],
            slug=demo.CHARTER["slug"]["fr"],
            introduction=richtext(demo.CHARTER["introduction"]["fr"]),
            territory=demo.CHARTER["territory"]["fr"],
            timeline=phases(today),
            contact_name=demo.CHARTER["contact_name"]["fr"],
            contact_email=demo.CHARTER["contact_email"],
            contact_details=demo.CHARTER["contact_details"]["fr"],
            owner=editor,
        )
        home.add_child(instance=charter)
        charter.save_revision(user=editor).publish(user=editor)

        def at(days, hour):
            """A round time in Paris, ``days`` from today."""
            moment = timezone.localtime(now + datetime.timedelta(days=days))
            return moment.replace(hour=hour, minute=0, second=0, microsecond=0)

        # v1: consulted from 75 to 30 days ago, then closed when its window ended.
        v1_opens = at(-75, 9)
        v1 = CharterIterationPage(
            title="Version 1",
            slug="v1",
            label=demo.V1["label"]["fr"],
            summary=demo.V1["summary"]["fr"],
            body=body(demo.V1),
            opens_at=v1_opens,
            closes_at=at(-30, 18),
            owner=editor,
        )
        charter.add_child(instance=v1)
        v1.save_revision(user=editor).publish(user=editor)
        services.iteration_open(iteration=v1, by=editor, now=v1_opens)
        self.amend_v1(v1, editor, at)
        self.comment(v1, demo.COMMENTS_V1, at, hour=19)
        services.close_ended_consultations(now=now)

        # v2: started from v1 (same paragraph identities), reworded, open for 40 more days.
        v2 = services.iteration_start_next(charter=charter, by=editor)
        v2.label = demo.V2["label"]["fr"]
        v2.summary = demo.V2["summary"]["fr"]
        v2.body = body(demo.V2)
        v2.opens_at = at(-5, 9)
        v2.closes_at = at(40, 18)
        v2.save_revision(user=editor).publish(user=editor)
        services.iteration_open(iteration=v2, by=editor, now=v2.opens_at)
        self.amend_v2(v2, at)
        self.debate(charter, v2, editor, at)

        return True

    def debate(self, charter, v2, editor, at):
        """A debate of the listening phase, open now, with arguments on both sides."""
        from charte.debates.services import argument_post, argument_support, position_state

        spec = demo.DEBATE
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
        people = self.people()
        arguments = []
        for item in demo.DEBATE_ARGUMENTS:
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
        for item in demo.DEBATE_COMMENTS:
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
        for username, value in demo.DEBATE_POSITIONS:
            position_state(debate=page, by=people[username], value=value)

    def people(self):
        User = get_user_model()
        return {
            u.username: u
            for u in User.objects.filter(username__in=["camille", "jules", "tilleuls"])
        }

    def amend_v1(self, v1, editor, at):
        """Amendments of the first consultation, answered: the accepted ones shape v2."""
        people = self.people()
        rows = {row.key: row for row in Paragraph.objects.filter(iteration_id=v1.pk)}
        v2_texts = {
            p["key"]: p["fr"]
            for section in demo.V2["sections"]
            for article in section["articles"]
            for p in article["paragraphs"]
        }
        for spec in demo.AMENDMENTS_V1:
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

    def amend_v2(self, v2, at):
        """Amendments of the running consultation, awaiting their answer."""
        people = self.people()
        rows = {row.key: row for row in Paragraph.objects.filter(iteration_id=v2.pk)}
        for spec in demo.AMENDMENTS_V2:
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
        self.comment(v2, demo.COMMENTS_V2, at, hour=11)

    def comment(self, iteration, specs, at, hour):
        """Post the demo comments ``specs`` on the paragraphs of ``iteration``."""
        people = self.people()
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

    def translate_all(self):
        """Translate the demo pages into English, parents first.

        Each page is translated in its own transaction: wagtail-localize publishes a translation
        when the transaction commits, from the page as it was then, so translating a parent and
        its children in one transaction would leave the parent's tree counters stale.
        """
        en = Locale.objects.get(language_code="en")
        editor = get_user_model().objects.get(username=ACCOUNTS[0][0])
        home = Site.objects.get(is_default_site=True).root_page
        charter = CharterPage.objects.child_of(home).get(slug=demo.CHARTER["slug"]["fr"])
        pairs = french_to_english()
        pages = [
            home,
            charter,
            *CharterIterationPage.objects.child_of(charter).order_by("number"),
            *DebatePage.objects.child_of(charter),
        ]
        for page in pages:
            if page.get_translations().filter(locale=en).exists():
                continue
            with transaction.atomic():
                self.translate(page.specific, en, pairs, editor)

    def translate(self, page, locale, pairs, user):
        """Translate a page with wagtail-localize, segment by segment."""
        source, _ = TranslationSource.get_or_create_from_instance(page)
        translation, _ = Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        for segment in StringSegment.objects.filter(source=source).select_related(
            "string", "context"
        ):
            english = pairs.get(segment.string.data)
            if english is None:
                raise KeyError(f"No English for {segment.string.data[:80]!r}")
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": english},
            )
        translation.save_target(user=user, publish=True)

    def ensure_accounts(self):
        User = get_user_model()
        editor = None
        self.passwords = {}
        for username, first, last, group_name, dev_password, pseudonym, kind in ACCOUNTS:
            email = f"{username}@demo.example"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "pseudonym": pseudonym,
                    "author_type": kind,
                    "territory": "Saint-Aubin-des-Lavandes",
                },
            )
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if created or settings.DEBUG:
                password = dev_password if settings.DEBUG else secrets.token_urlsafe(16)
                user.set_password(password)
                user.save()
                self.passwords[username] = password
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            if (
                group_name
                and settings.DEBUG
                and not Authenticator.objects.filter(user=user).exists()
            ):
                # Staff must use two-factor authentication; the demo gives them a known secret.
                TOTP.activate(user, DEMO_TOTP_SECRET)
            if group_name == roles.COMMUNICATION_TEAM:
                editor = user
        return editor

    def print_accounts(self):
        if not settings.DEBUG:
            self.stdout.write(
                "Demo accounts exist (editrice, moderateur, conseillere, camille, jules, each "
                "@demo.example); "
                "their passwords are only shown in development. Use `manage.py changepassword`."
            )
            return
        self.stdout.write("Demo accounts (development only): username, e-mail, password, role")
        roles_by_user = {account[0]: account[3] for account in ACCOUNTS}
        for username, password in self.passwords.items():
            role = roles_by_user[username] or "Citizen"
            email = f"{username}@demo.example"
            self.stdout.write(f"  {username:<12} {email:<26} {password:<22} {role}")
        self.stdout.write(
            "Everyone signs in at /accounts/login/ with their e-mail (the admin is /admin/). "
            f"Staff accounts also need a two-factor code: add the secret {DEMO_TOTP_SECRET} to "
            "an authenticator app, or run `.venv/bin/python manage.py demo_totp`."
        )
