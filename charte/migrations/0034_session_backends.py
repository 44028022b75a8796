"""The open sessions move to the site's authentication backends (charte.accounts.backends,
which read the account with its role and its verified address): Django signs out a session
whose backend is no longer listed, so without this everyone signed in would be signed out once
by the upgrade. Going back restores the former paths."""

from django.db import migrations
from django.utils import timezone

BATCH = 1_000
BACKEND_KEY = "_auth_user_backend"  # django.contrib.auth.BACKEND_SESSION_KEY
MOVES = {
    "django.contrib.auth.backends.ModelBackend": "charte.accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "charte.accounts.backends.AuthenticationBackend"
    ),
}


def move(apps, moves):
    from django.contrib.sessions.backends.db import SessionStore

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    last = ""
    while True:
        sessions = list(
            Session.objects.filter(session_key__gt=last, expire_date__gt=timezone.now()).order_by(
                "session_key"
            )[:BATCH]
        )
        if not sessions:
            return
        changed = []
        for session in sessions:
            data = store.decode(session.session_data)
            if data.get(BACKEND_KEY) in moves:
                data[BACKEND_KEY] = moves[data[BACKEND_KEY]]
                session.session_data = store.encode(data)
                changed.append(session)
        Session.objects.bulk_update(changed, ["session_data"])
        last = sessions[-1].session_key


def forwards(apps, schema_editor):
    move(apps, MOVES)


def backwards(apps, schema_editor):
    move(apps, {new: old for old, new in MOVES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("charte", "0033_comment_html"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
