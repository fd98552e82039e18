"""The posting path writes Transfer rows with raw SQL: its column list must follow the model."""

from __future__ import annotations

from dualpower.ledger.models import Transfer
from dualpower.ledger.services.posting import INSERT_COLUMNS


def test_the_posting_insert_names_every_column_of_a_transfer_but_its_id() -> None:
    # A field added to Transfer and forgotten here would be left to its database default by the
    # posting, and missing from the Transfer it returns: add it to INSERT_COLUMNS and to the row.
    columns = [str(f.column) for f in Transfer._meta.concrete_fields if not f.primary_key]
    assert sorted(INSERT_COLUMNS) == sorted(columns)
    assert len(set(INSERT_COLUMNS)) == len(INSERT_COLUMNS)


def test_the_posting_columns_are_the_models_attribute_names() -> None:
    # The Transfer the posting returns is filled in by these names (no Model.__init__).
    attnames = {f.column: f.attname for f in Transfer._meta.concrete_fields}
    assert all(attnames[column] == column for column in INSERT_COLUMNS)
