"""Citizens' and staff accounts: the user model and its profile (pseudonym, author type,
territory, language), sign-up forms, the profile page, « download my data » and « delete my
account » (``services``: the exporters and erasers other packages register in ``ready()``).
"""
