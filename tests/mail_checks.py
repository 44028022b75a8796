"""What every test checks in the e-mails it sent (tests/conftest.py)."""


def example_com_leaks(messages) -> list[str]:
    """The parts of ``messages`` (subject, body, sender, recipients, headers, alternatives)
    that name example.com, the sites framework's placeholder domain."""
    leaks = []
    for message in messages:
        parts = [
            str(message.subject),
            str(message.body),
            str(message.from_email),
            *map(str, message.to),
            *map(str, message.cc),
            *map(str, message.reply_to),
            *(f"{name}: {value}" for name, value in (message.extra_headers or {}).items()),
            *(str(content) for content, _ in getattr(message, "alternatives", [])),
        ]
        leaks.extend(part for part in parts if "example.com" in part.lower())
    return leaks
