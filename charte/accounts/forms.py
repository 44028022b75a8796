"""Forms of the citizen's account: the profile asked at sign-up and edited afterwards."""

from collections.abc import Callable

from django import forms
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from charte.accounts.models import AuthorType, ThreadEmails
from charte.core.pseudonyms import has_invisible, normalise, skeleton, unaccented_skeleton

# Words that would let an account pass for the authority or its staff.
RESERVED = (
    "maire",
    "mairie",
    "mayor",
    "moderat",
    "admin",
    "officiel",
    "official",
    "conseil municipal",
    "town council",
    "equipe communication",
    "compte supprime",
    "deleted account",
)


OTHER_TERRITORY = "other"

# What the profile offers that packages above accounts know, filled from AppConfig.ready():
# "territories" returns the charters' lists as [(charter title, [territory, …]), …].
PROFILE_OPTIONS = {}


class ProfileFields(forms.Form):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        min_length=3,
        max_length=40,
        help_text=_("The only name shown next to what you write. 3 to 40 characters."),
    )
    # A required list starts with an empty choice (HTML: a required select has a placeholder).
    author_type = forms.ChoiceField(
        label=_("You take part as"),
        choices=[("", _("Choose"))] + AuthorType.choices,
        initial=AuthorType.RESIDENT,
        help_text=_(
            "An elected member, a municipal agent, an association or a neighbourhood council is "
            "shown as declared until the team confirms it; changing it asks for a new "
            "confirmation."
        ),
    )
    # The territories of the charters' lists, filled in ``__init__`` (see ``territory_options``).
    territory_choice = forms.ChoiceField(
        label=_("Territory"),
        required=False,
        help_text=_("Your neighbourhood or town, if you wish to say it."),
    )
    territory = forms.CharField(
        label=_("Other territory"),
        max_length=120,
        required=False,
        help_text=_("If you chose « Other »: your neighbourhood or town, as you say it."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", _("Choose"))]
        + list(get_user_model()._meta.get_field("preferred_language").choices),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = PROFILE_OPTIONS["territories"]() if "territories" in PROFILE_OPTIONS else []
        self.listed = {str(t.pk): t for _charter, territories in groups for t in territories}
        if len(groups) == 1:
            listed = [(str(t.pk), t.name) for t in groups[0][1]]
        else:
            listed = [
                (charter, [(str(t.pk), t.name) for t in territories])
                for charter, territories in groups
            ]
        self.fields["territory_choice"].choices = [
            ("", _("Not given")),
            *listed,
            (OTHER_TERRITORY, _("Other")),
        ]

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("territory_choice")
        typed = (cleaned.get("territory") or "").strip()
        if not choice and typed:
            # Typed without choosing « Other » (or no list offered): what was typed counts.
            cleaned["territory_choice"] = choice = OTHER_TERRITORY
        if choice == OTHER_TERRITORY and not typed:
            self.add_error(
                "territory",
                _("Type your neighbourhood or town, or choose one from the list."),
            )
        return cleaned

    def clean_pseudonym(self):
        raw = self.cleaned_data["pseudonym"]
        if has_invisible(raw):
            raise forms.ValidationError(
                _(
                    "This pseudonym contains invisible or text-direction characters: type it "
                    "again with visible letters only."
                )
            )
        pseudonym = normalise(raw)
        folded = unaccented_skeleton(pseudonym)
        if any(unaccented_skeleton(word) in folded for word in RESERVED):
            raise forms.ValidationError(
                _(
                    "This pseudonym could be mistaken for the authority or its staff: choose "
                    "another."
                )
            )
        others = get_user_model().objects.filter(pseudonym_skeleton=skeleton(pseudonym))
        current = getattr(self, "user", None)
        if current is not None and current.pk:
            others = others.exclude(pk=current.pk)
        if others.exists():
            raise forms.ValidationError(_("This pseudonym is already taken: choose another."))
        return pseudonym

    def apply(self, user):
        for name in ("pseudonym", "preferred_language"):
            setattr(user, name, self.cleaned_data[name])
        # A new author type waits for the team's confirmation again (Invariant 4).
        user.set_author_type(self.cleaned_data["author_type"])
        choice = self.cleaned_data["territory_choice"]
        listed = self.listed.get(choice)
        user.listed_territory = listed
        user.territory = self.cleaned_data["territory"].strip() if choice == OTHER_TERRITORY else ""


# The addresses of the moderation rules and of the privacy notice in the reader's language (or
# None for a page the team has not chosen): the home app, which holds the institutional pages,
# fills it from its AppConfig.ready().
SIGNUP_PAGES: dict[str, Callable[[], dict[str, str | None]]] = {}


def consent_help() -> str:
    """The hint of the consent box: the moderation rules and the privacy notice, linked."""
    finder = SIGNUP_PAGES.get("addresses")
    pages = finder() if finder else {}
    rules, privacy = pages.get("moderation_rules"), pages.get("privacy_notice")
    rules_link = (
        format_html('<a href="{}">{}</a>', rules, gettext("moderation rules"))
        if rules
        else gettext("moderation rules")
    )
    privacy_link = (
        format_html('<a href="{}">{}</a>', privacy, gettext("privacy notice"))
        if privacy
        else gettext("privacy notice")
    )
    return format_html(
        gettext(
            "Read the {rules} (what may be published) and the {privacy} (what is done with "
            "your personal data)."
        ),
        rules=rules_link,
        privacy=privacy_link,
    )


class SignupForm(ProfileFields):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    accept_rules = forms.BooleanField(
        label=_("I accept the moderation rules"),
        error_messages={"required": _("Accept the moderation rules to create your account")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = translation.get_language()
        self.fields["accept_rules"].help_text = consent_help()

    def signup(self, request, user):
        self.apply(user)
        user.save()


class ProfileForm(ProfileFields):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "pseudonym": user.pseudonym,
                "author_type": user.author_type,
                "territory_choice": (
                    str(user.listed_territory_id)
                    if user.listed_territory_id
                    else (OTHER_TERRITORY if user.territory else "")
                ),
                "territory": "" if user.listed_territory_id else user.territory,
                "preferred_language": user.preferred_language,
            },
        )
        super().__init__(*args, **kwargs)
        kept = user.listed_territory
        if kept is not None and str(kept.pk) not in self.listed:
            # Its charter unpublished since: still theirs, offered until they choose another.
            self.listed[str(kept.pk)] = kept
            choices = self.fields["territory_choice"].choices
            self.fields["territory_choice"].choices = [
                *choices[:-1],
                (str(kept.pk), kept.name),
                choices[-1],
            ]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


class NotificationsForm(forms.Form):
    """How often someone is e-mailed about what they follow; the team's digest for the team."""

    thread_emails = forms.ChoiceField(
        label=_("E-mails about the discussions you follow"),
        widget=forms.RadioSelect,
        choices=ThreadEmails.choices,
    )
    team_digest = forms.BooleanField(
        label=_("Receive the team's daily digest"),
        required=False,
        help_text=_(
            "Every morning: the new amendments, the reports, and what still awaits an answer."
        ),
    )

    def __init__(self, data=None, *, user, team: bool):
        super().__init__(
            data,
            initial={"thread_emails": user.thread_emails, "team_digest": user.team_digest},
        )
        if not team:
            del self.fields["team_digest"]

    def apply(self, user) -> list[str]:
        """Copy the choices onto ``user``; the fields changed."""
        user.thread_emails = self.cleaned_data["thread_emails"]
        fields = ["thread_emails"]
        if "team_digest" in self.fields:
            user.team_digest = self.cleaned_data["team_digest"]
            fields.append("team_digest")
        return fields
