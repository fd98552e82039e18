"""The members' URLs: ``community`` (under /c/<community>/) and ``account`` (under /me/)."""
