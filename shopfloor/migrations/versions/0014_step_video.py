"""A step's short film (video prompting), beside its photo

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('instruction_step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('video', sa.String(length=80), nullable=True))


def downgrade():
    with op.batch_alter_table('instruction_step', schema=None) as batch_op:
        batch_op.drop_column('video')
