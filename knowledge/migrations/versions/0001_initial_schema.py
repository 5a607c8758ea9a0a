"""initial schema: documents, passages, revisioned entries

Revision ID: 0001
Revises:
Create Date: 2026-12-01 12:43:34.288765

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("short", sa.String(length=200), nullable=False),
        sa.Column("publisher", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("code", name=op.f("uq_documents_code")),
    )
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("published_revision_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entries")),
        sa.UniqueConstraint("slug", name=op.f("uq_entries_slug")),
    )
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entries_topic"), ["topic"], unique=False)

    op.create_table(
        "external_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("short", sa.Text(), nullable=False),
        sa.Column("full", sa.Text(), nullable=False),
        sa.Column("needs_check", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_references")),
        sa.UniqueConstraint("key", name=op.f("uq_external_references_key")),
    )
    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(length=80), nullable=True),
        sa.Column("best_score", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unanswered_questions")),
    )
    with op.batch_alter_table("unanswered_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unanswered_questions_asked_at"), ["asked_at"], unique=False
        )

    op.create_table(
        "entry_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("review_status", sa.String(length=16), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("related", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entries.id"], name=op.f("fk_entry_revisions_entry_id_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_revisions")),
        sa.UniqueConstraint("entry_id", "number", name=op.f("uq_entry_revisions_entry_id")),
    )
    with op.batch_alter_table("entry_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_revisions_entry_id"), ["entry_id"], unique=False)
    # entries and entry_revisions point at each other: this key is added once both exist.
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_entries_published_revision", "entry_revisions", ["published_revision_id"], ["id"]
        )

    op.create_table(
        "passages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.Text(), nullable=True),
        sa.Column("paragraph", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_passages_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passages")),
        sa.UniqueConstraint("document_id", "paragraph", name=op.f("uq_passages_document_id")),
    )
    with op.batch_alter_table("passages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_passages_document_id"), ["document_id"], unique=False)

    op.create_table(
        "citations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=True),
        sa.Column("reference_id", sa.Integer(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["passage_id"], ["passages.id"], name=op.f("fk_citations_passage_id_passages")
        ),
        sa.ForeignKeyConstraint(
            ["reference_id"],
            ["external_references.id"],
            name=op.f("fk_citations_reference_id_external_references"),
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["entry_revisions.id"],
            name=op.f("fk_citations_revision_id_entry_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citations")),
    )
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citations_revision_id"), ["revision_id"], unique=False)

    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["entries.id"], name=op.f("fk_publications_entry_id_entries")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["entry_revisions.id"],
            name=op.f("fk_publications_revision_id_entry_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publications")),
    )
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publications_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "revision_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["entry_revisions.id"],
            name=op.f("fk_revision_texts_revision_id_entry_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision_texts")),
        sa.UniqueConstraint("revision_id", "language", name=op.f("uq_revision_texts_revision_id")),
    )
    with op.batch_alter_table("revision_texts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_revision_texts_revision_id"), ["revision_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_constraint("fk_entries_published_revision", type_="foreignkey")
    with op.batch_alter_table("revision_texts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revision_texts_revision_id"))

    op.drop_table("revision_texts")
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publications_entry_id"))

    op.drop_table("publications")
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citations_revision_id"))

    op.drop_table("citations")
    with op.batch_alter_table("passages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_passages_document_id"))

    op.drop_table("passages")
    with op.batch_alter_table("entry_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_revisions_entry_id"))

    op.drop_table("entry_revisions")
    with op.batch_alter_table("unanswered_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unanswered_questions_asked_at"))

    op.drop_table("unanswered_questions")
    op.drop_table("external_references")
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entries_topic"))

    op.drop_table("entries")
    op.drop_table("documents")
