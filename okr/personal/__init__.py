"""Personal OKRs: a pilot an admin turns on per organisation (``Organisation.personal_okrs``).

A person writes their own objectives and key results under one of their teams'
objectives or key results of the quarter, with the workshop's coach. They are
``Objective.Level.PERSONAL`` rows: ``owner`` the person, ``team`` the team of the
parent, live at once (status "approved", then "archived"), never in the approval
queue, the workshop, the review's team rows or the quarter close, and never
counted in a parent's numbers (``okr.objectives.numbers``, the tree). Everyone
reads them; only the owner changes them and leadership may archive them
(``accounts.policy``).

The pilot off: the My OKRs page and the personal API answer 404 and nothing new
is written; personal OKRs already written stay readable (tree, home, their pages)
and their owner can still check in on them, edit or archive them from their pages.
"""
