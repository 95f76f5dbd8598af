"""Garment returns intake by scanning: EAN, the partner's order number, tracking and the
consumer's complaint date; parcels set aside without a return number; repair instructions per
defect and the repair and re-inspection of each item

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import shopfloor.database  # noqa: F401

STATUS_BEFORE = "status IN ('received', 'awaiting_decision', 'decided')"
STATUS_NOW = "status IN ('set_aside', 'received', 'awaiting_decision', 'decided')"

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

def upgrade():
    op.create_table('repair_instruction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('defect_code', sa.String(length=10), nullable=False),
    sa.Column('instruction_id', sa.Integer(), nullable=False),
    sa.Column('created_at', shopfloor.database.UTCDateTime(), nullable=False),
    sa.Column('updated_at', shopfloor.database.UTCDateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instruction_id'], ['instruction.id'], name=op.f('fk_repair_instruction_instruction_id_instruction'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repair_instruction')),
    sa.UniqueConstraint('defect_code', name=op.f('uq_repair_instruction_defect_code'))
    )
    with op.batch_alter_table('repair_instruction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_repair_instruction_instruction_id'), ['instruction_id'], unique=False)

    with op.batch_alter_table('returned_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ean', sa.String(length=14), server_default='', nullable=False))
        batch_op.add_column(sa.Column('order_no', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('tracking_no', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('complaint_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('repaired_at', shopfloor.database.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('repaired_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('repair_version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reinspection_note', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_returned_item_repaired_by_worker'), 'worker', ['repaired_by'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_returned_item_repair_version_id_instruction_version'), 'instruction_version', ['repair_version_id'], ['id'], ondelete='SET NULL')
        batch_op.drop_constraint(op.f('ck_returned_item_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_returned_item_status'), STATUS_NOW)

def downgrade():
    item = sa.table("returned_item", sa.column("status", sa.String))
    op.execute(item.update().where(item.c.status == "set_aside").values(status="received"))
    with op.batch_alter_table('returned_item', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_returned_item_status'), type_='check')
        batch_op.create_check_constraint(op.f('ck_returned_item_status'), STATUS_BEFORE)
        batch_op.drop_constraint(batch_op.f('fk_returned_item_repair_version_id_instruction_version'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_returned_item_repaired_by_worker'), type_='foreignkey')
        batch_op.drop_column('reinspection_note')
        batch_op.drop_column('repair_version_id')
        batch_op.drop_column('repaired_by')
        batch_op.drop_column('repaired_at')
        batch_op.drop_column('complaint_on')
        batch_op.drop_column('tracking_no')
        batch_op.drop_column('order_no')
        batch_op.drop_column('ean')

    with op.batch_alter_table('repair_instruction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_repair_instruction_instruction_id'))

    op.drop_table('repair_instruction')
