"""The communication team's whole journey through the admin, at real size, in one go: it
imports a 150-article Word draft, checks the preview, opens it for consultation on a date it
chose, sees the state everywhere, answers amendments, translates the version, starts the next
one in French and English, integrates what was accepted, imports its revised document with the
identities kept, and records the adoption. Only the residents' part and the clock are played
through the services; everything the team does goes through the admin's screens."""

import datetime
import io
import re
import zoneinfo

import docx
import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation, TranslationSource

from charte.amendments.services import amendment_propose
from charte.discussions.services import comment_post
from charte.models import Amendment, CharterIterationPage, DebatePage, IterationState, Paragraph
from tests import factories
from tests.charte.amendments.test_integration_menu import admin_menu
from tests.charte.discussions.test_comments import make_citizen
from tests.charte.texts.test_import import add_link
from tests.charte.texts.test_translation_editor import publish

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
ROMAN = ["I", "II", "III", "IV", "V"]
SWITCH = re.compile(r'<a href="([^"]+)" lang="(?:fr|en)" hreflang="(?:fr|en)"')


class Clock:
    """The « now » of the whole site, moved by the test (timezone.now is read everywhere)."""

    def __init__(self, monkeypatch, start):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def travel(self, moment):
        assert moment >= self.now
        self.now = moment


def fr(msgid, **values):
    with translation.override("fr"):
        return translation.gettext(msgid) % values


def wording(n, article):
    """A paragraph as a town hall types it: straight apostrophes and plain spaces."""
    return f"Alinéa {n} de l'article {article} : la commune s'engage à répondre à chacun."


def curly(text):
    return text.replace("'", "’").replace(" :", "\u202f:")


def plan(articles=150, paragraphs=1000):
    """Five « Titre », three « Chapitre » each, ten articles each; 1,000 paragraphs in all,
    counting the numbered list of article 1, the emphasis and link of article 2 and the two
    rows of the table of article 3."""
    special = {1: 2, 2: 1, 3: 2}  # paragraphs those constructs become
    plain = paragraphs - sum(special.values())
    base, extra = divmod(plain, articles)
    texts, n = {}, 0
    for a in range(1, articles + 1):
        count = base + (1 if a <= extra else 0)
        texts[a] = [wording(n + i, a) for i in range(1, count + 1)]
        n += count
    return texts


