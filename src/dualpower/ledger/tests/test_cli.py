"""`dualpower ledger check` and `export`, called as the CLI calls them."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from dualpower.errors import InvalidInput
from dualpower.ledger import cli, services
from dualpower.ledger.models import Account
from dualpower.ledger.tests.factories import account_of, balances_set_by_hand

pytestmark = pytest.mark.django_db


def test_check_says_ok_with_counts(people: Any, roots: Any, capsys: Any) -> None:
    services.transfer_make(
        debit=account_of(people["member"], roots), credit=account_of(people["coordinator"], roots), amount=5
    )
    assert cli.main(["check"]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 currencies, 3 accounts, 1 transfers")


def test_check_lists_differences_and_exits_1(people: Any, roots: Any, capsys: Any) -> None:
    mara = account_of(people["member"], roots)
    services.transfer_make(debit=mara, credit=account_of(people["coordinator"], roots), amount=5)
    with balances_set_by_hand():
        Account.objects.filter(pk=mara.pk).update(balance=-4)
    assert cli.main(["check"]) == 1
    out = capsys.readouterr().out
    assert f"account {mara.pk}" in out and "transfers say -5" in out and "sum to 1" in out


def test_export_writes_every_transfer(people: Any, roots: Any, capsys: Any, tmp_path: Any) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    services.transfer_make(debit=mara, credit=cato, amount=5, description="a, b")
    assert cli.main(["export", "--currency", "roots"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][0] == "id" and rows[1][6] == "Mara" and rows[1][11] == "a, b"
    target = tmp_path / "out.csv"
    assert cli.main(["export", "--output", str(target)]) == 0
    assert len(target.read_text().splitlines()) == 2


def test_bad_arguments_are_invalid_input(roots: Any) -> None:
    with pytest.raises(InvalidInput):
        cli.main(["export", "--currency", "nope"])
    with pytest.raises(InvalidInput):
        cli.main(["frobnicate"])
