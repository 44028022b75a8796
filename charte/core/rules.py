"""Who may do what: every permission rule of the charte app is decided here, and only here.

Two kinds of permission:

- abilities a group is granted in Wagtail's group editor: real Django permissions, declared on
  the models' ``Meta.permissions`` (answer amendments, moderate contributions, review the text)
  and read through Django's ModelBackend, so active superusers hold them all;
- rules about one object, registered with django-rules: who runs an iteration's lifecycle,
  which Wagtail's own page permissions decide (adoption included: it is part of publishing).

Other modules ask the predicates below (or ``user.has_perm`` with the names below); no group
name decides anything outside :mod:`charte.core.roles`.
"""

import rules
from wagtail.permission_policies.base import BasePermissionPolicy

ANSWER_AMENDMENT = "charte.answer_amendment"
VALIDATE_ANSWER = "charte.validate_answer"
MODERATE_CONTRIBUTION = "charte.moderate_contribution"
REVIEW_TEXT = "charte.review_text"
MANAGE_ITERATION = "charte.manage_iteration"
ENTER_WORKSHOP_CONTRIBUTION = "charte.enter_workshop_contribution"
CHANGE_WORKSHOP = "charte.change_workshop"
CHANGE_COMMITMENT = "charte.change_commitment"
ACCESS_ADMIN = "wagtailadmin.access_admin"

# The abilities Wagtail's group editor offers (see the ``register_permissions`` hook).
GRANTABLE = (
    ANSWER_AMENDMENT,
    VALIDATE_ANSWER,
    MODERATE_CONTRIBUTION,
    REVIEW_TEXT,
    ENTER_WORKSHOP_CONTRIBUTION,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def can_answer(user) -> bool:
    """Answer amendments (the admin inbox) and mark them integrated into the next version.
    Only its author corrects or withdraws an amendment (checked by the services)."""
    return user.has_perm(ANSWER_AMENDMENT)


def can_validate_answer(user) -> bool:
    """Publish an answer to an amendment: validate a draft the team wrote (its author and
    supporters are then told), answer directly, or correct a published answer. Those who only
    answer write drafts that await this validation."""
    return user.has_perm(VALIDATE_ANSWER)


def is_moderator(user) -> bool:
    """Hide and restore comments and arguments, decide on reports, block and unblock authors;
    a moderator's account cannot be blocked."""
    return user.has_perm(MODERATE_CONTRIBUTION)


def can_review(user) -> bool:
    """Open the council's review space of the final text and write its private notes."""
    return user.has_perm(REVIEW_TEXT)


def can_confirm_author_type(user) -> bool:
    """Confirm or refuse the author types that speak for an institution (elected member,
    municipal agent, association, neighbourhood council): the moderators, who already decide
    about accounts (blocking them)."""
    return user.is_authenticated and user.has_perm(MODERATE_CONTRIBUTION)


def can_facilitate(user) -> bool:
    """Enter what was said in workshops and paper registers (the « Animateur·rice » group):
    in those they are named facilitators of, or in all of them for those who also manage
    workshops (Wagtail's change permission on workshops, the communication team)."""
    return user.is_authenticated and user.has_perm(ENTER_WORKSHOP_CONTRIBUTION)


def can_manage_workshops(user) -> bool:
    """Create and edit every workshop and register, and enter contributions in any of them."""
    return user.is_authenticated and user.has_perm(CHANGE_WORKSHOP)


def can_enter_for(user, workshop) -> bool:
    """Enter contributions signed by ``workshop``: a facilitator named on it, or someone who
    manages workshops and holds the facilitator's permission."""
    if not can_facilitate(user):
        return False
    if can_manage_workshops(user):
        return True
    return workshop.facilitators.filter(pk=user.pk).exists()


def can_manage_follow_up(user) -> bool:
    """Record the commitments of an adopted charter, their updates and indicators, and the
    consultations' questionnaires (Wagtail's change permission on commitments: the
    communication team)."""
    return user.is_authenticated and user.has_perm(CHANGE_COMMITMENT)


def is_staff_account(user) -> bool:
    """Who must sign in with the second factor, in every session: Django staff and
    superusers, and anyone holding any permission at all, their own or through a group
    (Wagtail's ``access_admin``, the abilities above, translation, page or collection
    permissions): residents hold none. Group names decide nothing."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    cached = getattr(user, STAFF_ROLE_ATTRIBUTE, None)
    if cached is None:
        # The account signed in on a request is read with it (charte.accounts.backends); any
        # other costs one query.
        from django.contrib.auth import get_user_model

        cached = bool(
            get_user_model()
            .objects.filter(pk=user.pk)
            .annotate(role=holds_a_permission())
            .values_list("role", flat=True)
            .first()
        )
        setattr(user, STAFF_ROLE_ATTRIBUTE, cached)
    return cached


# Where an account read with its role keeps it (see :func:`is_staff_account`).
STAFF_ROLE_ATTRIBUTE = "_charte_staff_role"


def holds_a_permission():
    """Whether an account holds any permission, its own or through a group (a Django
    permission, a Wagtail page or collection permission): a boolean to annotate a query on the
    account model with.

    Written as four ``EXISTS``, one per way of holding a permission: PostgreSQL plans them in a
    fraction of a millisecond, where the same condition through the ORM's joins (one left join
    per relation, with an ``OR`` across them) took it a few milliseconds on every page."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    accounts = get_user_model()
    account = accounts._meta.db_table
    own = accounts.user_permissions.through._meta.db_table
    member = accounts.groups.through._meta.db_table
    by_group = [
        Group.permissions.through._meta.db_table,
        GroupPagePermission._meta.db_table,
        GroupCollectionPermission._meta.db_table,
    ]
    through_group = " OR ".join(
        f'EXISTS (SELECT 1 FROM "{table}" WHERE "{table}"."group_id" = "{member}"."group_id")'
        for table in by_group
    )
    return RawSQL(
        f'EXISTS (SELECT 1 FROM "{own}" WHERE "{own}"."user_id" = "{account}"."id") '
        f'OR EXISTS (SELECT 1 FROM "{member}" WHERE "{member}"."user_id" = "{account}"."id" '
        f"AND ({through_group}))",
        (),
        output_field=BooleanField(),
    )


