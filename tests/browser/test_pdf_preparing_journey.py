"""A large agreement's PDF in Chromium (docs/decisions/0050): with tasks kept for a worker, the
reader is told it is being prepared (axe-checked), a worker lays it out, and refreshing downloads it."""

from playwright.sync_api import expect

from .helpers import check_page, sign_in_browser


def test_a_large_pdf_is_prepared_then_downloaded_on_refresh(page, live_server, roles, settings, database_tasks):
    settings.PDF_IN_REQUEST_MAX_CHARS = 1_000  # the cast's agreement counts as large
    sign_in_browser(page, live_server, roles.governance_manager)

    response = page.goto(f"{live_server.url}/agreements/{roles.agreement.pk}/pdf/")

    assert response.status == 202
    check_page(page, heading="Your PDF is being prepared")
    expect(page.locator("main")).to_contain_text("Refresh this page to download it when it is ready.")

    database_tasks()  # a worker lays it out

    with page.expect_download() as download:
        page.get_by_role("link", name="Refresh this page").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"
