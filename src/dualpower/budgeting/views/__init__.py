"""The budgeting pages, one module per noun: cycles, ideas and proposals, ballots (online, booth,
paper, codes) and results (with recount files, implementation and import). Modules import each
other directly (shared helpers are in _common.py), never from here."""
