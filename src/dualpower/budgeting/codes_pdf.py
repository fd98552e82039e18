"""The voting codes sheet: a PDF of cut-out slips, one code each, with where to vote.

Made once, when the codes are issued (only their hashes are kept), so print it then.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from fpdf import FPDF

from dualpower.budgeting.models import Cycle

COLUMNS, ROWS = 2, 6


def _latin(text: str) -> str:
    # The PDF core fonts are Latin-1 only; anything else is replaced rather than failing.
    return text.encode("latin-1", "replace").decode("latin-1")


def codes_pdf(cycle: Cycle, codes: Sequence[str], booth_url: str) -> bytes:
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    width, height = 210 / COLUMNS, 297 / ROWS
    for i, code in enumerate(codes):
        if i % (COLUMNS * ROWS) == 0:
            pdf.add_page()
        slot = i % (COLUMNS * ROWS)
        x, y = (slot % COLUMNS) * width, (slot // COLUMNS) * height
        pdf.rect(x + 3, y + 3, width - 6, height - 6)
        pdf.set_xy(x + 7, y + 8)
        pdf.set_font("Helvetica", "B", 11)
        pdf.multi_cell(width - 14, 5, _latin(cycle.title))
        pdf.set_xy(x + 7, y + 20)
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(width - 14, 4, _latin(_("Your one-time voting code:")))
        pdf.set_xy(x + 7, y + 26)
        pdf.set_font("Courier", "B", 16)
        pdf.cell(width - 14, 8, " ".join([code[:5], code[5:]]))
        pdf.set_xy(x + 7, y + 36)
        pdf.set_font("Helvetica", "", 8)
        pdf.multi_cell(
            width - 14,
            4,
            _latin(_("Vote at the booth or at %(url)s. The code works once.") % {"url": booth_url}),
        )
    return bytes(pdf.output())
