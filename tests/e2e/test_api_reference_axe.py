"""The API reference page passes axe-core in both languages and at both tablet sizes, and its
contents links lead to the operations they name."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TABLET_SIZES, axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_api_reference_has_no_axe_violation(page, language, output_dir):
    page.set_extra_http_headers({"Accept-Language": language})
    for name, (width, height) in TABLET_SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto("/api/v1/docs")
        page.screenshot(path=str(output_dir / f"api-reference-{language}-{name}.png"),
                        full_page=False)
        assert axe_violations(page) == [], (language, name)


def test_a_contents_link_leads_to_its_operation(page):
    page.goto("/api/v1/docs")
    page.get_by_role("link", name="GET /api/v1/orders/{order_id}", exact=True).click()
    target = page.locator("#op-get-api-v1-orders-order-id")
    assert target.is_visible()
    assert page.evaluate("location.hash") == "#op-get-api-v1-orders-order-id"
