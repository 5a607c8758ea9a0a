"""The knowledge base's tables. Curated content is revisioned: an entry is a stable id and
a pointer to its published revision; every change is a new `EntryRevision` row with its
texts and citations, and nothing a user was ever shown is overwritten. Source documents and
their passages are what citations point at."""

import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

# Named constraints, so that migrations can refer to them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

TOPICS = (
    "rights",
    "legal_channels",
    "recruitment_fees",
    "remittances",
    "safety",
    "predeparture",
)
# Workflow of a revision: staff drafts are reviewed before they are published; publishing
# a revision supersedes the one that was live.
DRAFT, PUBLISHED, SUPERSEDED, REJECTED = "draft", "published", "superseded", "rejected"
# Whether a person checked the facts against the sources (independent of the workflow).
REVIEWED, UNREVIEWED = "reviewed", "unreviewed"


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class Document(Base):
    """One source document as ingested (knowledge/sources/documents)."""

    __tablename__ = "documents"

    id = Column(Integer, primary_key=True)
    code = Column(String(8), nullable=False, unique=True)
    title = Column(Text, nullable=False)
    reference = Column(Text, nullable=False)
    short = Column(String(200), nullable=False)
    publisher = Column(String(40), nullable=False)
    language = Column(String(8), nullable=False)
    file_name = Column(String(200), nullable=False)
    sha256 = Column(String(64), nullable=False)  # of the file and its parsed passages
    ingested_at = Column(DateTime, nullable=False, default=utcnow)

    passages = relationship(
        "Passage", back_populates="document", order_by="Passage.position", cascade="all"
    )


