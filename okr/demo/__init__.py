"""DPAB's story for `manage.py load_demo`: ``specs`` and ``texts`` (what it says, verbatim),
``story`` (where it stands on a given day), ``okrs`` and ``history`` (what they write)."""
