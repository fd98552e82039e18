"""The members' pages: one module per noun.

- ``applications``: applying to join, and deciding applications;
- ``people``: the member list, profiles and roles;
- ``account``: my account across communities (``/me/``: profiles, tokens, export, deletion);
- ``front``: the node's front page (``/``).
"""
