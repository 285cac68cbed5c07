"""Sign-in throttling through a real Daphne: the ASGI path of django-axes' middleware."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def post_login(server: Server, username: str, password: str) -> tuple[int, str, bool]:
    """(status, page, signed in) for one sign-in through the login form."""
    jar = CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)
    )
    page = opener.open(server.url + "/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
    request = urllib.request.Request(  # noqa: S310 - the test's own http:// server
        server.url + "/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": server.url + "/login/"},
    )
    try:
        response = opener.open(request, timeout=10)
        status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    return status, body, any(cookie.name == "sessionid" for cookie in jar)


def test_ten_wrong_passwords_lock_the_username_under_daphne(server):
    for n in range(10):
        status, _page, signed_in = post_login(server, "student29", f"wrong-{n}")
        assert not signed_in
    status, page, signed_in = post_login(server, "student29", server.logins["student29"])
    assert status == 429
    assert not signed_in
    assert "已锁定 15 分钟" in page
    # A classmate at the same address signs in as usual.
    status, _page, signed_in = post_login(server, "student28", server.logins["student28"])
    assert signed_in
