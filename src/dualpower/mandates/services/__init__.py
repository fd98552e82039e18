"""Every write about delegates and mandates, one module per noun: ``seats`` (seating, recall, term
ends), ``mandates`` (drafted, then put in force by a decision) and ``breach_records`` (votes
against a mandate, recorded by a clock job). Other apps and the views import from here.
"""

from dualpower.mandates.selectors import RECEIVING_KINDS, SEATED, breaches
from dualpower.mandates.services.breach_records import breaches_flag
from dualpower.mandates.services.mandates import NOTE_MAX, mandate_draft, mandate_set
from dualpower.mandates.services.seats import delegates_seat, seat_recall, seats_expire

__all__ = [
    "NOTE_MAX",
    "RECEIVING_KINDS",
    "SEATED",
    "breaches",
    "breaches_flag",
    "delegates_seat",
    "mandate_draft",
    "mandate_set",
    "seat_recall",
    "seats_expire",
]
