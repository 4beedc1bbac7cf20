"""The form that adds a chat hook: Slack or Teams, the URL, the team (optional), the events."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.fields import Form
from okr.chat import services
from okr.chat.services import URL_MAX_LENGTH
from okr.models import ChatEvent, ChatHook
from okr.models.chat import SUBSCRIBABLE


class ChatHookForm(Form):
    kind = forms.ChoiceField(
        label=_("Chat"),
        choices=ChatHook.Kind.choices,
        initial=ChatHook.Kind.SLACK,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose Slack or Microsoft Teams."),
            "invalid_choice": _("Choose Slack or Microsoft Teams."),
        },
    )
    url = forms.CharField(
        label=_("Incoming-webhook URL"),
        max_length=URL_MAX_LENGTH,
        help_text=_(
            "The https:// address Slack or Teams gives you for the channel. It is stored "
            "encrypted and shown shortened."
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Paste the channel's incoming-webhook URL.")},
    )
    team = forms.ChoiceField(
        label=_("Whose events"),
        required=False,
        help_text=_("A team's channel hears about that team's objectives only."),
        error_messages={"invalid_choice": _("Choose a team of the organisation.")},
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(value, label) for value, label in ChatEvent.choices if value in SUBSCRIBABLE],
        initial=SUBSCRIBABLE,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one of the events."),
            "invalid_choice": _("Choose at least one of the events."),
        },
    )

    def __init__(self, *args, teams=(), organisation_wide: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(team.uuid): team for team in teams}
        choices = [("", _("The whole organisation"))] if organisation_wide else []
        choices += [(code, team.name) for code, team in self.teams.items()]
        self.fields["team"].choices = choices
        if not organisation_wide:
            self.fields["team"].required = True
            self.fields["team"].error_messages["required"] = _("Choose one of your teams.")

    def clean_url(self):
        try:
            return services.clean_url(self.cleaned_data["url"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["url"]) from None

    def clean_team(self):
        code = self.cleaned_data.get("team") or ""
        return self.teams.get(code)
