"""Forms of the citizen's account: the profile asked at sign-up and edited afterwards."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import translation
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


class SignupForm(ProfileFields):
    """Extra fields of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = translation.get_language()

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
