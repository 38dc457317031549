"""facts the seeds state (founded, former names, figures, duration, programme frameworks),
roles, places hierarchy

Organisation terms change meaning: place terms are now place ids with every ancestor region
(``place``) instead of folded names per kind. The rows are rebuilt by the next
``hubguide kb import``, which every start of ``make run`` performs; the old rows are removed
here so that no stale term answers a query in between.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("former_names", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("founded", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("figures", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("programmes") as batch:
        batch.add_column(sa.Column("part_of_id", sa.String(length=120), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_programmes_part_of_id_programmes"),
            "programmes",
            ["part_of_id"],
            ["id"],
            initially="DEFERRED",
            deferrable=True,
        )
        batch.add_column(sa.Column("duration_years", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("figures", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("holder_id", sa.String(length=120), nullable=True),
        sa.Column("holder_text", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
    )
    op.create_index(op.f("ix_roles_record_id"), "roles", ["record_id"])
    op.create_index(op.f("ix_roles_holder_id"), "roles", ["holder_id"])
    op.create_table(
        "places",
        sa.Column("id", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("parent_id", sa.String(length=160), nullable=True),
        sa.Column("iso_code", sa.String(length=10), nullable=True),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["places.id"],
            name=op.f("fk_places_parent_id_places"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    op.create_index(op.f("ix_places_country"), "places", ["country"])
    op.create_index(op.f("ix_places_parent_id"), "places", ["parent_id"])
    op.execute("DELETE FROM organisation_terms WHERE kind IN ('region', 'municipality')")


def downgrade() -> None:
    op.drop_index(op.f("ix_places_parent_id"), table_name="places")
    op.drop_index(op.f("ix_places_country"), table_name="places")
    op.drop_table("places")
    op.drop_index(op.f("ix_roles_holder_id"), table_name="roles")
    op.drop_index(op.f("ix_roles_record_id"), table_name="roles")
    op.drop_table("roles")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("figures")
        batch.drop_column("duration_years")
        batch.drop_constraint("fk_programmes_part_of_id_programmes", type_="foreignkey")
        batch.drop_column("part_of_id")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("figures")
        batch.drop_column("founded")
        batch.drop_column("former_names")
