"""Dates and durations written the way people read them, in the active language.

French: « 12 mars 2027 à 18 h » or « à 18 h 30 »; English: "12 March 2027 at 6 pm".
Always in the server's time zone (Europe/Paris).
"""

from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, ngettext


def format_time(value):
    value = timezone.localtime(value)
    if (get_language() or "fr").startswith("fr"):
        if value.minute:
            return f"{value.hour} h {value.minute:02d}"
        return f"{value.hour} h"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute:
        return f"{hour}:{value.minute:02d} {suffix}"
    return f"{hour} {suffix}"


def format_date(value):
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    text = formats.date_format(value, "j F Y")
    if value.day == 1 and (get_language() or "fr").startswith("fr"):
        text = "1er" + text[1:]  # « 1er janvier 2027 »
    return text


def format_datetime(value):
    if value is None:
        return ""
    return gettext("%(date)s at %(time)s") % {
        "date": format_date(value),
        "time": format_time(value),
    }


def time_left(end, now=None):
    """« Plus que 12 jours » – how long a consultation still runs."""
    seconds = int((end - (now or timezone.now())).total_seconds())
    if seconds <= 0:
        return gettext("Ended")
    if seconds >= 2 * 86400:
        days = seconds // 86400
        return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}
    if seconds >= 3600:
        hours = seconds // 3600
        return ngettext("%(count)d hour left", "%(count)d hours left", hours) % {"count": hours}
    minutes = max(1, seconds // 60)
    return ngettext("%(count)d minute left", "%(count)d minutes left", minutes) % {"count": minutes}


CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\t")
CONTROL[127] = None


def typed_text(value) -> str:
    """What someone typed, without the invisible control characters a paste can carry (a NUL
    byte cannot even be stored by PostgreSQL); line breaks and tabs stay; trimmed."""
    return str(value or "").replace("\r\n", "\n").replace("\r", "\n").translate(CONTROL).strip()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value) -> str:
    """A cell that a spreadsheet would run as a formula is given a leading apostrophe (the
    exports of the admin and the open data)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
