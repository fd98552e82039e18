"""Looking after a node: setting it up, serving it, backups, the demo community.

Plain modules used by the ``dualpower`` command (cli.py); each function here expects Django to be
set up already, except where it says otherwise.
"""