def can_enter_admin(user) -> bool:
    """Open Wagtail's admin (``/admin/``); everyone else is shown why, not sent in circles."""
    return user.is_authenticated and user.has_perm(ACCESS_ADMIN)


def users_with_perm(perm):
    """The active accounts holding ``perm``, through a group or their own, and the active
    superusers."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.with_perm(perm, backend=MODEL_BACKEND)


def _permissions(perms):
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    wanted = Q()
    for perm in perms:
        app_label, codename = perm.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(wanted)


def grantable_permissions():
    """The Permission rows of :data:`GRANTABLE`, for Wagtail's group editor."""
    return _permissions(GRANTABLE)


class GrantedPermissionPolicy(BasePermissionPolicy):
    """A Wagtail viewset's policy: the holders of one permission may do ``actions``, nobody
    may do anything else (whatever the model's own add, change and delete permissions)."""

    def __init__(self, model, *, permission, actions):
        super().__init__(model)
        self.permission = permission
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and user.has_perm(self.permission)

    def users_with_any_permission(self, actions):
        if not self.actions & set(actions):
            from django.contrib.auth import get_user_model

            return get_user_model().objects.none()
        return users_with_perm(self.permission)


@rules.predicate
def can_publish_page(user, page):
    """Wagtail's own page permissions decide who runs an iteration's lifecycle."""
    if page is None or not user.is_authenticated:
        return False
    return page.permissions_for_user(user).can_publish()


rules.add_perm(MANAGE_ITERATION, rules.is_authenticated & can_publish_page)
