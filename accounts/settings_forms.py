"""Forms of the admin settings pages: they parse and explain; services.py decides.

The team and invitation forms take the organisation's teams and people as
lists already in memory, so a page with a form in every row costs no extra
queries. Objects are chosen by their public UUID.
"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.fields import Form, ModelForm
from accounts.models import Membership, Organisation
from accounts.services import ORGANISATION_EDITABLE_FIELDS

# A ServiceError code -> (form field or None for the whole form, message for the user).
SERVICE_ERRORS = {
    "already_member": ("email", _("This person is already a member of the organisation.")),
    "invitation_conflict": (
        None,
        _("Someone else just invited this address. Reload the page and try again."),
    ),
    "invalid_role": ("role", _("Choose one of the roles.")),
    "team_name_taken": ("name", _("There is already a team with this name.")),
    "team_name_required": ("name", _("Give the team a name.")),
    "team_cycle": ("parent", _("A team cannot be part of itself or of one of its own sub-teams.")),
    "team_parent_invalid": ("parent", _("Choose one of the organisation's teams.")),
    "not_member": ("members", _("Only members of the organisation can be in its teams.")),
    # Unique rows another request created at the same moment (the form's check saw none).
    "email_taken": ("email", _("There is already an account for this e-mail. Sign in instead.")),
    "slug_taken": ("slug", _("That address is taken. Choose another.")),
}


def add_service_error(form: forms.Form, code: str) -> None:
    """Show a service's refusal on the form, on the field it concerns when there is one."""
    field, message = SERVICE_ERRORS.get(code, (None, _("That did not work. Please try again.")))
    form.add_error(field if field in form.fields else None, message)


def person_label(user) -> str:
    return f"{user.name} ({user.email})" if user.name else user.email


class ObjectChoiceField(forms.ChoiceField):
    """Pick one of ``objects`` (anything with a ``uuid``); cleans to the object or None."""

    def __init__(self, *, objects=(), label_for=str, blank_label=None, shown=None, **kwargs):
        self.objects = {str(obj.uuid): obj for obj in objects}
        shown = self.objects.values() if shown is None else shown
        choices = [("", blank_label)] if blank_label is not None else []
        choices += [(str(obj.uuid), label_for(obj)) for obj in shown]
        super().__init__(choices=choices, **kwargs)

    def valid_value(self, value):
        return str(value) in self.objects

    def clean(self, value):
        value = super().clean(value)
        return self.objects.get(str(value)) if value else None


class ObjectMultipleChoiceField(forms.MultipleChoiceField):
    """Pick any of ``objects``; cleans to a list of objects in the order offered."""

    def __init__(self, *, objects=(), label_for=str, **kwargs):
        self.objects = {str(obj.uuid): obj for obj in objects}
        choices = [(key, label_for(obj)) for key, obj in self.objects.items()]
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(choices=choices, **kwargs)

    def valid_value(self, value):
        return str(value) in self.objects

    def clean(self, value):
        value = {str(v) for v in super().clean(value)}
        return [obj for key, obj in self.objects.items() if key in value]


