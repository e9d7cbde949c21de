"""/docs in a real browser: Swagger UI, from the app's own copy, renders the partner API and
calls it from "Try it out" under the site's CSP, and the page asks nothing of any other origin."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.helpers import ConsoleErrors, WireBytes

# Chromium logs a CSP refusal on the console too; the event also catches a report-only one
RECORD_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}`);
});
"""
MAX_DOCS_BYTES = 600 * 1024  # guards against a heavier bundle or source maps slipping in


def test_docs_render_and_try_it_out_calls_the_app_only(page: Page, live_server: str) -> None:
    console = ConsoleErrors(page)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.add_init_script(RECORD_CSP_VIOLATIONS)

    response = page.goto("/docs")
    assert response is not None
    assert response.status == 200
    score = page.locator(".opblock-post").filter(has=page.locator('[data-path="/api/v1/score"]'))
    expect(score).to_be_visible(timeout=15_000)
    expect(page.locator('.opblock [data-path="/api/v1/assessments"]').first).to_be_visible()

    score.locator(".opblock-summary-control").click()
    score.get_by_role("button", name="Try it out").click()
    score.get_by_role("button", name="Execute").click()  # with the schema's example body
    live = score.locator(".live-responses-table .response")
    expect(live.locator(".response-col_status")).to_have_text("200", timeout=10_000)
    expect(live.locator(".response-col_description")).to_contain_text('"cluster"')
    page.wait_for_load_state("networkidle")

    assert console.messages == []
    assert page.evaluate("window.cspViolations") == []
    # Try it out fills the documented example of `lang` in: the query string varies
    assert f"{live_server}/api/v1/score" in [url.partition("?")[0] for url in requests]
    elsewhere = [url for url in requests if not url.startswith(f"{live_server}/")]
    assert elsewhere == []


def test_docs_first_load_weight(new_context: Any) -> None:
    """Bytes on the wire (CDP encodedDataLength) with an empty cache, until Swagger UI has
    drawn the operations: the page, its stylesheets and scripts, and the schema."""
    context = new_context()
    page = context.new_page()
    wire = WireBytes(context, page)

    page.goto("/docs")
    expect(page.locator('.opblock [data-path="/api/v1/score"]')).to_be_visible(timeout=15_000)
    page.wait_for_load_state("networkidle")

    total = wire.total
    detail = wire.detail()
    print(f"\n/docs first load: {total} bytes ({total / 1024:.1f} KB): {detail}")
    assert total <= MAX_DOCS_BYTES, f"{total} bytes > {MAX_DOCS_BYTES}: {detail}"
