"""@mentions, pure: who a text names, and how it is shown (escaped, mentions marked)."""

from __future__ import annotations

import pytest

from okr.conversation import mentions
from okr.conversation.mentions import Member

VILMA = Member(1, "Vilma Andersson", "vilma@dpab.example")
ERIK = Member(2, "Erik Lund", "erik.lund@dpab.example")
ERIKA = Member(3, "Erika Berg", "eberg@dpab.example")
NAMELESS = Member(4, "", "kim@dpab.example")
MEMBERS = [VILMA, ERIK, ERIKA, NAMELESS]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@Vilma Andersson kan du titta?", [1]),
        ("@vilma kan du titta?", [1]),  # the first name, no one else shares it
        ("Hej @VILMA!", [1]),
        ("@erik.lund och @eberg", [2, 3]),  # e-mail local parts
        ("@Erik Lund, @Erika", [2, 3]),  # the longest handle wins, "Erika" is not "Erik"
        ("@kim", [4]),
        ("mejla vilma@dpab.example", []),  # an address is not a mention
        ("@Vilmax", []),  # a handle ends where the word ends
        ("@Otto Outsider @otto", []),  # not a member: never resolves
        ("@vilma @vilma @Vilma Andersson", [1]),  # once each
        ("", []),
        ("@", []),
    ],
)
def test_who_a_text_mentions(text, expected):
    assert mentions.mentioned_ids(text, MEMBERS) == expected


def test_a_first_name_two_members_share_names_nobody():
    two = [Member(1, "Anna Ek", "a@x.example"), Member(2, "Anna Berg", "b@x.example")]
    assert mentions.mentioned_ids("@Anna", two) == []
    assert mentions.mentioned_ids("@Anna Berg", two) == [2]


def test_rendering_escapes_the_text_and_marks_mentions():
    html = mentions.render('<script>x</script> & "@Vilma"\nrad två', [VILMA])
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; &quot;" in html
    assert '<span class="mention" title="Vilma Andersson">@Vilma</span>' in html
    assert "<br>rad två" in html


def test_rendering_only_marks_the_people_given():
    assert "mention" not in mentions.render("@Erik Lund", [VILMA])


def test_odd_letters_do_not_break_the_search():
    # "ß" folds to "ss": the positions would shift, so lower case is used instead.
    assert mentions.mentioned_ids("Straße @vilma", MEMBERS) == [1]
    assert mentions.mentioned_ids("İ @vilma", MEMBERS) in ([1], [])
