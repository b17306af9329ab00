"""Plain objects between the report parser and the RDF mapping (no rdflib here)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .frdates import FrDate
from .gazetteer import Body

Span = tuple[int, int]  # 1-based first and last line in the source report


@dataclass
class Agent:
    """Who did something: a known body, a named organization, a person or a group."""

    label: str
    body: Body | None = None          # official body, when the gazetteer knows it
    kind: str = "organization"        # organization, vendor, person, group
    surface: set[str] = field(default_factory=set)  # how the report names it
    candidates: tuple[Body, ...] = ()  # official bodies an ambiguous name may denote
    within: str = ""                   # a person's organization (key), when the report says

    @property
    def key(self) -> str:
        from .text import slug
        if self.body is not None:
            return self.body.key
        if self.kind == "person" and self.within:
            return f"person-{self.within}-{slug(self.label)}"
        if self.candidates:                # one IRI per ambiguous name, whatever the prefix
            return f"ambiguous-{self.candidates[0].kind}-{slug(self.candidates[0].name)}"
        return f"{self.kind}-{slug(self.label)}"


@dataclass
class Figure:
    value: int
    unit: str
    text: str


@dataclass
class Milestone:
    date: FrDate
    text: str
    planned: bool
    span: Span


@dataclass
class Response:
    text: str
    stances: list[str]                # notations of club:Stance individuals
    alternative: str | None
    span: Span
    tools: list[str] = field(default_factory=list)


@dataclass
class Request:
    kind: str                         # FeatureRequest, PlannedEvolution, SharingOffer, CallForProposals
    text: str
    raisers: list[Agent]
    span: Span
    session: str | None = None
    tools: list[str] = field(default_factory=list)        # tool concept ids
    topics: list[tuple[str, str, str]] = field(default_factory=list)  # (topic id, label, words)
    response: Response | None = None
    first_raised: FrDate | None = None
    raised_at_previous: bool = False  # "déjà évoqué lors de la dernière réunion"
    related: int | None = None        # index of a related request in Report.requests


@dataclass
class Card:
    """An organization's presentation card (descriptif + évolutions envisagées)."""

    agents: list[Agent]
    heading: str
    span: Span
    description: str = ""
    opening: FrDate | None = None
    opening_planned: bool = False
    portal_name: str | None = None
    milestones: list[Milestone] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    tools_used: list[str] = field(default_factory=list)
    evolutions: list[int] = field(default_factory=list)   # indexes in Report.requests


@dataclass
class Presentation:
    title: str
    span: Span
    speakers: list[Agent] = field(default_factory=list)
    presenter: Agent | None = None
    about: list[str] = field(default_factory=list)         # tool ids
    figures: list[Figure] = field(default_factory=list)
    session: str | None = None


@dataclass
class Session:
    title: str
    span: Span
    workshop: bool = False
    parent: str | None = None         # title of the session this one is part of


@dataclass
class Attachment:
    name: str
    span: Span
    size_text: str | None = None
    size_bytes: int | None = None
    date: FrDate | None = None
    creator: Agent | None = None


@dataclass
class Skipped:
    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Evidence:
    """Where the text says a fact and which stage and rule read it there; ``confidence`` is
    the rule's prior (``evidence.CONFIDENCE``), not a calibrated probability."""
    line: int
    quote: str
    stage: str                        # mentions, people, asks, answers, layout
    rule: str
    confidence: float


@dataclass(frozen=True)
class Claim:
    """One fact of the report with its evidence. ``kind``: attendee, mentioned (subject: an
    agent), affiliation (subject a person, object a body), request or answer (subject: the
    request's index in Report.requests)."""
    kind: str
    subject: "Agent | int"
    object: "Agent | None"
    evidence: Evidence


@dataclass
class Report:
    """Everything read from one meeting report."""

    title: str = ""
    ordinal: int | None = None
    date: FrDate | None = None
    venue: str | None = None
    venue_city: Agent | None = None
    host: Agent | None = None
    occasion: str | None = None
    attendance: str | None = None     # "online", "offline" or "mixed", when the text says
    vendor_named: bool = True         # the text names the vendor (else it is not an organizer)
    vendor: "Agent | None" = None     # another software's vendor, when the text names one instead
    sessions: list[Session] = field(default_factory=list)
    presentations: list[Presentation] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    referenced_meetings: list[FrDate] = field(default_factory=list)
    attendees: list[Agent] = field(default_factory=list)
    mentioned: list[Agent] = field(default_factory=list)      # named, not shown taking part
    evaluations: list[tuple[Agent, str]] = field(default_factory=list)   # (org, tool id)
    uses: list[tuple[Agent, str]] = field(default_factory=list)
    affiliations: list[tuple[Agent, Agent]] = field(default_factory=list)   # (person, organization)
    portals: list[Milestone] = field(default_factory=list)    # openings said in statements…
    portal_of: list[Agent] = field(default_factory=list)      # …and whose portal each is
    tools_mentioned: list[str] = field(default_factory=list)
    session_about: dict[str, list[str]] = field(default_factory=dict)    # session title -> tool ids
    new_tools: dict[str, str] = field(default_factory=dict)              # id -> label
    skipped: list[Skipped] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)       # the evidence of the facts above
    line_count: int = 0
