"""Django's PostgreSQL backend with a health check that needs no round trip on a quiet connection
(``base.DatabaseWrapper``); settings.py names it as the ENGINE when DATABASE_URL is PostgreSQL."""
