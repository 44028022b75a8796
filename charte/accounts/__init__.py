"""Citizens' and staff accounts: the user model and its profile (pseudonym, author type,
territory, language), sign-up forms, the profile page, « download my data » and « delete my
account » (``services``: the exporters and erasers other packages register in ``ready()``).

The territory is picked from the charters' lists (``charte.texts.pages.Territory``, offered
through ``forms.PROFILE_OPTIONS``) or typed as « other »; an author type that speaks for an
institution is shown as declared until the team confirms it (``admin_views.author_types``,
``services.author_type_confirm`` and ``author_type_refuse``, audited).
"""
