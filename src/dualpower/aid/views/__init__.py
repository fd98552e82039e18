"""The aid network's pages, one module per noun: requests (and the steps of their matches),
offers, the public summary, and the dispatchers' pages. Modules import each other directly
(shared helpers are in _common.py), never from here."""
