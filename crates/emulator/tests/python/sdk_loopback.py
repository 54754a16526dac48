"""What the Python SDK scripts share: pointing `timsdk` at the emulator, the control API, and
the check log. Imported by users_family.py and groups_family.py (from their own folder)."""

import json
import os
import sys
import urllib.request

# Loopback only, whatever proxies the environment names.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from timsdk import HttpClient  # noqa: E402

TENCENT_HOST = "https://console.tim.qq.com"
PASSED = []


def check(name, condition, answer):
    """Logs one checked SDK call; exits non-zero on the first failed one."""
    if not condition:
        print(f"FAIL {name}: {json.dumps(answer, ensure_ascii=False, default=str)}")
        sys.exit(1)
    PASSED.append(name)
    print(f"ok   {name}")


def answer(result):
    """rc-server-sdk returns the parsed JSON on HTTP 200 but the raw body (bytes) on an HTTP
    error status, which RongCloud sends with every error code (1002 with 400, ...)."""
    if isinstance(result, (bytes, bytearray)):
        return json.loads(result)
    return result


def control(base, path, body=None):
    """The emulator's control API: GET `path`, or POST `body` as JSON."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base + path,
        data=data,
        headers={"Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        return json.loads(response.read())


class LoopbackClient(HttpClient):
    """timsdk's own HttpClient, sending to the emulator instead of console.tim.qq.com: its
    `get_url` swaps only the scheme and host of the SDK's URL."""

    def __init__(self, base, app_id, identifier, signature):
        super().__init__(app_id, identifier, signature)
        self._base = base
        self._http.trust_env = False

    def get_url(self, path, *args, **kwargs):
        url = super().get_url(path, *args, **kwargs)
        assert url.startswith(TENCENT_HOST + "/"), url
        return self._base + url[len(TENCENT_HOST):]


def run(*parts):
    """Runs each part (a function of the emulator's startup info) and reports the count. The
    startup line comes from argv or stdin and must name a loopback URL."""
    text = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.readline()
    info = json.loads(text)
    assert info["url"].startswith("http://127.0.0.1:"), info["url"]
    for part in parts:
        part(info)
    print(f"all {len(PASSED)} checks passed")
