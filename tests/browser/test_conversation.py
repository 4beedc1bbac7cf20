"""Conversation in real Chromium on the DPAB demo: Vilma comments by keyboard with a mention,
Pernilla's bell counts it, she reads it; axe on every page; screenshots on desktop and phone
in test-artifacts/conversation/.
"""

import pytest
from django.utils import timezone

from tests.support.browser import ARTIFACTS, serious_violations, sign_in, sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "@Pernilla kan du ta med bemanningen till måndagens genomgång?"
SHOTS = ARTIFACTS / "conversation"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def wait_until(page, check, timeout_ms=10000):
    for _ in range(timeout_ms // 100):
        if check():
            return True
        page.wait_for_timeout(100)
    return check()


def produktion_objective():
    from okr.models import Objective

    today = timezone.localdate()
    return (
        Objective.objects.filter(
            organisation__slug="dpab",
            team__name="Produktion",
            cycle__kind="quarter",
            cycle__start_date__lte=today,
            cycle__end_date__gte=today,
        )
        .order_by("order", "id")
        .first()
    )


def bell_count(page) -> str:
    badge = page.locator("#notification-bell .bell-count")
    return badge.inner_text() if badge.count() else "0"


def test_a_comment_with_a_mention_by_keyboard_rings_the_bell(browser, page, demo):  # noqa: F811
    from okr.models import Comment, Notification

    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda dialog: dialog.accept())
    objective = produktion_objective()
    url = f"{demo}/dpab/objectives/{objective.uuid}/"
    pernilla_before = Notification.objects.filter(
        recipient__email="pernilla@dpab.example", read_at__isnull=True
    ).count()

    sign_in(page, demo, "vilma@dpab.example")
    page.goto(url)
    assert "Vi går på marginalen" in page.locator("#comments").inner_text()  # the demo's thread
    # By keyboard: into the comment box, type, Tab to the button, Enter.
    box = page.locator("#comment-text")
    assert sv("Comment") in page.locator("label[for=comment-text]").inner_text()
    box.focus()
    page.keyboard.type(TEXT)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == sv("Post comment"), focused
    page.keyboard.press("Enter")
    page.locator("#comments .message-success").wait_for()
    assert wait_until(page, lambda: Comment.objects.filter(text=TEXT).exists())
    assert page.url == url  # htmx: no reload
    posted = page.locator("#comments .comment", has_text="bemanningen").last
    assert posted.locator(".mention").first.inner_text() == "@Pernilla"
    assert serious_violations(page) == []
    page.locator("#comments").scroll_into_view_if_needed()
    shot(page, "objective-thread-desktop")

    # The reply box opens by keyboard too.
    summary = page.locator("#comments details.comment-reply summary").first
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#comments details.comment-reply").first.get_attribute("open") is not None
    assert serious_violations(page) == []

    # On a phone: no sideways scrolling, the bell fits in the header.
    phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="sv-SE")
    small = phone.new_page()
    try:
        sign_in(small, demo, "pernilla@dpab.example")
        assert bell_count(small) == str(pernilla_before + 1)  # Vilma's mention counts
        small.goto(url + "#comments")
        overflow = small.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        shot(small, "objective-thread-phone")
        small.goto(f"{demo}/dpab/notifications/")
        overflow = small.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        assert serious_violations(small) == []
        shot(small, "notifications-phone")
    finally:
        phone.close()

    # Pernilla reads them on the desktop: the bell counts down to nothing.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    pernilla = context.new_page()
    pernilla.on("pageerror", lambda e: problems.append(str(e)))
    try:
        sign_in(pernilla, demo, "pernilla@dpab.example")
        assert bell_count(pernilla) == str(pernilla_before + 1)
        pernilla.locator("#notification-bell").focus()
        pernilla.keyboard.press("Enter")
        pernilla.wait_for_url(f"{demo}/dpab/notifications/")
        assert "bemanningen" in pernilla.locator("main").inner_text()
        assert serious_violations(pernilla) == []
        shot(pernilla, "notifications-desktop")
        pernilla.get_by_role("button", name=sv("Mark all as read")).click()
        pernilla.wait_for_load_state()
        assert wait_until(pernilla, lambda: bell_count(pernilla) == "0")
        shot(pernilla, "notifications-read-desktop")
    finally:
        context.close()
    assert problems == []


def test_a_check_in_thread_page(page, demo):  # noqa: F811
    from okr.models import Comment

    commented = Comment.objects.filter(check_in__isnull=False).select_related("check_in").first()
    sign_in(page, demo, "johan@dpab.example")
    kr_url = f"{demo}/dpab/key-results/{commented.check_in.key_result.uuid}/"
    page.goto(kr_url)
    link = page.locator(f"a[href$='/check-ins/{commented.check_in.uuid}/comments/']")
    assert "1" in link.inner_text()
    assert serious_violations(page) == []
    link.click()
    page.wait_for_url(f"**/check-ins/{commented.check_in.uuid}/comments/")
    assert "norska kunderna" in page.locator("#comments").inner_text()
    assert serious_violations(page) == []
    shot(page, "check-in-thread-desktop")
