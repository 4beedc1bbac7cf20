"""Signals the OKR core sends, so apps above it (alignment) can react without okr importing them."""

from django.dispatch import Signal

# Sent inside the transaction of services.check_in_record, after the key result was updated.
# Arguments: check_in, key_result.
check_in_recorded = Signal()
