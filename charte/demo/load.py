"""Read the demo's content from its data files (``data/*.toml``) and check it.

The files hold everything the demo shows: the accounts, the home page, the charter, its two
iterations in French and English, the contributions of both consultations, a debate, and the
workshops and paper register with what was entered from them. They are
plain TOML, read with the standard library. A malformed file raises ``DemoDataError``, whose
message names the file and the key at fault, before anything is written to the database.
"""

import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NotRequired, TypedDict

from charte.accounts.models import AuthorType
from charte.amendments.models import AmendmentKind, AmendmentStatus, SupportValue
from charte.core import roles
from charte.debates.models import PositionValue, Side
from charte.workshops.models import Audience, WorkshopKind

DATA = Path(__file__).resolve().parent / "data"

# The roles an account of accounts.toml may have, by the name the file gives them.
ROLES = {
    "communication_team": roles.COMMUNICATION_TEAM,
    "moderators": roles.MODERATORS,
    "council_members": roles.COUNCIL_MEMBERS,
    "facilitators": roles.FACILITATORS,
}


class DemoDataError(ValueError):
    """A demo data file is missing or malformed; the message names the file and the key."""


class Bilingual(TypedDict):
    fr: str
    en: str


class Home(TypedDict):
    title: Bilingual
    introduction: Bilingual


class Phase(TypedDict):
    title: Bilingual
    start: int  # days from today
    end: int
    description: Bilingual


class Charter(TypedDict):
    slug: Bilingual
    title: Bilingual
    introduction: Bilingual
    territory: Bilingual
    territories: list[str]
    contact_name: Bilingual
    contact_email: str
    contact_details: Bilingual
    phases: list[Phase]


class ParagraphText(TypedDict):
    key: str
    fr: str
    en: str


class Article(TypedDict):
    key: str
    title: Bilingual
    paragraphs: list[ParagraphText]


class Section(TypedDict):
    key: str
    title: Bilingual
    articles: list[Article]


class Iteration(TypedDict):
    label: Bilingual
    summary: Bilingual
    sections: list[Section]


class AmendmentSpec(TypedDict):
    paragraph: str
    kind: str
    author: str
    day: int
    text: NotRequired[str]
    rationale: str
    supports: list[tuple[str, str]]  # (username, support value)
    status: NotRequired[str]
    response: NotRequired[str]


class CommentSpec(TypedDict):
    paragraph: str
    author: str
    day: int
    reply_to: NotRequired[int]  # index of the comment answered, in the same list
    text: str


class Debate(TypedDict):
    slug: Bilingual
    title: Bilingual
    question: Bilingual
    context: Bilingual
    opens: int
    closes: int
    article_of: str  # a paragraph key of iteration 2: the debate is about its article


class ArgumentSpec(TypedDict):
    side: str
    author: str
    day: int
    title: str
    text: str
    supports: list[str]


class ArgumentCommentSpec(TypedDict):
    argument: int  # index in the debate's arguments
    author: str
    day: int
    reply_to: NotRequired[int]
    text: str


class WorkshopAmendmentSpec(TypedDict):
    paragraph: str
    kind: str
    day: int
    text: NotRequired[str]
    rationale: str
    status: str
    response: str


class WorkshopCommentSpec(TypedDict):
    paragraph: str
    day: int
    text: str


class WorkshopSpec(TypedDict):
    kind: str
    title: str
    iteration: int  # 1 or 2
    day: int  # from today
    hour: int
    end_day: NotRequired[int]
    end_hour: NotRequired[int]
    place: str
    audience: str
    participants: NotRequired[int]
    facilitated_by: str
    facilitators: list[str]  # usernames of facilitators' accounts
    report: NotRequired[str]
    amendments: list[WorkshopAmendmentSpec]  # answered (on iteration 1)
    comments: list[WorkshopCommentSpec]


@dataclass(frozen=True)
class Account:
    username: str
    first_name: str
    last_name: str
    group: str | None  # the role's group name; None for a citizen
    password: str  # development only
    pseudonym: str
    author_type: str
    territory: str | None = None  # a neighbourhood of the charter's list, or typed
    confirmed: bool = False  # the team confirmed the institutional author type


