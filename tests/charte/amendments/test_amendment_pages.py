"""Amendments on the public site: propose with a preview, the amendment's page, supports,
withdrawal and correction, the list with filters, and the margin of the iteration page."""

import re

import pytest

from charte.accounts.services import author_type_confirm
from charte.amendments.services import amendment_answer, amendment_propose, amendment_support
from charte.models import Amendment, AmendmentSupport, Paragraph
from charte.texts import services
from tests.charte.discussions.test_comments import XSS, make_citizen, url

pytestmark = pytest.mark.django_db


def propose(paragraph, by, **fields):
    fields.setdefault("kind", "modify")
    fields.setdefault("text", "Une rédaction plus claire.")
    fields.setdefault("rationale", "Pour que chacun comprenne.")
    return amendment_propose(paragraph=paragraph, by=by, **fields)


def amendment_url(iteration, number, suffix=""):
    return f"{iteration.url}amendments/{number}/{suffix}"


def test_propose_preview_then_send(client, opened, paragraph):
    client.force_login(make_citizen())
    form = client.get(url(opened, paragraph, "amend/")).content.decode()
    assert paragraph.text in form  # the current wording, to start from
    assert 'name="send"' not in form  # one previews before sending

    typed = {
        "kind": "modify",
        "text": paragraph.text + " Avec les habitantes et habitants.",
        "rationale": "Écriture inclusive.",
        "name": "Le Maire",  # not a field: identity comes from the account
    }
    preview = client.post(url(opened, paragraph, "amend/"), {**typed, "preview": "1"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert (
        '<ins><span class="visually-hidden">[texte ajouté\u00a0: </span> Avec les habitantes'
        in html
    )
    assert 'name="send"' in html and "Écriture inclusive." in html
    assert not Amendment.objects.exists()

    sent = client.post(url(opened, paragraph, "amend/"), {**typed, "send": "1"})
    amendment = Amendment.objects.get()
    assert (amendment.author.pseudonym, amendment.language) == ("Léa du Port", "fr")
    assert sent.status_code == 302 and sent["Location"] == amendment_url(opened, 1)
    page = client.get(sent["Location"]).content.decode()
    assert "Amendement n° 1" in page and "En attente de réponse" in page
    assert "Léa du Port" in page and "Le Maire" not in page
    assert "(Habitant ou habitante)" in page  # the author type
    assert "<ins>" in page and "Écriture inclusive." in page
    assert "Votre amendement n° 1 est publié" in page


def test_a_refused_proposal_keeps_what_was_typed(client, opened, paragraph):
    client.force_login(make_citizen())
    response = client.post(
        url(opened, paragraph, "amend/"),
        {"kind": "insert", "text": "Un alinéa sur les jeunes.", "rationale": "", "preview": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="rationale-error">Expliquez pourquoi' in html
    assert 'aria-invalid="true" aria-describedby="rationale-error">' in html
    # The summary of the errors takes the focus when the page loads (js/site.js).
    assert "data-error-summary>" in html and "data-autofocus" not in html
    assert ">Un alinéa sur les jeunes.</textarea>" in html
    assert 'id="kind-insert" value="insert" checked' in html


def test_outside_the_window_the_form_is_replaced_and_a_post_refused(
    client, opened, paragraph, editor
):
    services.iteration_close(iteration=opened, by=editor)
    client.force_login(make_citizen())
    response = client.post(
        url(opened, paragraph, "amend/"),
        {"kind": "delete", "rationale": "Inutile, selon moi.", "send": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert "La consultation s’est terminée" in html
    assert "Inutile, selon moi." in html  # given back
    assert not Amendment.objects.exists()
    assert "Proposer un amendement" not in client.get(url(opened, paragraph)).content.decode()


def test_anonymous_readers_are_invited_to_sign_in(client, opened, paragraph):
    html = client.get(url(opened, paragraph, "amend/")).content.decode()
    assert "Connectez-vous pour participer." in html
    assert '<form method="post" class="amendment-form"' not in html


def test_supporting_changing_and_withdrawing_a_position(client, opened, paragraph):
    amendment = propose(paragraph, make_citizen())
    client.force_login(make_citizen("sam", "Sam"))
    support = amendment_url(opened, amendment.number, "support/")
    client.post(support, {"value": "agree"})
    html = client.get(amendment_url(opened, 1)).content.decode()
    assert "1 d’accord · 0 réservés · 0 pas d’accord" in html
    assert 'value="agree" aria-pressed="true"' in html
    client.post(support, {"value": "mixed"})
    assert AmendmentSupport.objects.get().value == "mixed"
    client.post(support, {"value": ""})
    assert not AmendmentSupport.objects.exists()


def test_only_the_author_withdraws_and_corrects(client, opened, paragraph):
    lea = make_citizen()
    amendment = propose(paragraph, lea)
    client.force_login(make_citizen("sam", "Sam"))
    response = client.post(amendment_url(opened, 1, "withdraw/"), follow=True)
    assert "Seul son auteur peut retirer cet amendement." in response.content.decode()
    assert client.get(amendment_url(opened, 1, "correct/"))["Location"] == amendment_url(opened, 1)

    client.force_login(lea)
    page = client.get(amendment_url(opened, 1)).content.decode()
    assert "Corriger la rédaction" in page
    corrected = client.post(
        amendment_url(opened, 1, "correct/"),
        {"kind": "modify", "text": "Encore plus clair.", "rationale": "Relu", "send": "1"},
    )
    assert corrected.status_code == 302
    amendment.refresh_from_db()
    assert amendment.text == "Encore plus clair."
    amendment_support(amendment=amendment, by=make_citizen("max", "Max"), value="agree")
    assert "Corriger la rédaction" not in client.get(amendment_url(opened, 1)).content.decode()
    client.post(amendment_url(opened, 1, "withdraw/"))
    amendment.refresh_from_db()
    assert amendment.status == "withdrawn"


@pytest.mark.parametrize("payload", XSS)
def test_wording_and_rationale_are_rendered_inert(client, opened, paragraph, editor, payload):
    amendment = propose(paragraph, make_citizen(), text=payload, rationale=payload)
    amendment_answer(amendment=amendment, status="rejected", response=payload, by=editor)
    pages = [amendment_url(opened, 1), f"{opened.url}amendments/", url(opened, paragraph)]
    client.force_login(editor)
    pages.append(f"/admin/amendments/edit/{amendment.pk}/")
    for address in pages:
        html = client.get(address).content.decode()
        main = html.split("<main", 1)[-1]
        for dangerous in ("<script>alert", "<img src=x", "<svg onload", "<iframe src=//evil"):
            assert dangerous not in main, (address, dangerous)
        assert 'href="javascript' not in main, address
        assert "{% debug %}" not in payload or "<pre>" not in main  # never evaluated


def test_links_in_rationale_and_answer_are_marked_as_user_generated(client, opened, paragraph):
    propose(paragraph, make_citizen(), rationale="Voir https://exemple.fr/etude")
    html = client.get(amendment_url(opened, 1)).content.decode()
    assert 'href="https://exemple.fr/etude" rel="nofollow ugc noopener"' in html


def test_the_list_filters_sorts_and_paginates(client, opened, paragraph, editor):
    rows = list(Paragraph.objects.filter(iteration=opened).order_by("position"))
    authors = [make_citizen(f"a{n}", f"Auteur {n}") for n in range(3)]
    association = make_citizen("asso", "Association des Quais")
    association.author_type = "association"
    association.save()
    for n in range(24):
        propose(rows[n % len(rows)], authors[n % 3], kind="delete", rationale=f"Motif {n}")
    popular = propose(rows[-1], association, text="Texte soutenu", rationale="Très attendu")
    for author in authors:
        amendment_support(amendment=popular, by=author, value="agree")
    amendment_answer(amendment=popular, status="accepted", response="Bonne idée", by=editor)

    listing = f"{opened.url}amendments/"
    first = client.get(listing).content.decode()
    assert "25 amendements" in first
    assert first.index("Amendement n° 25") < first.index("Amendement n° 24")  # most supported
    assert "Page 1 sur 2" in first
    assert len(re.findall(r'class="card amendment-card"', first)) == 20
    second = client.get(listing + "?page=2").content.decode()
    assert len(re.findall(r'class="card amendment-card"', second)) == 5

    assert "1 amendement" in client.get(listing + "?status=accepted").content.decode()
    assert "1 amendement" in client.get(listing + "?kind=modify").content.decode()
    # An association counts as one once the team confirmed it.
    unconfirmed = client.get(listing + "?author_type=association").content.decode()
    assert '<p role="status">0 amendement</p>' in unconfirmed
    author_type_confirm(user=association, by=editor)
    assert "1 amendement" in client.get(listing + "?author_type=association").content.decode()
    last_article = rows[-1].article_number
    by_article = client.get(listing + f"?article={last_article}").content.decode()
    assert "Amendement n° 25" in by_article
    newest = client.get(listing + "?sort=newest&status=submitted").content.decode()
    assert newest.index("Amendement n° 24") < newest.index("Amendement n° 23")
    # Nonsense parameters are ignored, never an error.
    assert client.get(listing + "?article=x&status=<b>&sort=;drop&page=999").status_code == 200


def test_the_margin_shows_counts_and_statuses(client, opened, paragraph, editor):
    author = make_citizen()
    first = propose(paragraph, author)
    propose(paragraph, author, kind="delete")
    amendment_answer(amendment=first, status="rejected", response="Non retenu", by=editor)
    html = client.get(opened.url).content.decode()
    assert f'href="{opened.url}amendments/?paragraph={paragraph.key}">2 amendements' in html
    assert '<span class="badge badge--rejected">Rejeté (1)</span>' in html
    assert '<span class="badge badge--submitted">En attente de réponse (1)</span>' in html


@pytest.mark.parametrize("count", [5, 120])
def test_pages_cost_a_constant_number_of_queries(
    client, opened, paragraph, count, django_assert_max_num_queries
):
    rows = list(Paragraph.objects.filter(iteration=opened))
    authors = [make_citizen(f"a{n}", f"Auteur {n}") for n in range(4)]
    for n in range(count):
        amendment = propose(rows[n % len(rows)], authors[n % 4], kind="delete", rationale="M")
        amendment_support(amendment=amendment, by=authors[(n + 1) % 4], value="agree")
    client.get(opened.url)
    # +1 since the language switch looks up the nearest English page (a fixed query)
    with django_assert_max_num_queries(17):
        client.get(opened.url)
    # +1 since the language switch looks up the nearest English page (a fixed query); +1 for
    # the counts by origin and the workshops of the origin filter (one query, whatever the size)
    with django_assert_max_num_queries(18):
        client.get(f"{opened.url}amendments/")
    # +1 since the language switch looks up the nearest English page (a fixed query)
    with django_assert_max_num_queries(19):  # with its own discussion
        client.get(amendment_url(opened, 1))


def test_the_english_page_shows_the_same_amendment(client, opened, paragraph, english):
    from tests.charte.texts.test_public_pages import translate

    propose(paragraph, make_citizen())
    translated = translate(opened, english)
    html = client.get(amendment_url(translated, 1)).content.decode()
    assert "Amendment no. 1" in html and "Awaiting an answer" in html


def test_proposing_too_fast_is_slowed_down_with_the_text_kept(client, opened, paragraph, settings):
    settings.POST_RATE_LIMITS = "1/60"
    client.force_login(make_citizen())
    fields = {"kind": "delete", "rationale": "Inutile", "send": "1"}
    assert client.post(url(opened, paragraph, "amend/"), fields).status_code == 302
    again = client.post(
        url(opened, paragraph, "amend/"), {**fields, "rationale": "Un second motif"}
    )
    assert again.status_code == 429
    assert int(again["Retry-After"]) > 0
    html = again.content.decode()
    assert "Vous publiez trop vite" in html and "Un second motif" in html
    assert Amendment.objects.count() == 1


def test_every_problem_of_a_proposal_is_listed_at_once(client, opened, paragraph):
    """The wording unchanged and no rationale: both are said, each linked to its field, instead
    of one now and the other after the next try."""
    import re

    client.force_login(make_citizen())
    response = client.post(
        url(opened, paragraph, "amend/"),
        {"kind": "modify", "text": paragraph.text, "rationale": " ", "preview": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    summary = html.split("data-error-summary>", 1)[1].split("</div>", 1)[0]
    assert re.findall(r'<a href="#([^"]+)">', summary) == ["amendment-text", "amendment-rationale"]
    assert 'id="text-error">Votre rédaction est identique' in html
    assert 'id="rationale-error">Expliquez pourquoi' in html
    for field in ("amendment-text", "amendment-rationale"):
        tag = re.search(rf'<textarea id="{field}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
