"""The check every test runs on its outbox finds « example.com » wherever an e-mail holds it."""

import pytest
from django.core.mail import EmailMultiAlternatives

from tests.mail_checks import example_com_leaks


def message(**overrides):
    fields = {
        "subject": "Bonjour",
        "body": "Texte",
        "from_email": "a@ville.fr",
        "to": ["b@ville.fr"],
    }
    fields.update(overrides)
    return EmailMultiAlternatives(**fields)


def test_a_clean_message_passes():
    assert example_com_leaks([message()]) == []


@pytest.mark.parametrize(
    "overrides",
    [
        {"subject": "[example.com] Confirmez"},
        {"body": "Merci d’utiliser Example.com !"},
        {"from_email": "webmaster@example.com"},
        {"reply_to": ["noreply@example.com"]},
        {"headers": {"List-Unsubscribe": "<https://example.com/stop/>"}},
    ],
)
def test_each_part_of_a_message_is_checked(overrides):
    assert len(example_com_leaks([message(**overrides)])) == 1


def test_the_html_alternative_is_checked():
    html = message()
    html.attach_alternative(
        '<p>Merci d’utiliser <a href="http://example.com/">le site</a></p>', "text/html"
    )
    assert len(example_com_leaks([html])) == 1
