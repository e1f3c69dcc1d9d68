"""The case log (issue 18): a complaint followed from the first mail to the thank-you.

- ``hours``: the business calendar (working hours, days, Japanese holidays, time zone).
- ``due``: the machine-readable due times of playbook steps (``due:``) and their times.
- ``flow``: which step is next and when it is due, from a playbook's steps as plain data.
- ``store``: the log itself, SQLite or PostgreSQL behind one small interface.

Nothing here imports sqlite3 or psycopg until a log is opened.
"""
