"""The tables of the store: documents, their sections, amounts, targets, assignments,
citations and checks; the agency catalog; ingestion runs and their file outcomes.

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 05:48:58.741826
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('catalog_id', sa.String(length=64), nullable=True),
    sa.Column('level', sa.String(length=32), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('name', name=op.f('uq_agencies_name'))
    )
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agencies_catalog_id'), ['catalog_id'], unique=False)

    op.create_table('cited_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('doc_type', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=96), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cited_documents')),
    sa.UniqueConstraint('key', name=op.f('uq_cited_documents_key'))
    )
    with op.batch_alter_table('cited_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cited_documents_number'), ['number'], unique=False)

    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('ocr', sa.Boolean(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.String(length=32), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('admin_level', sa.String(length=16), nullable=True),
    sa.Column('province', sa.String(length=64), nullable=True),
    sa.Column('district', sa.String(length=64), nullable=True),
    sa.Column('doc_number', sa.String(length=64), nullable=True),
    sa.Column('place', sa.String(length=64), nullable=True),
    sa.Column('issue_year', sa.Integer(), nullable=True),
    sa.Column('issue_month', sa.Integer(), nullable=True),
    sa.Column('issue_day', sa.Integer(), nullable=True),
    sa.Column('period_start', sa.Integer(), nullable=True),
    sa.Column('period_end', sa.Integer(), nullable=True),
    sa.Column('signer_name', sa.String(length=128), nullable=True),
    sa.Column('signer_title', sa.String(length=128), nullable=True),
    sa.Column('warnings', sa.JSON(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('pipeline_version', sa.String(length=32), nullable=False),
    sa.Column('extracted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('sha256', name=op.f('uq_documents_sha256'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_province'), ['province'], unique=False)

    op.create_table('ingestion_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('command', sa.String(length=64), nullable=False),
    sa.Column('pipeline_version', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('checks_raised', sa.Integer(), nullable=False),
    sa.Column('duration_seconds', sa.Double(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ingestion_runs'))
    )
    op.create_table('agency_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_agency_aliases_agency_id_agencies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_aliases')),
    sa.UniqueConstraint('agency_id', 'alias', name='uq_agency_aliases_agency_id_alias')
    )
    with op.batch_alter_table('agency_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_aliases_agency_id'), ['agency_id'], unique=False)

    op.create_table('checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('total', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('parts_sum', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('difference', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('spans', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_checks_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checks'))
    )
    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checks_document_id'), ['document_id'], unique=False)

    op.create_table('document_paths',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_paths_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_paths')),
    sa.UniqueConstraint('document_id', 'path', name='uq_document_paths_document_id_path')
    )
    with op.batch_alter_table('document_paths', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_paths_document_id'), ['document_id'], unique=False)

    op.create_table('file_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('error_type', sa.String(length=32), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('extract_seconds', sa.Double(), nullable=True),
    sa.Column('load_seconds', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_file_outcomes_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['ingestion_runs.id'], name=op.f('fk_file_outcomes_run_id_ingestion_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_outcomes'))
    )
    with op.batch_alter_table('file_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_file_outcomes_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_outcomes_sha256'), ['sha256'], unique=False)

    op.create_table('sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('sid', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=16), nullable=True),
    sa.Column('heading', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('page_first', sa.Integer(), nullable=True),
    sa.Column('page_last', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_sections_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['sections.id'], name=op.f('fk_sections_parent_id_sections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sections')),
    sa.UniqueConstraint('document_id', 'sid', name='uq_sections_document_id_sid')
    )
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sections_document_id'), ['document_id'], unique=False)

    op.create_table('amounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('value_million_vnd', sa.Numeric(precision=20, scale=6), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('component', sa.String(length=64), nullable=True),
    sa.Column('funding_source', sa.String(length=16), nullable=True),
    sa.Column('capital_type', sa.String(length=16), nullable=True),
    sa.Column('location', sa.String(length=128), nullable=True),
    sa.Column('per', sa.String(length=64), nullable=True),
    sa.Column('bound', sa.String(length=8), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_amounts_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_amounts_section_id_sections'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amounts'))
    )
    with op.batch_alter_table('amounts', schema=None) as batch_op:
        batch_op.create_index('ix_amounts_component', ['component'], unique=False)
        batch_op.create_index(batch_op.f('ix_amounts_document_id'), ['document_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('component', sa.String(length=64), nullable=True),
    sa.Column('task', sa.Text(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_assignments_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_assignments_section_id_sections'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_document_id'), ['document_id'], unique=False)

    op.create_table('legal_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('cited_document_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=True),
    sa.Column('number_as_written', sa.String(length=96), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('mentions', sa.Integer(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cited_document_id'], ['cited_documents.id'], name=op.f('fk_legal_references_cited_document_id_cited_documents')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_legal_references_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_legal_references_section_id_sections'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_references'))
    )
    with op.batch_alter_table('legal_references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_references_cited_document_id'), ['cited_document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_legal_references_document_id'), ['document_id'], unique=False)

    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=True),
    sa.Column('indicator', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=128), nullable=True),
    sa.Column('baseline', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('target', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('target_max', sa.Numeric(precision=20, scale=6), nullable=True),
    sa.Column('unit', sa.String(length=64), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('direction', sa.String(length=16), nullable=True),
    sa.Column('comparator', sa.String(length=8), nullable=True),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_targets_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['sections.id'], name=op.f('fk_targets_section_id_sections'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_targets_document_id'), ['document_id'], unique=False)

    op.create_table('assignment_agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_assignment_agencies_agency_id_agencies')),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignments.id'], name=op.f('fk_assignment_agencies_assignment_id_assignments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_agencies'))
    )
    with op.batch_alter_table('assignment_agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_agencies_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_agencies_assignment_id'), ['assignment_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('assignment_agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_agencies_assignment_id'))
        batch_op.drop_index(batch_op.f('ix_assignment_agencies_agency_id'))

    op.drop_table('assignment_agencies')
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_document_id'))

    op.drop_table('targets')
    with op.batch_alter_table('legal_references', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_references_document_id'))
        batch_op.drop_index(batch_op.f('ix_legal_references_cited_document_id'))

    op.drop_table('legal_references')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_document_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('amounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amounts_document_id'))
        batch_op.drop_index('ix_amounts_component')

    op.drop_table('amounts')
    with op.batch_alter_table('sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sections_document_id'))

    op.drop_table('sections')
    with op.batch_alter_table('file_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_file_outcomes_sha256'))
        batch_op.drop_index(batch_op.f('ix_file_outcomes_run_id'))

    op.drop_table('file_outcomes')
    with op.batch_alter_table('document_paths', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_paths_document_id'))

    op.drop_table('document_paths')
    with op.batch_alter_table('checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checks_document_id'))

    op.drop_table('checks')
    with op.batch_alter_table('agency_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_aliases_agency_id'))

    op.drop_table('agency_aliases')
    op.drop_table('ingestion_runs')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_province'))

    op.drop_table('documents')
    with op.batch_alter_table('cited_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cited_documents_number'))

    op.drop_table('cited_documents')
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agencies_catalog_id'))

    op.drop_table('agencies')

