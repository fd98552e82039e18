"""What the ledger API reads and writes. Amounts are integers in the smallest unit (cents,
minutes); ``amount_text`` gives the same amount as people read it."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from dualpower.ledger.services import DESCRIPTION_MAX


class CurrencyOut(Schema):
    code: str
    name: str
    symbol: str
    kind: str
    decimals: int
    description: str
    default_lower_limit: int
    default_upper_limit: int
    lowest_lower_limit: int
    highest_upper_limit: int
    demurrage_basis_points: int
    invoice_days: int
    is_active: bool
    created_at: datetime


class CurrencyIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    code: str = Field("", max_length=30)
    kind: str = "mutual_credit"
    symbol: str = Field("", max_length=12)
    decimals: int = Field(2, strict=True)
    description: str = Field("", max_length=2000)
    default_lower_limit: int = Field(0, strict=True)
    default_upper_limit: int = Field(0, strict=True)
    lowest_lower_limit: int | None = Field(None, strict=True)
    highest_upper_limit: int | None = Field(None, strict=True)
    demurrage_basis_points: int = Field(0, strict=True)
    invoice_days: int = Field(14, strict=True)


class CurrencyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)
    symbol: str | None = Field(None, max_length=12)
    description: str | None = Field(None, max_length=2000)
    is_active: bool | None = Field(None, strict=True)
    default_lower_limit: int | None = Field(None, strict=True)
    default_upper_limit: int | None = Field(None, strict=True)
    lowest_lower_limit: int | None = Field(None, strict=True)
    highest_upper_limit: int | None = Field(None, strict=True)
    demurrage_basis_points: int | None = Field(None, strict=True)
    invoice_days: int | None = Field(None, strict=True)


class LedgerAccountOut(Schema):
    id: int
    currency: str = Field(..., alias="currency.code")
    owner_kind: str
    name: str
    balance: int
    pending_debits: int
    pending_credits: int
    lower_limit: int
    upper_limit: int
    available: int
    status: str
    balance_public: bool
    opened_at: datetime


class AccountPublicOut(Schema):
    """Another member's account, as a payer sees it: a name to pay, no balance."""

    id: int
    currency: str = Field(..., alias="currency.code")
    owner_kind: str
    name: str


class AccountOpenIn(Schema):
    currency: str


class LimitsIn(Schema):
    lower_limit: int = Field(..., strict=True)
    upper_limit: int = Field(..., strict=True)


class VisibilityIn(Schema):
    balance_public: bool = Field(..., strict=True)


class TransferIn(Schema):
    debit: int = Field(..., strict=True, description="The account paying (yours).")
    credit: int = Field(..., strict=True, description="The account receiving.")
    amount: int | str = Field(
        ...,
        description='An integer in the smallest unit (1250), or text as people write it ("12.50", "1:30").',
    )
    description: str = Field("", max_length=DESCRIPTION_MAX)


class LegIn(Schema):
    credit: int = Field(..., strict=True)
    amount: int | str
    description: str = Field("", max_length=DESCRIPTION_MAX)


class LinkedIn(Schema):
    debit: int = Field(..., strict=True, description="The account paying every leg (yours).")
    legs: list[LegIn] = Field(..., min_length=1, max_length=500)


class TransferOut(Schema):
    id: int
    currency: str = Field(..., alias="currency.code")
    debit: int = Field(..., alias="debit_id")
    credit: int = Field(..., alias="credit_id")
    amount: int
    kind: str
    description: str
    idempotency_key: str
    batch: str
    corrects: int | None = Field(None, alias="corrects_id")
    created_at: datetime


class CorrectionIn(Schema):
    reason: str = Field("", max_length=DESCRIPTION_MAX)


class InvoiceIn(Schema):
    payee: int = Field(..., strict=True, description="Your account, which is to be paid.")
    payer: int = Field(..., strict=True, description="The account asked to pay.")
    amount: int | str
    description: str = Field("", max_length=DESCRIPTION_MAX)


class InvoiceOut(Schema):
    id: int
    currency: str = Field(..., alias="currency.code")
    payer: int = Field(..., alias="payer_id")
    payer_name: str = Field(..., alias="payer.name")
    payee: int = Field(..., alias="payee_id")
    payee_name: str = Field(..., alias="payee.name")
    amount: int
    description: str
    status: str
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    transfer: int | None = Field(None, alias="transfer_id")


class StatementLineOut(Schema):
    transfer: int
    created_at: datetime
    amount: int
    balance: int
    other_account: int
    other_name: str
    description: str
    kind: str


class StatementOut(Schema):
    """A page of a statement, newest first: ``next`` is the address of the older transfers (None on
    the last page, which carries the ``opening`` balance before the period)."""

    items: list[StatementLineOut]
    next: str | None
    opening: int | None


class CurrencySummaryOut(Schema):
    currency: str
    accounts: int
    transfers: int
    volume: int
    volume_30_days: int
    distribution: list[dict[str, int]]
    public_balances: list[dict[str, str | int]]