@dataclass(frozen=True)
class Accounts:
    accounts: tuple[Account, ...]
    totp_secret: str  # development only: the staff accounts' two-factor secret
    territory: str

    @property
    def editor(self) -> Account:
        """The account that writes the demo's pages (the first of the communication team)."""
        return next(a for a in self.accounts if a.group == roles.COMMUNICATION_TEAM)


@dataclass(frozen=True)
class Demo:
    accounts: Accounts
    authority: Bilingual
    home: Home
    charter: Charter
    v1: Iteration
    v2: Iteration
    amendments_v1: list[AmendmentSpec]  # answered
    comments_v1: list[CommentSpec]
    amendments_v2: list[AmendmentSpec]  # awaiting their answer
    comments_v2: list[CommentSpec]
    debate: Debate
    debate_arguments: list[ArgumentSpec]
    debate_comments: list[ArgumentCommentSpec]
    debate_positions: list[tuple[str, str]]  # (username, position value)
    workshops: list[WorkshopSpec]


class _Table:
    """One TOML table being read: it knows its file and its place, for the error messages."""

    def __init__(self, file: Path, where: str, data: dict[str, Any]):
        self.file = file
        self.where = where
        self.data = data
        self.seen: set[str] = set()

    def place(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def error(self, key: str, message: str) -> DemoDataError:
        return DemoDataError(f"{self.file}: {self.place(key)}: {message}")

    def value(self, key: str, kind: type, name: str, *, optional: bool = False) -> Any:
        self.seen.add(key)
        if key not in self.data:
            if optional:
                return None
            raise self.error(key, "missing")
        value = self.data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(key, f"expected {name}, found {_describe(value)}")
        return value

    def text(
        self,
        key: str,
        *,
        optional: bool = False,
        among: Collection[str] | None = None,
        what: str = "",
    ) -> str:
        value = self.value(key, str, "a string", optional=optional)
        if value is None:
            return value
        if not value.strip():
            raise self.error(key, "empty")
        if among is not None and value not in among:
            raise self.error(key, f"{value!r} is not {what or _one_of(among)}")
        return value

    def integer(self, key: str, *, optional: bool = False, below: int | None = None) -> int:
        value = self.value(key, int, "an integer", optional=optional)
        if value is not None and below is not None and not 0 <= value < below:
            if below == 0:
                raise self.error(key, f"{value} is not the index of an earlier item: there is none")
            raise self.error(key, f"{value} is not an index from 0 to {below - 1}")
        return value

    def bilingual(self, key: str) -> Bilingual:
        table = self.table(key)
        texts = Bilingual(fr=table.text("fr"), en=table.text("en"))
        table.done()
        return texts

    def table(self, key: str) -> "_Table":
        return _Table(self.file, self.place(key), self.value(key, dict, "a table"))

    def tables(self, key: str, *, required: bool = True) -> list["_Table"]:
        items = self.value(key, list, "an array of tables", optional=not required) or []
        if required and not items:
            raise self.error(key, "empty")
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise self.error(f"{key}[{index}]", f"expected a table, found {_describe(item)}")
        return [
            _Table(self.file, f"{self.place(key)}[{index}]", item)
            for index, item in enumerate(items)
        ]

    def texts(self, key: str, *, among: Collection[str], what: str = "") -> list[str]:
        items = self.value(key, list, "an array of strings")
        for index, item in enumerate(items):
            if not isinstance(item, str) or item not in among:
                raise self.error(f"{key}[{index}]", f"{item!r} is not {what or _one_of(among)}")
        return list(items)

    def pairs(
        self, key: str, *, firsts: Collection[str], seconds: Collection[str], what: str
    ) -> list[tuple[str, str]]:
        items = self.value(key, list, "an array of [account, value] pairs")
        pairs = []
        for index, item in enumerate(items):
            place = f"{key}[{index}]"
            if not (isinstance(item, list) and len(item) == 2):
                raise self.error(place, f"expected an [account, value] pair, found {item!r}")
            first, second = item
            if first not in firsts:
                raise self.error(place, f"{first!r} is not {what}")
            if second not in seconds:
                raise self.error(place, f"{second!r} is not {_one_of(seconds)}")
            pairs.append((first, second))
        return pairs

    def done(self) -> None:
        """Refuse keys nobody reads: they are usually misspellings."""
        unknown = sorted(set(self.data) - self.seen)
        if unknown:
            raise self.error(unknown[0], "unknown key")


def _describe(value: Any) -> str:
    return {dict: "a table", list: "an array", str: "a string", bool: "a boolean"}.get(
        type(value), type(value).__name__
    )


def _one_of(values: Collection[str]) -> str:
    return "one of: " + ", ".join(values)


def _read(directory: Path, name: str) -> _Table:
    file = directory / name
    try:
        with file.open("rb") as stream:
            data = tomllib.load(stream)
    except FileNotFoundError:
        raise DemoDataError(f"{file}: missing file") from None
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{file}: not valid TOML: {error}") from None
    return _Table(file, "", data)


def load_accounts(*, directory: Path | None = None) -> Accounts:
    """The demo's accounts (accounts.toml), from ``directory`` (by default, ``DATA``)."""
    root = _read(directory or DATA, "accounts.toml")
    accounts = []
    for table in root.tables("accounts"):
        role = table.text("role", optional=True, among=ROLES)
        accounts.append(
            Account(
                username=table.text("username"),
                first_name=table.text("first_name"),
                last_name=table.text("last_name"),
                group=ROLES[role] if role else None,
                password=table.text("password"),
                pseudonym=table.text("pseudonym"),
                author_type=table.text("author_type", among=AuthorType.values),
                territory=table.text("territory", optional=True),
                confirmed=bool(table.value("confirmed", bool, "a boolean", optional=True)),
            )
        )
        table.done()
    usernames = [account.username for account in accounts]
    for index, username in enumerate(usernames):
        if username in usernames[:index]:
            raise root.error(f"accounts[{index}].username", f"{username!r} is already used")
    if roles.COMMUNICATION_TEAM not in {account.group for account in accounts}:
        raise root.error("accounts", "no account has the role communication_team")
    result = Accounts(
        accounts=tuple(accounts),
        totp_secret=root.text("totp_secret"),
        territory=root.text("territory"),
    )
    root.done()
    return result


def load(*, directory: Path | None = None) -> Demo:
    """Read and check every data file of the demo, in ``directory`` (by default, ``DATA``)."""
    directory = directory or DATA
    accounts = load_accounts(directory=directory)
    citizens = [account.username for account in accounts.accounts if account.group is None]

    home_file = _read(directory, "home.toml")
    home = Home(
        title=home_file.bilingual("title"), introduction=home_file.bilingual("introduction")
    )
    home_file.done()

    charter_file = _read(directory, "charter.toml")
    authority = charter_file.bilingual("authority")
    charter = _charter(charter_file)
    charter_file.done()

    v1 = _iteration(_read(directory, "iteration-1.toml"))
    v2 = _iteration(_read(directory, "iteration-2.toml"))
    v1_keys = _paragraph_keys(v1)
    v2_keys = _paragraph_keys(v2)
    people = {"among": citizens, "what": "a citizen account of accounts.toml"}

    first = _read(directory, "consultation-1.toml")
    amendments_v1 = [
        _amendment(table, keys=v1_keys, answered=True, next_keys=v2_keys, people=people)
        for table in first.tables("amendments", required=False)
    ]
    comments_v1 = _comments(first, target="iteration-1.toml", among=v1_keys, people=people)
    first.done()

    second = _read(directory, "consultation-2.toml")
    amendments_v2 = [
        _amendment(table, keys=v2_keys, answered=False, next_keys=(), people=people)
        for table in second.tables("amendments", required=False)
    ]
    comments_v2 = _comments(second, target="iteration-2.toml", among=v2_keys, people=people)
    second.done()

    debate_file = _read(directory, "debate.toml")
    debate = Debate(
        slug=debate_file.bilingual("slug"),
        title=debate_file.bilingual("title"),
        question=debate_file.bilingual("question"),
        context=debate_file.bilingual("context"),
        opens=debate_file.integer("opens"),
        closes=debate_file.integer("closes"),
        article_of=debate_file.text(
            "article_of", among=v2_keys, what="a paragraph key of iteration-2.toml"
        ),
    )
    arguments = []
    for table in debate_file.tables("arguments"):
        arguments.append(
            ArgumentSpec(
                side=table.text("side", among=Side.values),
                author=table.text("author", **people),
                day=table.integer("day"),
                title=table.text("title"),
                text=table.text("text"),
                supports=table.texts("supports", **people),
            )
        )
        table.done()
    debate_comments = _comments(
        debate_file, target="argument", among=range(len(arguments)), people=people
    )
    positions = debate_file.pairs(
        "positions", firsts=citizens, seconds=PositionValue.values, what=people["what"]
    )
    debate_file.done()

    facilitators = [a.username for a in accounts.accounts if a.group == roles.FACILITATORS]
    workshops_file = _read(directory, "workshops.toml")
    workshops = [
        _workshop(table, v1_keys=v1_keys, v2_keys=v2_keys, facilitators=facilitators)
        for table in workshops_file.tables("workshops", required=False)
    ]
    workshops_file.done()

    return Demo(
        accounts=accounts,
        authority=authority,
        home=home,
        charter=charter,
        v1=v1,
        v2=v2,
        amendments_v1=amendments_v1,
        comments_v1=comments_v1,
        amendments_v2=amendments_v2,
        comments_v2=comments_v2,
        debate=debate,
        debate_arguments=arguments,
        debate_comments=debate_comments,
        debate_positions=positions,
        workshops=workshops,
    )


def _charter(table: _Table) -> Charter:
    phases = []
    for item in table.tables("phases"):
        phase = Phase(
            title=item.bilingual("title"),
            start=item.integer("start"),
            end=item.integer("end"),
            description=item.bilingual("description"),
        )
        if phase["end"] < phase["start"]:
            raise item.error("end", "before start")
        item.done()
        phases.append(phase)
    return Charter(
        slug=table.bilingual("slug"),
        title=table.bilingual("title"),
        introduction=table.bilingual("introduction"),
        territory=table.bilingual("territory"),
        territories=_names(table, "territories"),
        contact_name=table.bilingual("contact_name"),
        contact_email=table.text("contact_email"),
        contact_details=table.bilingual("contact_details"),
        phases=phases,
    )


def _names(table: _Table, key: str) -> list[str]:
    items = table.value(key, list, "an array of strings")
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise table.error(f"{key}[{index}]", f"expected a name, found {item!r}")
        if item in items[:index]:
            raise table.error(f"{key}[{index}]", f"{item!r} is already listed")
    return list(items)


def _iteration(root: _Table) -> Iteration:
    """An iteration's text; every key (section, article, paragraph) is used once."""
    places: dict[str, str] = {}

    def key(table: _Table) -> str:
        value = table.text("key")
        if value in places:
            raise table.error("key", f"{value!r} is already used at {places[value]}")
        places[value] = table.where
        return value

    sections = []
    for section in root.tables("sections"):
        articles = []
        for article in section.tables("articles"):
            paragraphs = []
            for paragraph in article.tables("paragraphs"):
                paragraphs.append(
                    ParagraphText(
                        key=key(paragraph), fr=paragraph.text("fr"), en=paragraph.text("en")
                    )
                )
                paragraph.done()
            articles.append(
                Article(key=key(article), title=article.bilingual("title"), paragraphs=paragraphs)
            )
            article.done()
        sections.append(
            Section(key=key(section), title=section.bilingual("title"), articles=articles)
        )
        section.done()
    iteration = Iteration(
        label=root.bilingual("label"), summary=root.bilingual("summary"), sections=sections
    )
    root.done()
    return iteration


def _paragraph_keys(iteration: Iteration) -> list[str]:
    return [
        paragraph["key"]
        for section in iteration["sections"]
        for article in section["articles"]
        for paragraph in article["paragraphs"]
    ]


def _amendment(
    table: _Table,
    *,
    keys: list[str],
    answered: bool,
    next_keys: Collection[str],
    people: dict[str, Any],
) -> AmendmentSpec:
    iteration = "iteration-1.toml" if answered else "iteration-2.toml"
    spec = AmendmentSpec(
        paragraph=table.text("paragraph", among=keys, what=f"a paragraph key of {iteration}"),
        kind=table.text("kind", among=AmendmentKind.values),
        author=table.text("author", **people),
        day=table.integer("day"),
        rationale=table.text("rationale"),
        supports=table.pairs(
            "supports", firsts=people["among"], seconds=SupportValue.values, what=people["what"]
        ),
    )
    text = table.text("text", optional=True)
    if text is not None:
        spec["text"] = text
    if answered:
        answers = [s for s in AmendmentStatus.values if s != AmendmentStatus.SUBMITTED]
        spec["status"] = table.text("status", among=answers)
        spec["response"] = table.text("response")
        if spec["kind"] == AmendmentKind.MODIFY:
            # Its text is the next iteration's wording of the paragraph.
            if text is not None:
                raise table.error("text", "an answered new wording takes the next iteration's")
            if spec["paragraph"] not in next_keys:
                raise table.error("paragraph", "a new wording needs the paragraph in the next one")
    table.done()
    return spec


def _comments(
    root: _Table, *, target: str, among: Collection[Any], people: dict[str, Any]
) -> list[Any]:
    """The comments of a file, on the arguments (``target="argument"``) or on the paragraphs
    of the iteration file ``target``; each answers an earlier one of the same list, if any."""
    comments: list[Any] = []
    for index, table in enumerate(root.tables("comments", required=False)):
        if target == "argument":
            spec: dict[str, Any] = {"argument": table.integer("argument", below=len(among))}
        else:
            what = f"a paragraph key of {target}"
            spec = {"paragraph": table.text("paragraph", among=among, what=what)}
        spec["author"] = table.text("author", **people)
        spec["day"] = table.integer("day")
        reply_to = table.integer("reply_to", optional=True, below=index)
        if reply_to is not None:
            spec["reply_to"] = reply_to
        spec["text"] = table.text("text")
        table.done()
        comments.append(spec)
    return comments


def _workshop(
    table: _Table, *, v1_keys: list[str], v2_keys: list[str], facilitators: list[str]
) -> WorkshopSpec:
    """A workshop or register; its contributions are on iteration 1 (the closed consultation,
    answered), none on iteration 2, where the workshop is still to come."""
    iteration = table.integer("iteration")
    if iteration not in (1, 2):
        raise table.error("iteration", f"{iteration} is not 1 or 2")
    spec = WorkshopSpec(
        kind=table.text("kind", among=WorkshopKind.values),
        title=table.text("title"),
        iteration=iteration,
        day=table.integer("day"),
        hour=_hour(table, "hour"),
        place=table.text("place"),
        audience=table.text("audience", among=Audience.values),
        facilitated_by=table.text("facilitated_by"),
        facilitators=table.texts(
            "facilitators", among=facilitators, what="an account with the role facilitators"
        ),
        amendments=[],
        comments=[],
    )
    for key in ("end_day", "participants"):
        value = table.integer(key, optional=True)
        if value is not None:
            spec[key] = value
    end_hour = _hour(table, "end_hour", optional=True)
    if end_hour is not None:
        spec["end_hour"] = end_hour
    report = table.text("report", optional=True)
    if report is not None:
        spec["report"] = report
    keys = v1_keys if iteration == 1 else []
    what = "a paragraph key of iteration-1.toml (contributions are entered on iteration 1 only)"
    for item in table.tables("amendments", required=False):
        amendment = WorkshopAmendmentSpec(
            paragraph=item.text("paragraph", among=keys, what=what),
            kind=item.text("kind", among=AmendmentKind.values),
            day=item.integer("day"),
            rationale=item.text("rationale"),
            status=item.text(
                "status", among=[s for s in AmendmentStatus.values if s != "submitted"]
            ),
            response=item.text("response"),
        )
        text = item.text("text", optional=True)
        if amendment["kind"] == AmendmentKind.MODIFY:
            # Its text is the next iteration's wording of the paragraph.
            if text is not None:
                raise item.error("text", "an answered new wording takes the next iteration's")
            if amendment["paragraph"] not in v2_keys:
                raise item.error("paragraph", "a new wording needs the paragraph in the next one")
        elif text is not None:
            amendment["text"] = text
        item.done()
        spec["amendments"].append(amendment)
    for item in table.tables("comments", required=False):
        spec["comments"].append(
            WorkshopCommentSpec(
                paragraph=item.text("paragraph", among=keys, what=what),
                day=item.integer("day"),
                text=item.text("text"),
            )
        )
        item.done()
    table.done()
    return spec


def _hour(table: _Table, key: str, *, optional: bool = False) -> int | None:
    value = table.integer(key, optional=optional)
    if value is not None and not 0 <= value <= 23:
        raise table.error(key, f"{value} is not an hour from 0 to 23")
    return value
