"""Reactions to signals the OKR core sends (okr/signals.py); connected in AlignmentConfig.ready()."""

from alignment import services


def on_check_in_recorded(sender, check_in, key_result, **kwargs):
    """A check-in on a team key result moves the strategic key result it adds into (direct links)."""
    services.contributions_after_check_in(key_result=key_result, at=check_in.created_at)
