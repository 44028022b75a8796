"""The ground every concept stands on; imports nothing else of charte.

``exceptions`` (the one family of refusals, :class:`Refused`), ``guards`` (the one request
guard of a citizen's post: honeypot, rate limit, one post per click), ``throttle`` (posting
limits, the API's throttles), ``clientip`` (the client's address behind the trusted proxies),
``logs`` (request id, account and address on every log line), ``targets`` (the contract every
discussion target implements), ``rules`` (every permission, the one place that decides who may
do what) and ``roles`` (the staff groups' names), ``routing`` (page routes name their views by
dotted path), ``formatting``, ``diff`` (word-level differences), ``mail`` (the queued e-mail
backend), ``middleware`` (second factor for staff, content security policy), ``admin`` (the
permissions Wagtail's group editor offers).
"""
