"""The synthesis counts participants by the charter's list of territories, and institutional
author types as such only once the team confirmed them."""

import pytest
from django.utils import translation

from charte.accounts.services import author_type_confirm
from charte.discussions.services import comment_post
from charte.models import Paragraph, Territory
from charte.publications.synthesis import figures
from charte.texts import services
from tests.charte.discussions.test_comments import make_citizen

pytestmark = pytest.mark.django_db


def listed(charter, *names):
    """The charter's list, as the team writes it in the charter's admin (an InlinePanel)."""
    for name in names:
        charter.territories.add(Territory(name=name))
    charter.save_revision().publish()
    return {t.name: t for t in Territory.objects.filter(charter=charter)}


def bars(items):
    return {bar.label: bar.value for bar in items}


def test_a_resident_of_le_port_picked_from_the_list_is_counted_once_with_le_port_typed(
    charter, opened, editor
):
    # Typed before the lists existed, in another case and with stray spaces.
    legacy = make_citizen("ancien", "Ancien du Port")
    legacy.territory = " le  port "
    legacy.save()
    places = listed(charter, "Centre-bourg", "Le Port")
    picked = make_citizen("lea", "Léa")
    picked.listed_territory = places["Le Port"]
    picked.save()
    # Two answers typed as « other », spelled differently: one line.
    other = make_citizen("nina", "Nina")
    other.territory = "Hors commune"
    other.save()
    other_too = make_citizen("paul", "Paul")
    other_too.territory = "hors-commune"
    other_too.save()
    nowhere = make_citizen("zoe", "Zoé")
    row = Paragraph.objects.filter(iteration=opened).order_by("position").first()
    for person in (legacy, picked, other, other_too, nowhere):
        comment_post(paragraph=row, by=person, text=f"Un avis de {person.pseudonym}.")
        comment_post(paragraph=row, by=person, text="Et un deuxième, qui ne compte pas double.")
    services.iteration_close(iteration=opened, by=editor)
    opened.refresh_from_db()

    # The legacy answer was linked to the list when « Le Port » was added; its text is kept.
    legacy.refresh_from_db()
    assert (legacy.listed_territory, legacy.territory) == (places["Le Port"], " le  port ")
    numbers = figures(opened)
    assert numbers.participants == 5
    assert bars(numbers.by_territory) == {"Le Port": 2, "Hors commune": 2, "Non renseigné": 1}
    with translation.override("en"):
        assert bars(figures(opened).by_territory) == {
            "Le Port": 2,
            "Hors commune": 2,
            "Not given": 1,
        }


def test_a_typed_territory_unlinked_still_counts_under_the_listed_name(charter, opened, editor):
    """A profile typed after the list was written (no link made) still counts on its line."""
    places = listed(charter, "Le Port")
    picked = make_citizen("lea", "Léa")
    picked.listed_territory = places["Le Port"]
    picked.save()
    typed = make_citizen("ancien", "Ancien")
    typed.territory = "LE PÔRT"
    typed.save()
    row = Paragraph.objects.filter(iteration=opened).order_by("position").first()
    for person in (picked, typed):
        comment_post(paragraph=row, by=person, text="Un avis.")
    services.iteration_close(iteration=opened, by=editor)
    opened.refresh_from_db()
    assert bars(figures(opened).by_territory) == {"Le Port": 2}


def test_elected_members_count_as_such_once_confirmed(opened, editor):
    confirmed = make_citizen("elue", "Élue confirmée")
    declared = make_citizen("elu", "Élu déclaré")
    for person in (confirmed, declared):
        person.author_type = "elected_member"
        person.save()
    author_type_confirm(user=confirmed, by=editor)
    row = Paragraph.objects.filter(iteration=opened).order_by("position").first()
    for person in (confirmed, declared):
        comment_post(paragraph=row, by=person, text="Un avis.")
    services.iteration_close(iteration=opened, by=editor)
    opened.refresh_from_db()
    assert bars(figures(opened).by_author_type) == {
        "Élu ou élue": 1,
        "Élu ou élue (déclaration non confirmée)": 1,
    }
    with translation.override("en"):
        assert bars(figures(opened).by_author_type) == {
            "Elected member": 1,
            "Elected member (declared, not confirmed)": 1,
        }