def charter_docx(texts, *, change=None, add=None, remove=()):
    change, add = change or {}, add or {}
    document = docx.Document()
    document.add_heading("Charte de la participation citoyenne", 0)
    for a in sorted(texts):
        titre, chapitre = (a - 1) // 30, (a - 1) // 10
        if (a - 1) % 30 == 0:
            document.add_heading(f"Titre {ROMAN[titre]} – Partie {titre + 1}", 1)
        if (a - 1) % 10 == 0:
            document.add_heading(f"Chapitre {chapitre % 3 + 1} – Thème {chapitre + 1}", 2)
        document.add_heading(f"Article {a} – Objet {a}", 3)
        if a == 1:
            document.add_paragraph("informer les habitants ;", style="List Number")
            document.add_paragraph("les consulter avant de décider.", style="List Number")
        if a == 2:
            paragraph = document.add_paragraph("La commune agit ")
            paragraph.add_run("résolument").italic = True
            paragraph.add_run(", selon ")
            add_link(paragraph, "le code", "https://www.legifrance.gouv.fr/codes/")
            paragraph.add_run(".")
        if a == 3:
            table = document.add_table(rows=2, cols=2)
            table.cell(0, 0).text, table.cell(0, 1).text = "Instance", "Membres"
            table.cell(1, 0).text, table.cell(1, 1).text = "Conseil citoyen", "24"
        for text in texts[a]:
            if text not in remove:
                document.add_paragraph(change.get(text, text))
            if text in add:
                document.add_paragraph(add[text])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def public_ok(client, url):
    """A public page answers 200 and each link of its language switch does too."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    switch = html.split('class="language-switcher"', 1)[1].split("</nav>", 1)[0]
    for other in SWITCH.findall(switch):
        assert client.get(other).status_code == 200, (url, other)
    return html


def translate_by_file(client, translation, wording):
    """A whole version's translation, as a translation agency returns it: the PO file
    downloaded from the translation editor, filled in, uploaded back."""
    editor_url = f"/admin/localize/translate/{translation.pk}/"
    download = client.get(f"{editor_url}pofile/download/")
    assert download.status_code == 200
    po = polib.pofile(download.content.decode())
    for entry in po:
        entry.msgstr = wording(entry.msgid)
    upload = SimpleUploadedFile("translation.po", str(po).encode())
    response = client.post(f"{editor_url}pofile/upload/", {"file": upload})
    assert response.status_code == 302
    return len(po)


def explore(client, page):
    response = client.get(reverse("wagtailadmin_explore", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def import_into(client, page, data):
    url = reverse("charte_import_draft", args=[page.pk])
    assert client.get(url).status_code == 200
    preview = client.post(
        url, {"document": SimpleUploadedFile("charte.docx", data), "mapping": "auto"}
    )
    assert preview.status_code == 200, preview.content.decode()[:3000]
    return url, preview


def draft_paragraphs(page):
    from charte.texts.outline import body_outline, outline_paragraphs

    body = CharterIterationPage.objects.get(pk=page.pk).get_latest_revision_as_object().body
    return outline_paragraphs(body_outline(body))


def test_the_team_takes_a_charter_through_two_versions_from_the_admin(
    client, monkeypatch, english, django_capture_on_commit_callbacks
):
    clock = Clock(monkeypatch, datetime.datetime(2027, 1, 4, 9, 30, tzinfo=PARIS))
    editor = factories.editor("equipe")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "fr"
    profile.save()
    home = factories.home_page()
    home.copy_for_translation(english).save_revision().publish()
    charter = factories.make_charter(user=editor)
    debate = factories.make_debate(
        charter, user=editor, closes_at=clock.now + datetime.timedelta(days=300)
    )
    public = Client()

    def team():
        client.force_login(editor)
        return client

    # 1–2. The Word draft is imported: preview, then confirmation.
    texts = plan()
    url, preview = import_into(team(), charter, charter_docx(texts))
    counts = preview.context["counts"]
    assert (counts["articles"], counts["paragraphs"]) == (150, 1000)
    html = preview.content.decode()
    assert "Objet 150" in html
    # French typography, not the straight apostrophes typed.
    assert curly(texts[4][0]) in html and texts[4][0] not in html
    assert fr("Import a draft: preview") in html
    warnings = " ".join(preview.context["draft"].warnings)
    assert "« Article 3 »" in warnings  # the table, said so
    assert not CharterIterationPage.objects.child_of(charter).exists()
    done = client.post(url, {"token": preview.context["token"]}, follow=True)
    assert done.status_code == 200
    v1 = CharterIterationPage.objects.child_of(charter).get()
    assert done.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[v1.pk])
    assert any("1000" in m and "150" in m for m in messages_of(done))
    paragraphs = draft_paragraphs(v1)
    assert len(paragraphs) == 1000
    assert not v1.live

    # 3. Opened for a date the team chose, typed as it writes it.
    open_url = reverse("charte_iteration_open", args=[v1.pk])
    assert "15 janvier 2027" in client.get(open_url).content.decode()
    response = client.post(
        open_url,
        {"opens_at": "15 janvier 2027 18h", "closes_at": "15 février 2027 18h"},
        follow=True,
    )
    assert response.status_code == 200, response.content.decode()[-3000:]
    assert any("15 janvier 2027" in m and "ouvrira" in m for m in messages_of(response))
    v1.refresh_from_db()
    assert v1.opens_at == datetime.datetime(2027, 1, 15, 18, tzinfo=PARIS)
    assert "Ouverture programmée le" in explore(client, charter)
    assert public.get(v1.url).status_code == 404
    assert public.get("/en" + v1.url.removeprefix("/fr")).status_code == 404

    clock.travel(datetime.datetime(2027, 1, 15, 17, 55, tzinfo=PARIS))
    call_command("close_ended_consultations", stdout=io.StringIO())
    assert public.get(v1.url).status_code == 404  # not yet
    clock.travel(datetime.datetime(2027, 1, 15, 18, 0, tzinfo=PARIS))
    out = io.StringIO()
    call_command("close_ended_consultations", stdout=out)
    assert "Version 1" in out.getvalue()
    page = public_ok(public, v1.url)
    assert "Titre I" in page and "Objet 150" in page
    team()
    assert "Consultation ouverte jusqu’au" in explore(client, charter)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[v1.pk])).content.decode()
    assert "charte-lifecycle-status" in edit and "Consultation ouverte jusqu’au" in edit
    inside = explore(client, v1)
    assert "charte-lifecycle-status" in inside and "Consultation ouverte jusqu’au" in inside

    # 4. Residents comment and propose amendments; the team answers in its inbox.
    clock.travel(datetime.datetime(2027, 1, 20, 10, tzinfo=PARIS))
    rows = {p.position: p for p in Paragraph.objects.filter(iteration=v1)}
    lea, marc, sam = (
        make_citizen(u, p) for u, p in [("lea", "Léa"), ("marc", "Marc"), ("sam", "Sam")]
    )
    carried = rows[400]
    comment_post(paragraph=carried, by=sam, text="Cet alinéa me convient tel quel.")
    auto = amendment_propose(
        paragraph=rows[100],
        by=lea,
        kind="modify",
        text="La commune s'engage à répondre à chacun sous un mois : c'est écrit.",
        rationale="Un délai précis.",
    )
    by_hand = amendment_propose(
        paragraph=rows[200],
        by=marc,
        kind="modify",
        text="La commune publie ses réponses en ligne.",
        rationale="Transparence.",
    )
    refused = amendment_propose(paragraph=rows[300], by=sam, kind="delete", rationale="Inutile.")
    team()
    inbox = client.get("/admin/amendments/").content.decode()
    assert all(f"/admin/amendments/edit/{a.pk}/" in inbox for a in (auto, by_hand, refused))
    answer_url = f"/admin/amendments/edit/{auto.pk}/"
    response = client.post(answer_url, {"response": "Nous retenons ce délai."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez accepté, accepté en partie ou rejeté." in html
    assert "Nous retenons ce délai." in html
    assert Amendment.objects.get(pk=auto.pk).status == "submitted"
    for amendment, status in [
        (auto, "accepted"),
        (by_hand, "partially_accepted"),
        (refused, "rejected"),
    ]:
        response = client.post(
            f"/admin/amendments/edit/{amendment.pk}/",
            {"status": status, "response": "Réponse de l’équipe."},
            follow=True,
        )
        assert response.status_code == 200
        assert any(f"n° {amendment.number}" in m for m in messages_of(response))
    assert Amendment.objects.get(pk=auto.pk).status == "accepted"

    # 5. Closed; version 1 translated through wagtail-localize's screens and published.
    close_url = reverse("charte_iteration_close", args=[v1.pk])
    response = client.post(close_url, follow=True)
    assert fr("The consultation on « %(title)s » is closed.", title="Version 1") in messages_of(
        response
    )
    assert "Consultation clôturée" in explore(client, charter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/localize/submit/page/{charter.pk}/",
            {"locales": [english.pk], "include_subtree": "on"},
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    en_charter = charter.get_translation(english)
    en_v1 = v1.get_translation(english)
    for page in (charter, v1):
        translated = Translation.objects.get(
            source__object_id=page.translation_key, target_locale=english
        )
        translate_by_file(client, translated, lambda text: "EN: " + text)
    for page in (en_charter, en_v1):
        with django_capture_on_commit_callbacks(execute=True):
            assert publish(client, page).status_code == 200
    en_v1 = CharterIterationPage.objects.get(pk=en_v1.pk)
    assert en_v1.live
    english_page = public_ok(public, en_v1.url)
    assert "EN: Alinéa 1 de l’article 1" in english_page
    public_ok(public, Page.objects.get(pk=en_charter.pk).url)

    # The next iteration: in French and English, with the translations carried.
    next_url = reverse("charte_start_next_iteration", args=[charter.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(next_url, follow=True)
    v2 = CharterIterationPage.objects.child_of(charter).get(number=2)
    assert response.redirect_chain[-1][0] == reverse("charte_iteration_integrate", args=[v2.pk])
    said = " ".join(messages_of(response))
    assert "Version 2" in said and "1 amendement" in said
    en_v2 = v2.get_translation(english).specific
    en_texts = [p.text for p in draft_paragraphs(en_v2)]
    assert len(en_texts) == 1000
    assert sum(text.startswith("EN: ") for text in en_texts) == 999  # all but the amended one
    v2_texts = {p.key: p.text for p in draft_paragraphs(v2)}
    assert v2_texts[rows[100].key] == (
        "La commune s’engage à répondre à chacun sous un mois\u202f: c’est écrit."
    )

    # Opening version 2 is refused while the partly accepted amendment waits.
    open_v2 = reverse("charte_iteration_open", args=[v2.pk])
    response = client.post(open_v2, {"opens_at": "", "closes_at": "15 mars 2027 18h"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"n° {by_hand.number}" in html
    assert CharterIterationPage.objects.get(pk=v2.pk).frozen_at is None

    # 6. The revised Word document goes into version 2's draft: identities kept.
    amended = "La commune s’engage à répondre à chacun sous un mois\u202f: c’est écrit."
    old_by_hand = rows[200].text
    source_text = next(t for a in texts.values() for t in a if curly(t) == old_by_hand)
    reworded = source_text.replace("répondre à chacun", "publier ses réponses en ligne")
    removed = next(t for a in texts.values() for t in a if curly(t) == rows[500].text)
    anchor = next(t for a in texts.values() for t in a if curly(t) == rows[600].text)
    amended_source = next(t for a in texts.values() for t in a if curly(t) == rows[100].text)
    revised = charter_docx(
        texts,
        change={amended_source: amended, source_text: reworded},
        add={anchor: "Un alinéa nouveau sur le budget participatif."},
        remove=(removed,),
    )
    url, preview = import_into(client, v2, revised)
    counts = preview.context["counts"]
    assert (counts["kept"], counts["changed"], counts["new"], counts["removed"]) == (
        998,
        1,
        1,
        1,
    )
    html = preview.content.decode()
    assert "budget participatif" in html and "publier ses réponses en ligne" in html
    done = client.post(url, {"token": preview.context["token"], "changed": [], "keep": []})
    assert done.status_code == 302
    keys = {p.text: p.key for p in draft_paragraphs(v2)}
    assert keys[rows[400].text] == carried.key
    assert keys[curly(reworded)] == rows[200].key
    assert rows[500].text not in keys

    # The paragraph finder on « Amendments to integrate », then the record.
    integrate_url = reverse("charte_iteration_integrate", args=[v2.pk])
    menu = admin_menu(client)
    assert "Amendements à intégrer" in menu and "/admin/charte/integrate/" in menu
    found = client.get(integrate_url, {"for": by_hand.pk, "q": "publier ses réponses"})
    assert found.status_code == 200
    assert curly(reworded)[:60] in found.content.decode()
    response = client.post(
        integrate_url, {"amendment": by_hand.pk, "key": rows[200].key}, follow=True
    )
    assert fr("Amendment no. %(number)s is recorded as integrated.", number=by_hand.number) in (
        messages_of(response)
    )
    response = client.post(open_v2, {"opens_at": "", "closes_at": "15 mars 2027 18h"}, follow=True)
    assert response.status_code == 200
    v2 = CharterIterationPage.objects.get(pk=v2.pk)
    assert v2.state == IterationState.CONSULTATION and v2.live
    assert Amendment.objects.get(pk=by_hand.pk).integrated_into_id == v2.pk
    assert Amendment.objects.get(pk=auto.pk).integrated_into_id == v2.pk

    # Comments on an unchanged paragraph in version 1 show on its page in version 2.
    kept = Paragraph.objects.get(iteration=v2, key=carried.key)
    html = public_ok(public, kept.get_url())
    earlier = html.split('class="discussion__earlier"')[1].split("</section>")[0]
    assert "Cet alinéa me convient tel quel." in earlier
    assert fr("Comment on Version %(number)s", number=1) in earlier
    public_ok(public, v2.url)

    # The English draft of version 2 brought up to date and published.
    source = TranslationSource.objects.get(object_id=v2.translation_key)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/admin/localize/update/{source.pk}/", {}).status_code == 302
        assert publish(client, en_v2).status_code == 200
    en_v2 = CharterIterationPage.objects.get(pk=en_v2.pk)
    assert en_v2.live
    english_page = public_ok(public, en_v2.url)
    assert "budget participatif" in english_page  # not translated yet: shown in French

    # 7. Closed, then adopted.
    clock.travel(datetime.datetime(2027, 3, 20, 10, tzinfo=PARIS))
    team()
    response = client.post(reverse("charte_iteration_close", args=[v2.pk]), follow=True)
    assert response.status_code == 200
    response = client.post(
        reverse("charte_iteration_adopt", args=[v2.pk]),
        {
            "session_date": "19 mars 2027",
            "deliberation_reference": "DEL-2027-031",
            "votes_for": "31",
            "votes_against": "4",
            "abstentions": "2",
        },
        follow=True,
    )
    assert response.status_code == 200, response.content.decode()[-3000:]
    assert fr("« %(title)s » is recorded as adopted.", title="Version 2") in messages_of(response)
    listing = explore(client, charter)
    assert "Adoptée" in listing and "Remplacée" in listing
    page = public_ok(public, charter.url)
    assert "La charte est adoptée" in page
    timeline = page.split("timeline", 1)[1]
    assert "en cours" not in timeline and "à venir" not in timeline
    assert DebatePage.objects.get(pk=debate.pk).state() == "closed"
    public_ok(public, Page.objects.get(pk=en_charter.pk).url)

    # 8. The demo still loads afterwards.
    call_command("seed_demo", stdout=io.StringIO())


def test_a_team_member_with_an_english_admin_takes_the_same_road(client, monkeypatch):
    """Shorter: a 12-article draft, the admin in English, from the import to the adoption."""
    clock = Clock(monkeypatch, datetime.datetime(2027, 1, 4, 9, 30, tzinfo=PARIS))
    editor = factories.editor("team")
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    charter = factories.make_charter(user=editor)
    public = Client()
    client.force_login(editor)

    texts = plan(12, 80)
    url, preview = import_into(client, charter, charter_docx(texts))
    html = preview.content.decode()
    assert "Import a draft: preview" in html and "Objet 12" in html
    assert (preview.context["counts"]["articles"], preview.context["counts"]["paragraphs"]) == (
        12,
        80,
    )
    done = client.post(url, {"token": preview.context["token"]}, follow=True)
    assert any("80 paragraphs" in m for m in messages_of(done))
    v1 = CharterIterationPage.objects.child_of(charter).get()

    response = client.post(
        reverse("charte_iteration_open", args=[v1.pk]),
        {"opens_at": "15 January 2027 6:00", "closes_at": "15 février 2027 18h"},
        follow=True,
    )
    assert any("will open for consultation on" in m for m in messages_of(response))
    assert "Scheduled: opens on" in explore(client, charter)
    assert public.get(v1.url).status_code == 404
    clock.travel(datetime.datetime(2027, 1, 15, 6, 0, tzinfo=PARIS))
    call_command("close_ended_consultations", stdout=io.StringIO())
    public_ok(public, v1.url)
    client.force_login(editor)
    assert "Consultation open until" in explore(client, charter)

    row = Paragraph.objects.get(iteration=v1, position=20)
    amendment = amendment_propose(
        paragraph=row, by=make_citizen(), kind="modify", text="Plus court.", rationale="Clair."
    )
    answer_url = f"/admin/amendments/edit/{amendment.pk}/"
    response = client.post(answer_url, {"response": "We keep the idea."})
    assert "Choose accepted, partially accepted or rejected." in response.content.decode()
    assert "We keep the idea." in response.content.decode()
    client.post(answer_url, {"status": "accepted", "response": "We keep the idea."})
    assert Amendment.objects.get(pk=amendment.pk).status == "accepted"

    client.post(reverse("charte_iteration_close", args=[v1.pk]))
    assert "Consultation closed" in explore(client, charter)
    response = client.post(reverse("charte_start_next_iteration", args=[charter.pk]), follow=True)
    v2 = CharterIterationPage.objects.child_of(charter).get(number=2)
    assert any("1 accepted amendment was applied" in m for m in messages_of(response))
    response = client.post(
        reverse("charte_iteration_open", args=[v2.pk]),
        {"opens_at": "", "closes_at": "15 March 2027 18:00"},
        follow=True,
    )
    assert any("is open for consultation until" in m for m in messages_of(response))
    public_ok(public, v2.url)

    clock.travel(datetime.datetime(2027, 3, 20, 10, tzinfo=PARIS))
    client.force_login(editor)
    client.post(reverse("charte_iteration_close", args=[v2.pk]))
    response = client.post(
        reverse("charte_iteration_adopt", args=[v2.pk]),
        {
            "session_date": "19/03/2027",
            "deliberation_reference": "DEL-2027-031",
            "votes_for": "31",
            "votes_against": "4",
            "abstentions": "2",
        },
        follow=True,
    )
    assert "« Version 2 » is recorded as adopted." in messages_of(response)
    listing = explore(client, charter)
    assert "Adopted" in listing and "Superseded" in listing
    assert "La charte est adoptée" in public_ok(public, charter.url)
