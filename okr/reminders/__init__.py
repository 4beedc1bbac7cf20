"""Check-in reminders: who is reminded when, claimed and sent exactly once (pages, API, beat)."""
