"""Money pages: parse → check rule → call service → template. Every form works without JavaScript.

One module per noun: currencies.py (the money home and a currency), accounts.py (opening, paying,
asking to be paid, the statement), invoices.py (payment requests), admin.py (coordinators:
currencies' policy and account limits); _common.py holds what they share.
"""
