"""The link checker does not fetch loopback, private, link-local, multicast, reserved or
unspecified addresses — in any spelling of the host, nor through a redirect — unless the
operator allows them (issue 12 item 10: server-side request forgery)."""

from __future__ import annotations

import http.server
import threading

import pytest

from gongkai.apps.catalogue import links
from gongkai.apps.catalogue.models import LinkCheck

from .test_catalogue import draft, office  # noqa: F401 - the fixture


@pytest.fixture
def server():
    """A local HTTP server on 127.0.0.1 that records the paths asked; /hop redirects to
    127.0.0.1 by its address, /ok answers 200."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, body: bool):
            asked.append(self.path)
            if self.path.startswith("/hop"):
                self.send_response(302)
                self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/ok/after-hop")
            else:
                self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            if body:
                self.wfile.write(b"ok")

        def do_HEAD(self):
            self._answer(False)

        def do_GET(self):
            self._answer(True)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], asked
    httpd.shutdown()
    httpd.server_close()


def test_a_loopback_link_is_refused_by_default_and_nothing_is_fetched(office, server):
    port, asked = server
    item = draft(office, body=f"详见 http://127.0.0.1:{port}/ok/secret")
    [check] = links.check_item_links(item, timeout=5)
    assert not check.ok and check.status is None
    assert "本机、内网或保留地址" in check.error and "127.0.0.1" in check.error
    assert asked == []


@pytest.mark.parametrize("host", ["localhost", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1",
                                  "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0"])
def test_every_spelling_of_loopback_is_refused(server, host):
    port, asked = server
    result = links.fetch_link(f"http://{host}:{port}/ok/", timeout=5)
    assert not result.ok and "本机、内网或保留地址" in result.error
    assert asked == []


@pytest.mark.parametrize("address", ["10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "224.0.0.1",
                                     "240.0.0.1", "100.64.0.1", "fc00::1", "fe80::1", "ff02::1", "::"])
def test_private_link_local_multicast_reserved_and_unspecified_addresses_are_refused(address):
    assert links.refused_address(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert not links.refused_address(address)


def test_a_redirect_to_loopback_is_refused_at_the_hop(settings, server):
    port, asked = server
    # The office's own intranet host may be checked (named in the setting); the hop to 127.0.0.1 may not.
    settings.GONGKAI_LINK_CHECK_PRIVATE_HOSTS = ["localhost"]
    result = links.fetch_link(f"http://localhost:{port}/hop", timeout=5)
    assert not result.ok and "本机、内网或保留地址" in result.error
    assert all(path == "/hop" for path in asked) and asked  # the first hop only, never /ok/after-hop


def test_private_addresses_are_checked_when_the_setting_allows_them(office, settings, server):
    port, asked = server
    settings.GONGKAI_LINK_CHECK_ALLOW_PRIVATE = True
    item = draft(office, body=f"详见 http://127.0.0.1:{port}/ok/page 和 http://localhost:{port}/hop")
    checks = links.check_item_links(item, timeout=5)
    assert [(c.ok, c.status) for c in checks] == [(True, 200), (True, 200)]
    assert "/ok/after-hop" in asked
    assert LinkCheck.objects.filter(item=item, ok=True).count() == 2