class Passage(Base):
    """A paragraph or a note of a document, labelled as the document numbers it."""

    __tablename__ = "passages"
    __table_args__ = (UniqueConstraint("document_id", "paragraph"),)

    id = Column(Integer, primary_key=True)
    document_id = Column(ForeignKey("documents.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    section = Column(Text)
    paragraph = Column(String(80), nullable=False)
    kind = Column(String(8), nullable=False)  # body | note
    text = Column(Text, nullable=False)

    document = relationship("Document", back_populates="passages")


class ExternalReference(Base):
    """An instrument or data source cited besides the documents (knowledge/references.yml)."""

    __tablename__ = "external_references"

    id = Column(Integer, primary_key=True)
    key = Column(String(80), nullable=False, unique=True)
    short = Column(Text, nullable=False)
    full = Column(Text, nullable=False)
    # A single secondary source or a country rule: entries citing it stay unreviewed.
    needs_check = Column(Boolean, nullable=False, default=False)


class Entry(Base):
    """What the bot answers from: a stable id and the revision that is live."""

    __tablename__ = "entries"

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), nullable=False, unique=True)
    topic = Column(String(40), nullable=False, index=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    published_revision_id = Column(
        ForeignKey("entry_revisions.id", use_alter=True, name="fk_entries_published_revision"),
        nullable=True,
    )
    # Raised by every change staff make (a draft saved, published, sent back, rolled
    # back): a save based on an older version is refused (optimistic locking).
    version = Column(Integer, nullable=False, default=1, server_default="1")

    revisions = relationship(
        "EntryRevision",
        back_populates="entry",
        foreign_keys="EntryRevision.entry_id",
        order_by="EntryRevision.number",
    )
    published_revision = relationship(
        "EntryRevision", foreign_keys=[published_revision_id], post_update=True
    )


class EntryRevision(Base):
    """One version of an entry's content; never edited once published."""

    __tablename__ = "entry_revisions"
    __table_args__ = (UniqueConstraint("entry_id", "number"),)

    id = Column(Integer, primary_key=True)
    entry_id = Column(ForeignKey("entries.id"), nullable=False, index=True)
    number = Column(Integer, nullable=False)
    status = Column(String(16), nullable=False, default=DRAFT)
    review_status = Column(String(16), nullable=False, default=UNREVIEWED)
    reviewer = Column(String(200))
    reviewed_on = Column(Date)
    countries = Column(JSON, nullable=False)  # ["all"] or ISO 3166-1 alpha-2 codes
    related = Column(JSON, nullable=False)  # slugs of entries worth offering next
    author = Column(String(200), nullable=False)
    origin = Column(String(200), nullable=False)  # "file:knowledge/entries/rights.yml", "staff"
    comment = Column(Text)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    published_at = Column(DateTime)

    entry = relationship("Entry", back_populates="revisions", foreign_keys=[entry_id])
    texts = relationship(
        "RevisionText", back_populates="revision", cascade="all", order_by="RevisionText.language"
    )
    citations = relationship(
        "Citation", back_populates="revision", cascade="all", order_by="Citation.position"
    )


class RevisionText(Base):
    """An entry revision in one language: button title, question phrasings, answer."""

    __tablename__ = "revision_texts"
    __table_args__ = (UniqueConstraint("revision_id", "language"),)

    id = Column(Integer, primary_key=True)
    revision_id = Column(ForeignKey("entry_revisions.id"), nullable=False, index=True)
    language = Column(String(8), nullable=False)
    title = Column(String(120), nullable=False)
    questions = Column(JSON, nullable=False)
    answer = Column(Text, nullable=False)

    revision = relationship("EntryRevision", back_populates="texts")


class Citation(Base):
    """Where a revision's facts come from: a passage of a document, or an external
    reference. The quote is what the curator cited, kept to re-check the passage."""

    __tablename__ = "citations"

    id = Column(Integer, primary_key=True)
    revision_id = Column(ForeignKey("entry_revisions.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    passage_id = Column(ForeignKey("passages.id"), nullable=True)
    reference_id = Column(ForeignKey("external_references.id"), nullable=True)
    quote = Column(Text)

    revision = relationship("EntryRevision", back_populates="citations")
    passage = relationship("Passage")
    reference = relationship("ExternalReference")


class Publication(Base):
    """Every time a revision went live. Its highest id is the knowledge base's version:
    the bot's index rebuilds when it changes."""

    __tablename__ = "publications"

    id = Column(Integer, primary_key=True)
    entry_id = Column(ForeignKey("entries.id"), nullable=False, index=True)
    revision_id = Column(ForeignKey("entry_revisions.id"), nullable=False)
    published_at = Column(DateTime, nullable=False, default=utcnow)
    published_by = Column(String(200), nullable=False)


class UnansweredQuestion(Base):
    """A question the bot could not answer, for staff. No user identifier is stored, and
    phone numbers and e-mail addresses are removed from the text before it is."""

    __tablename__ = "unanswered_questions"

    id = Column(Integer, primary_key=True)
    asked_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    language = Column(String(8), nullable=False)
    text = Column(Text, nullable=False)
    intent = Column(String(80))
    best_score = Column(Float)
    status = Column(String(16), nullable=False, default="new")  # new | done | dismissed


# --- the calculators' data ------------------------------------------------------------
CORRIDOR_AVERAGES, PROVIDER_PRICES = "corridor_averages", "provider_prices"


class RemittanceDataset(Base):
    """One imported file of World Bank remittance prices. Datasets are never edited: a new
    file is imported beside the old one and they are swapped in one transaction."""

    __tablename__ = "remittance_datasets"

    id = Column(Integer, primary_key=True)
    kind = Column(String(32), nullable=False)  # corridor_averages | provider_prices
    source = Column(Text, nullable=False)  # file name or URL
    sha256 = Column(String(64), nullable=False)
    rows_read = Column(Integer, nullable=False)
    rows_used = Column(Integer, nullable=False)
    first_period = Column(String(7), nullable=False)  # "2011-Q1"
    last_period = Column(String(7), nullable=False)
    report = Column(JSON, nullable=False)  # what the importer skipped and why
    loaded_at = Column(DateTime, nullable=False, default=utcnow)
    loaded_by = Column(String(200), nullable=False)
    active = Column(Boolean, nullable=False, default=False, index=True)


class CorridorCost(Base):
    """The cost of sending money from one country to another in one quarter, as a percent
    of the amount sent (fee + exchange-rate margin)."""

    __tablename__ = "corridor_costs"
    __table_args__ = (
        UniqueConstraint("dataset_id", "sending", "receiving", "period"),
        Index("ix_corridor_costs_corridor", "sending", "receiving"),
    )

    id = Column(Integer, primary_key=True)
    dataset_id = Column(ForeignKey("remittance_datasets.id"), nullable=False, index=True)
    period = Column(String(7), nullable=False)
    sending = Column(String(3), nullable=False)  # ISO 3166 alpha-3
    receiving = Column(String(3), nullable=False)
    average_cost = Column(Float, nullable=False)  # percent, e.g. 4.64
    providers = Column(Integer)  # services priced (provider-level data only)
    cheapest = Column(JSON)  # [{"firm", "type", "cost"}], provider-level data only
    by_type = Column(JSON)  # {"bank": 6.1, "mto": 4.2}, provider-level data only

    dataset = relationship("RemittanceDataset")


class FeeRule(Base):
    """What a recruiter may charge a worker under one country's rule (the data behind the
    fee checker, knowledge/fee_rules.yml). `jurisdiction` is the country whose rule it is;
    it applies to workers from `origins` going to `destinations` for `jobs` (NULL: any)."""

    __tablename__ = "fee_rules"

    id = Column(Integer, primary_key=True)
    key = Column(String(80), nullable=False, unique=True)
    jurisdiction = Column(String(3), nullable=False)
    origins = Column(JSON)
    destinations = Column(JSON)
    jobs = Column(JSON)
    kind = Column(String(16), nullable=False)  # zero | cap_amount | cap_months | wage_share
    amount = Column(String(32))  # cap_amount, a decimal number as text (exact everywhere)
    currency = Column(String(3))
    months = Column(Float)  # cap_months
    share = Column(Float)  # wage_share, 0.10 for 10 %
    condition = Column(String(80))  # names a response utter_fee_condition_<condition>
    note = Column(String(80))  # names a response utter_fee_note_<note>
    reference_key = Column(String(80), nullable=False)  # knowledge/references.yml
    authority = Column(Text, nullable=False)  # where to check licences and complain
    review_status = Column(String(16), nullable=False, default=UNREVIEWED)
    last_reviewed = Column(Date)
    active = Column(Boolean, nullable=False, default=True)
    version = Column(Integer, nullable=False, default=1)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    updated_by = Column(String(200), nullable=False)


# --- staff ------------------------------------------------------------------------------
EDITOR, REVIEWER, ADMIN = "editor", "reviewer", "admin"
ROLES = (EDITOR, REVIEWER, ADMIN)
# A draft sent back by a reviewer, to be edited again.
RETURNED = "returned"


class StaffAccount(Base):
    """Someone who keeps the answers right: an editor drafts, a reviewer also publishes,
    an admin also manages accounts. Passwords are stored as scrypt hashes only."""

    __tablename__ = "staff_accounts"

    id = Column(Integer, primary_key=True)
    username = Column(String(80), nullable=False, unique=True)
    display_name = Column(String(200), nullable=False)
    password_hash = Column(String(300), nullable=False)
    role = Column(String(16), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    failed_logins = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    last_login_at = Column(DateTime)


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its hash is stored."""

    __tablename__ = "staff_sessions"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    account_id = Column(ForeignKey("staff_accounts.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)

    account = relationship("StaffAccount")


class ApiToken(Base):
    """A token an integration sends as `Authorization: Bearer …`; only its hash is stored."""

    __tablename__ = "api_tokens"

    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    account_id = Column(ForeignKey("staff_accounts.id"), nullable=False, index=True)
    name = Column(String(200), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    revoked_at = Column(DateTime)

    account = relationship("StaffAccount")
