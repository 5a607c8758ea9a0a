"""calculators: remittance price datasets, corridor costs, recruitment fee rules

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 15:40:00

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "remittance_datasets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_used", sa.Integer(), nullable=False),
        sa.Column("first_period", sa.String(length=7), nullable=False),
        sa.Column("last_period", sa.String(length=7), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("loaded_by", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittance_datasets")),
    )
    op.create_index(
        op.f("ix_remittance_datasets_active"), "remittance_datasets", ["active"], unique=False
    )
    op.create_table(
        "corridor_costs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("sending", sa.String(length=3), nullable=False),
        sa.Column("receiving", sa.String(length=3), nullable=False),
        sa.Column("average_cost", sa.Float(), nullable=False),
        sa.Column("providers", sa.Integer(), nullable=True),
        sa.Column("cheapest", sa.JSON(), nullable=True),
        sa.Column("by_type", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["remittance_datasets.id"],
            name=op.f("fk_corridor_costs_dataset_id_remittance_datasets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corridor_costs")),
        sa.UniqueConstraint(
            "dataset_id",
            "sending",
            "receiving",
            "period",
            name=op.f("uq_corridor_costs_dataset_id"),
        ),
    )
    op.create_index(
        op.f("ix_corridor_costs_dataset_id"), "corridor_costs", ["dataset_id"], unique=False
    )
    op.create_index(
        "ix_corridor_costs_corridor", "corridor_costs", ["sending", "receiving"], unique=False
    )
    op.create_table(
        "fee_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("jurisdiction", sa.String(length=3), nullable=False),
        sa.Column("origins", sa.JSON(), nullable=True),
        sa.Column("destinations", sa.JSON(), nullable=True),
        sa.Column("jobs", sa.JSON(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.String(length=32), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("months", sa.Float(), nullable=True),
        sa.Column("share", sa.Float(), nullable=True),
        sa.Column("condition", sa.String(length=80), nullable=True),
        sa.Column("note", sa.String(length=80), nullable=True),
        sa.Column("reference_key", sa.String(length=80), nullable=False),
        sa.Column("authority", sa.Text(), nullable=False),
        sa.Column("review_status", sa.String(length=16), nullable=False),
        sa.Column("last_reviewed", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_rules")),
        sa.UniqueConstraint("key", name=op.f("uq_fee_rules_key")),
    )


def downgrade() -> None:
    op.drop_table("fee_rules")
    op.drop_index("ix_corridor_costs_corridor", table_name="corridor_costs")
    op.drop_index(op.f("ix_corridor_costs_dataset_id"), table_name="corridor_costs")
    op.drop_table("corridor_costs")
    op.drop_index(op.f("ix_remittance_datasets_active"), table_name="remittance_datasets")
    op.drop_table("remittance_datasets")