class OrganisationForm(ModelForm):
    """The organisation's own settings. Its address (slug) is not editable: links depend on it."""

    class Meta:
        model = Organisation
        # Every editable setting but the currency, which the pages do not offer (the API does).
        fields = [name for name in ORGANISATION_EDITABLE_FIELDS if name != "currency"]
        widgets = {
            "vision": forms.Textarea(attrs={"rows": 3}),
            "mission": forms.Textarea(attrs={"rows": 3}),
            "country": forms.TextInput(
                attrs={"maxlength": 2, "autocomplete": "country", "class": "input-short"}
            ),
            "review_every_weeks": forms.NumberInput(
                attrs={"min": 1, "max": 8, "class": "input-short"}
            ),
        }
        help_texts = {
            "vision": _(
                "Where the organisation wants to be. Shown at the top of the alignment tree."
            ),
            "mission": _("Why the organisation exists and what it does."),
            "language": _(
                "Pages and e-mails use this language for everyone who has not chosen their own."
            ),
            "review_every_weeks": _("From 1 to 8 weeks. Every second week is the usual rhythm."),
        }

    # Groups of fields, in the order they appear on the page.
    sections = (
        (_("About the organisation"), ("name", "vision", "mission")),
        (_("Language and region"), ("language", "timezone", "country")),
        (
            _("Year and reviews"),
            (
                "fiscal_year_start_month",
                "review_every_weeks",
                "review_weekday",
                "reminders_enabled",
            ),
        ),
        (_("Pilots"), ("personal_okrs",)),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if services.fiscal_year_in_use(self.instance):
            self.fields["fiscal_year_start_month"].help_text = _(
                "Fixed once the organisation has OKR years: there is no tool yet to move "
                "their years and quarters to another first month."
            )

    def fieldsets(self):
        return [(title, [self[name] for name in names]) for title, names in self.sections]

    def clean_fiscal_year_start_month(self):
        month = self.cleaned_data["fiscal_year_start_month"]
        if month != self.instance.fiscal_year_start_month and services.fiscal_year_in_use(
            self.instance
        ):
            raise forms.ValidationError(services.FISCAL_YEAR_LOCKED, code="locked")
        return month

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise forms.ValidationError(_("Enter a two-letter country code, such as SE, NO or DK."))
        return country


class TeamCreateForm(Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    parent = ObjectChoiceField(label=_("Part of"), required=False)

    def __init__(self, *args, teams=(), team=None, focus=False, **kwargs):
        prefix_id = f"team-{team.uuid}-%s" if team is not None else "new-team-%s"
        kwargs.setdefault("auto_id", prefix_id)
        super().__init__(*args, **kwargs)
        self.team = team
        self.teams = list(teams)
        self.fields["parent"] = ObjectChoiceField(
            label=_("Part of"),
            required=False,
            objects=self.teams,
            shown=[t for t in self.teams if team is None or t.pk != team.pk],
            blank_label=_("No team (top level)"),
            help_text=_("For a department's teams: the team or department this one belongs to."),
        )
        if focus:
            self.fields["name"].widget.attrs["data-focus-after-swap"] = ""

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = {t.name.casefold() for t in self.teams if self.team is None or t.pk != self.team.pk}
        if name.casefold() in taken:
            raise forms.ValidationError(SERVICE_ERRORS["team_name_taken"][1])
        return name

    def clean_parent(self):
        parent = self.cleaned_data["parent"]
        if parent is None or self.team is None:
            return parent
        parents = {t.pk: t.parent_id for t in self.teams}
        current, seen = parent.pk, set()
        while current is not None and current not in seen:
            if current == self.team.pk:
                raise forms.ValidationError(SERVICE_ERRORS["team_cycle"][1])
            seen.add(current)
            current = parents.get(current)
        return parent


class TeamForm(TeamCreateForm):
    """Edit a team in place: name, parent, leads and members (chosen from the organisation's people)."""

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        people = list(people)
        self.fields["leads"] = ObjectMultipleChoiceField(
            label=_("Team leads"),
            required=False,
            objects=people,
            label_for=person_label,
            help_text=_("Leads edit and submit the team's OKRs. A lead is also a member."),
        )
        self.fields["members"] = ObjectMultipleChoiceField(
            label=_("Members"), required=False, objects=people, label_for=person_label
        )


class MembershipRoleForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class InvitationForm(Form):
    email = forms.EmailField(
        label=_("E-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        help_text=_(
            "Admins manage settings and people; leadership sets strategic OKRs and approves team OKRs."
        ),
    )

    def __init__(self, *args, teams=(), focus=False, **kwargs):
        kwargs.setdefault("auto_id", "invite-%s")
        super().__init__(*args, **kwargs)
        self.fields["teams"] = ObjectMultipleChoiceField(
            label=_("Teams"),
            required=False,
            objects=teams,
            help_text=_("The person joins these teams when they accept."),
        )
        if focus:
            self.fields["email"].widget.attrs["data-focus-after-swap"] = ""

    def clean_email(self):
        # Whether the address already belongs to a member is the service's to say.
        return self.cleaned_data["email"].strip().lower()
