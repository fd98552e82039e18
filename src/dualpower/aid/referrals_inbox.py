"""What aid referrals take from the federation inbox (``federation.handlers`` registry; imported
by registrations.py). Each handler runs in the inbox's transaction: a ``Refused`` stores nothing,
not even the activity's id.

- ``Offer(Referral)``: a peer refers a request to one of our communities;
- ``Accept(Offer(Referral))`` / ``Reject(Offer(Referral))``: the answer to our Offer of a referral;
- ``Update(Referral)``: the sealed details of a referral we accepted.
"""

from __future__ import annotations

from dualpower.aid.services import referrals
from dualpower.federation.handlers import Incoming, handler


@handler("Offer(Referral)")
def referral_offered(incoming: Incoming) -> None:
    referrals.referral_received(incoming)


@handler("Accept(Offer(Referral))")
def referral_accepted(incoming: Incoming) -> None:
    referrals.referral_accepted(incoming)


@handler("Reject(Offer(Referral))")
def referral_rejected(incoming: Incoming) -> None:
    referrals.referral_declined(incoming)


@handler("Update(Referral)")
def referral_details(incoming: Incoming) -> None:
    referrals.details_received(incoming)
