"""Every write of the learn app, one module per part (import them directly):

- library.py: things, holds, loans, returns and deposits, and the clock's jobs;
- learning.py: offerings, sessions, enrolment and waitlist, attendance, readings, completion.
"""
