"""Tab through every form of the main pages: the focused element is never under a sticky bar.

WCAG 2.2 2.4.11 (focus not obscured): at a laptop's 1366x768 and a phone's 390x844,
each element reached with Tab is checked against every element whose computed
position is sticky or fixed (other than one holding the focus itself): their
rectangles must not overlap, and the topmost element at the focused element's
centre must be the focused element or inside it.
"""

import pytest

from tests.support.browser import ARTIFACTS, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"laptop": (1366, 768), "phone": (390, 844)}
MAX_TABS = 250  # far more than the controls of any page below, in the demo

#: In the page: what covers the focused element, if anything (and what it is).
COVERED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const r = el.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) return null;
  const name = (node) => node.tagName.toLowerCase() + (node.id ? '#' + node.id : '')
    + (node.className && typeof node.className === 'string'
       ? '.' + node.className.trim().split(/\\s+/).join('.') : '');
  const covers = [];
  for (const other of document.querySelectorAll('body *')) {
    const position = getComputedStyle(other).position;
    if (position !== 'sticky' && position !== 'fixed') continue;
    if (other.contains(el) || el.contains(other)) continue;
    const o = other.getBoundingClientRect();
    const x = Math.min(r.right, o.right) - Math.max(r.left, o.left);
    const y = Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top);
    if (x > 1 && y > 1) covers.push(name(other));
  }
  const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
  if (cx >= 0 && cy >= 0 && cx <= innerWidth && cy <= innerHeight) {
    const top = document.elementFromPoint(cx, cy);
    if (top && top !== el && !el.contains(top) && !top.contains(el)) {
      let node = top, pinned = null;
      while (node && node !== document.body) {
        const position = getComputedStyle(node).position;
        if (position === 'sticky' || position === 'fixed') { pinned = node; break; }
        node = node.parentElement;
      }
      if (pinned && !pinned.contains(el)) covers.push('at centre: ' + name(pinned));
    }
  }
  return covers.length ? {focused: name(el), label: (el.labels && el.labels[0]
    ? el.labels[0].innerText : el.innerText || el.name || '').slice(0, 60), covers} : null;
}
"""

IN_A_FORM = "() => !!(document.activeElement && document.activeElement.closest('form'))"


def tab_through(page) -> tuple[list, int]:
    """Press Tab until the focus has gone round the page; what was covered, and form fields seen."""
    page.locator("body").focus()
    page.evaluate("window.scrollTo(0, 0)")
    problems, in_forms, seen = [], 0, set()
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        key = page.evaluate(
            "() => { const e = document.activeElement; if (!e || e === document.body) return null;"
            " if (!e.dataset.tabSeen) e.dataset.tabSeen = String(Math.random()); return e.dataset.tabSeen; }"
        )
        if key is None or key in seen:
            break  # round the page once
        seen.add(key)
        in_forms += page.evaluate(IN_A_FORM)
        covered = page.evaluate(COVERED)
        if covered:
            problems.append(covered)
    return problems, in_forms


def main_pages():
    from accounts.models import Team
    from okr.models import KeyResult, Review

    team = Team.objects.get(organisation__slug="dpab", name="Marknad")
    kr = KeyResult.objects.filter(objective__organisation__slug="dpab").order_by("pk").first()
    review = Review.objects.filter(organisation__slug="dpab").order_by("-date").first()
    pages = {
        "home": "/dpab/",
        "strategic": "/dpab/strategic/",
        "workshop": f"/dpab/workshop/{team.uuid}/",
        "approvals": "/dpab/approvals/",
        "reviews": "/dpab/reviews/",
        "quarter-close": "/dpab/quarter-close/",
        "alignment": "/dpab/alignment/",
        "key-result": f"/dpab/key-results/{kr.uuid}/",
        "settings": "/dpab/settings/",
        "settings-teams": "/dpab/settings/teams/",
        "settings-invitations": "/dpab/settings/invitations/",
        "profile": "/accounts/profile/",
        "tokens": "/accounts/tokens/",
    }
    if review is not None:
        pages["review"] = f"/dpab/reviews/{review.uuid}/"
    return pages


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_tabbing_never_hides_the_focus_under_a_sticky_bar(browser, demo, viewport):
    width, height = VIEWPORTS[viewport]
    phone = viewport == "phone"
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=phone,
        has_touch=phone,
        locale="sv-SE",
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    found, fields = {}, {}
    try:
        # Visitors' forms.
        for name, path in {"login": "/accounts/login/", "register": "/accounts/register/"}.items():
            page.goto(f"{demo}{path}")
            found[name], fields[name] = tab_through(page)
        # Per's check-ins: the long form with the sticky save bar.
        sign_in(page, demo, "per@dpab.example")
        page.goto(f"{demo}/dpab/check-ins/")
        found["my-check-ins"], fields["my-check-ins"] = tab_through(page)
        # As a person sees it: the focus on the second note, above the save bar.
        page.evaluate("window.scrollTo(0, 0)")
        page.locator("body").focus()
        notes = 0
        for _ in range(MAX_TABS):
            page.keyboard.press("Tab")
            notes += page.evaluate("document.activeElement.tagName === 'TEXTAREA'")
            if notes == 2:
                break
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"focus-check-ins-{viewport}.png"))
        shot(page, f"check-ins-{viewport}")
        page.context.clear_cookies()
        sign_in(page, demo, "vilma@dpab.example")
        for name, path in main_pages().items():
            response = page.goto(f"{demo}{path}")
            assert response.status == 200, (name, response.status)
            found[name], fields[name] = tab_through(page)
    finally:
        context.close()
    assert {name: problems for name, problems in found.items() if problems} == {}
    # The sweep did reach the forms (a page whose Tab order broke would pass unseen).
    assert fields["my-check-ins"] >= 6 and fields["login"] >= 3 and fields["settings"] >= 5, fields
