"""The pure part of search: words from a query, the tsquery text, highlighting."""

import re

from hypothesis import given
from hypothesis import strategies as st

from okr.search import text

TSQUERY = re.compile(r"^('[^'\\]+'( & '[^'\\]+')*(:\*)?)?$")


def test_words_are_letters_and_digits_lower_case_without_repeats():
    query = text.parse("  Pilotkunder i NORGE, 20MSEK! pilotkunder ")
    assert query.text == "Pilotkunder i NORGE, 20MSEK! pilotkunder"
    assert query.terms == ("pilotkunder", "i", "norge", "20msek")
    assert not query.too_short


def test_tsquery_syntax_only_separates_words():
    query = text.parse("a & b | !c :* (d) 'e' \"f\" \\g <-> h")
    assert query.terms == ("a", "b", "c", "d", "e", "f", "g", "h")
    assert text.tsquery(query) == "'a' & 'b' & 'c' & 'd' & 'e' & 'f' & 'g' & 'h':*"


def test_the_last_word_is_a_prefix():
    assert text.tsquery(text.parse("tre pilotk")) == "'tre' & 'pilotk':*"


def test_too_short_and_empty():
    assert text.parse("").empty and text.parse("").too_short
    assert text.parse("a").too_short
    assert text.parse("!!! ***").too_short
    assert not text.parse("ab").too_short
    assert not text.parse("å ö").too_short


def test_at_most_eight_words_of_at_most_sixty_letters():
    query = text.parse(" ".join(f"w{i}" for i in range(20)) + " " + "x" * 500)
    assert len(query.terms) == text.MAX_TERMS
    assert all(len(t) <= text.MAX_TERM_LENGTH for t in text.parse("y" * 500).terms)


def test_highlight_escapes_everything_but_the_marks():
    html = text.highlight("<b>Pilotkunder</b> & co", ("pilotk",))
    assert html == "&lt;b&gt;<mark>Pilotk</mark>under&lt;/b&gt; &amp; co"


def test_highlight_prefers_the_longest_word():
    assert text.highlight("Norge norr", ("no", "norge")) == "<mark>Norge</mark> <mark>no</mark>rr"


def test_headline_markers_become_balanced_marks():
    headline = f"Tre {text.START}pilotkunder{text.STOP} <i>"
    assert text.from_headline(headline) == "Tre <mark>pilotkunder</mark> &lt;i&gt;"
    # Markers the text itself contained never unbalance the HTML.
    odd = f"{text.STOP}a{text.START}{text.START}b"
    assert text.from_headline(odd) == "a<mark>b</mark>"


def test_snippet_is_around_the_first_match():
    words = [f"ord{i}" for i in range(100)]
    words[60] = "pilotkund"
    cut = text.snippet(" ".join(words), ("pilotkund",), words=12)
    assert cut.startswith("… ") and cut.endswith(" …") and "pilotkund" in cut
    assert text.snippet("kort text", ("x",)) == "kort text"


@given(st.text(max_size=300))
def test_any_query_makes_a_tsquery_of_quoted_words_only(typed):
    query = text.parse(typed)
    assert TSQUERY.match(text.tsquery(query))


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=10), max_size=4))
def test_highlight_never_lets_markup_through(value, terms):
    html = text.highlight(value, terms)
    assert "<" not in html.replace("<mark>", "").replace("</mark>", "")
    assert html.count("<mark>") == html.count("</mark>")


@given(st.text(alphabet=st.sampled_from(["a", "<", "&", text.START, text.STOP]), max_size=60))
def test_headlines_are_always_escaped_and_balanced(headline):
    html = text.from_headline(headline)
    rest = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in rest
    assert html.count("<mark>") == html.count("</mark>")
