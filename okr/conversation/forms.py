"""The comment form: one text box (the app's text rules: no NUL, no lone surrogate, bounded)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form
from okr.conversation.services import COMMENT_MAX_CHARS, TEXT_REQUIRED


class CommentForm(Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_CHARS,
        error_messages={"required": TEXT_REQUIRED},  # the service's words, as in the API
        help_text=_("Write @ and a colleague's name to tell them."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": str(COMMENT_MAX_CHARS)}),
    )
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, prefix_id: str = "comment", **kwargs):
        kwargs.setdefault("auto_id", f"{prefix_id}-%s")
        super().__init__(*args, **kwargs)
