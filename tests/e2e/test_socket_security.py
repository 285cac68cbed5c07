"""The workspace socket's handshake guards, through a real Daphne process.

The in-process communicator sees a refused handshake as a close code; a browser talking to
Daphne sees an HTTP 403 instead, so these are checked against the real server. The client is
websockets' threaded one: Playwright's sync API keeps an event loop running in this thread.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from websockets.exceptions import ConnectionClosedError, InvalidStatus
from websockets.sync.client import connect

from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def session_cookie(server: Server, username: str) -> str:
    """Sign in through the login form, as a browser would; return the Cookie header."""
    jar = CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar)
    )
    page = opener.open(server.url + "/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": username, "password": server.logins[username], "csrfmiddlewaretoken": token}
    opener.open(
        urllib.request.Request(  # noqa: S310 - the test's own http:// server
            server.url + "/login/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": server.url + "/login/"},
        ),
        timeout=10,
    )
    cookies = {cookie.name: cookie.value for cookie in jar}
    assert "sessionid" in cookies, "the demo login did not sign in"
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def handshake(server: Server, *, origin: str | None, cookie: str | None) -> dict | int:
    """Open the socket; return the answer to one frame, or the HTTP status of a refusal."""
    uri = server.url.replace("http://", "ws://") + "/ws/workspace/"
    headers = {"Cookie": cookie} if cookie else {}
    try:
        with connect(
            uri, origin=origin, additional_headers=headers, proxy=None, open_timeout=10
        ) as socket:
            socket.send(json.dumps({"v": 1, "type": "subscribe", "conversation": 999_999}))
            return json.loads(socket.recv(timeout=10))
    except InvalidStatus as refused:
        return refused.response.status_code


@pytest.fixture(scope="module")
def cookie(server: Server) -> str:
    return session_cookie(server, "student05")


def test_the_sites_own_origin_opens_the_socket(server, cookie):
    for origin in (server.url, server.url.replace("127.0.0.1", "localhost")):
        answer = handshake(server, origin=origin, cookie=cookie)
        # Signed in and talking: a conversation that is not theirs is simply not found.
        assert answer["type"] == "error"
        assert answer["code"] == "not_found"


def test_another_port_scheme_or_host_is_refused_with_403(server, cookie):
    port = int(server.url.rsplit(":", 1)[1])
    for origin in (
        f"http://127.0.0.1:{port + 1}",  # another server on the same machine
        f"http://127.0.0.1:{80 if port != 80 else 81}",
        f"https://127.0.0.1:{port}",  # the right host and port, the wrong scheme
        f"http://127.0.0.2:{port}",
        f"http://127.0.0.1.evil.example:{port}",
        "null",
    ):
        assert handshake(server, origin=origin, cookie=cookie) == 403, origin


def test_a_handshake_without_origin_is_refused_with_403(server, cookie):
    assert handshake(server, origin=None, cookie=cookie) == 403


def test_a_handshake_without_a_session_is_refused_with_403(server):
    # Daphne turns a close before accept into HTTP 403; the 4401 close code is never seen.
    assert handshake(server, origin=server.url, cookie=None) == 403


def test_a_frame_over_64_kib_drops_the_connection_without_a_close_code(server, cookie):
    """Daphne's --websocket-max-message-size: no 1009 close frame, the TCP connection just ends."""
    uri = server.url.replace("http://", "ws://") + "/ws/workspace/"

    def send_text_of(size: int) -> dict:
        frame = json.dumps(
            {
                "v": 1,
                "type": "message.send",
                "conversation": 999_999,
                "client_id": "3f1c2a9e-8a53-4c1e-9f1e-2b8f6f0d2c11",
                "text": "x" * size,
            }
        )
        with connect(
            uri, origin=server.url, additional_headers={"Cookie": cookie}, proxy=None
        ) as socket:
            socket.send(frame)
            return json.loads(socket.recv(timeout=10))

    # Just under the limit: read, and refused by the protocol (at most 2000 characters).
    assert send_text_of(65_536 - 200)["code"] == "too_long"
    with pytest.raises(ConnectionClosedError) as closed:
        send_text_of(65_536 + 1)
    assert closed.value.rcvd is None  # no close frame came back: the browser sees 1006
