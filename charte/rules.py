"""Who may do what: every permission of the charte app is declared here (django-rules)."""

import rules


@rules.predicate
def can_publish_page(user, page):
    """Wagtail's own page permissions decide who runs an iteration's lifecycle."""
    if page is None or not user.is_authenticated:
        return False
    return page.permissions_for_user(user).can_publish()


rules.add_perm("charte.manage_iteration", rules.is_authenticated & can_publish_page)
