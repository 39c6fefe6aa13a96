"""Pages load without errors in the browser console: no script error, no resource blocked by
the Content Security Policy."""

import pytest


@pytest.mark.parametrize("path", ["/", "/comptes/signup/"])
def test_page_logs_no_console_error(page, live_server, path):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + path)
    page.get_by_role("heading", level=1).wait_for()
    page.wait_for_load_state("load")
    assert errors == []
    assert page.js_errors == []
