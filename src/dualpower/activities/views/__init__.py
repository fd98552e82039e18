"""The activities' pages, one module per noun: activities (dates, places, sign-ups), series and
trust roles. Modules import each other directly (shared helpers are in _common.py), never from
here."""
