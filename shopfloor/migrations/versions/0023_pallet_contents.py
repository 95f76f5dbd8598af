"""Pallet contents and shipping by pallets: the quantity on each pallet, the shipment it
left on, and a voided pallet (its SSCC is never used again) with who voided it and why

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

import shopfloor.database  # noqa: F401

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('pallet', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=True))
        batch_op.add_column(sa.Column('shipment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('voided_at', shopfloor.database.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('voided_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('void_reason', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_pallet_shipment_id'), ['shipment_id'], unique=False)
        batch_op.create_check_constraint(op.f('ck_pallet_quantity'), 'quantity IS NULL OR quantity > 0')
        batch_op.create_foreign_key(batch_op.f('fk_pallet_shipment_id_shipment'), 'shipment', ['shipment_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_pallet_voided_by_user_account'), 'user_account', ['voided_by'], ['id'], ondelete='SET NULL')

def downgrade():
    with op.batch_alter_table('pallet', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_pallet_voided_by_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_pallet_shipment_id_shipment'), type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_pallet_quantity'), type_='check')
        batch_op.drop_index(batch_op.f('ix_pallet_shipment_id'))
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_by')
        batch_op.drop_column('voided_at')
        batch_op.drop_column('shipment_id')
        batch_op.drop_column('quantity')
