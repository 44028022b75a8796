"""Forms of the citizen's account: the profile asked at sign-up and edited afterwards."""

from collections.abc import Callable

from django import forms
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from charte.accounts.models import AuthorType
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
    )
    territory = forms.CharField(
        label=_("Territory"),
        max_length=120,
        required=False,
        help_text=_("Your neighbourhood or town, if you wish to say it."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[("", _("Choose"))]
        + list(get_user_model()._meta.get_field("preferred_language").choices),
    )

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
        for name in ("pseudonym", "author_type", "territory", "preferred_language"):
            setattr(user, name, self.cleaned_data[name])


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
                "territory": user.territory,
                "preferred_language": user.preferred_language,
            },
        )
        super().__init__(*args, **kwargs)


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
