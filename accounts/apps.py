"""The accounts app's configuration: what it registers when Django starts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import revision
        from accounts.models import (
            Invitation,
            Membership,
            Organisation,
            Team,
            TeamMembership,
            User,
        )

        # Cached pages show the organisation, its teams and its people's names (and the home
        # page's first steps whether an invitation is on its way).
        revision.watch(Organisation, of=lambda organisation: [organisation.pk])
        revision.watch(Team, Membership, Invitation)
        revision.watch(User, of=_organisations_of_user, fields={"name", "email"})
        # Who is on a team and who leads it: the workshop and the team pages show them.
        revision.watch(TeamMembership, of=_organisation_of_team_membership)


def _organisations_of_user(user) -> list[int]:
    from accounts.models import Membership

    return list(
        Membership.objects.filter(user_id=user.pk).values_list("organisation_id", flat=True)
    )


def _organisation_of_team_membership(team_membership) -> list[int]:
    from accounts.models import Team

    # Not ``team_membership.team``: when the team itself is deleted it is gone already.
    return list(
        Team.objects.filter(pk=team_membership.team_id).values_list("organisation_id", flat=True)
    )
