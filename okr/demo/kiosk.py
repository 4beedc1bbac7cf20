"""The demo's kitchen board: one secret link "Köket", as DPAB hung its OKRs in the kitchen.

The secret is shown only when it is made, so each run of ``load_demo`` makes the
link anew (the previous demo link stops working) and prints its address: open it
in a second window to see the board turn (``/board/<secret>/``).
"""

from __future__ import annotations

from accounts.models import Organisation
from okr.kiosk import services
from okr.models import BoardLink

LABEL = "Köket"


def lay_out(org: Organisation) -> str:
    """Make the demo's board link (replacing the one of an earlier run); return its path."""
    BoardLink.objects.filter(organisation=org, label=LABEL).delete()
    _link, secret = services.board_link_create(organisation=org, author=None, label=LABEL)
    return f"/board/{secret}/"
