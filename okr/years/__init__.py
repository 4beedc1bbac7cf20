"""The year-end review and next year: a fiscal year's summary, and next year's strategic drafts."""
