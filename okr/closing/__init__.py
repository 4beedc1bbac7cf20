"""Quarter and year close: scores, overrides with a reason, retrospectives, carry-over."""
