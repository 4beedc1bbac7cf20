"""The biweekly review board: schedule, the page and meeting mode, decisions, closing a review."""
