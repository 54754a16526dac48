#!/usr/bin/env python3
"""The vendors' public Python SDKs, unmodified, against imbridge-emulator: users and profiles.

Usage: users_family.py STARTUP_JSON   (or the startup line on stdin)

STARTUP_JSON is the emulator's startup line:
{"url":"http://127.0.0.1:PORT","tencent":{"sdkappid":N,"secret_key":"..","admin":".."},
 "rongcloud":{"app_key":"..","app_secret":".."}}

Needs the PyPI packages `timsdk` (with `tls-sig-api-v2`, Tencent) and `rc-server-sdk` (with
`jinja2`, which it imports but does not declare; RongCloud). Prints one line per SDK call
checked and exits non-zero on the first failed check. Never talks to any host but the
emulator's.

How each SDK is pointed at the emulator without changing it:
- rc-server-sdk: the documented constructor argument `RongCloud(key, secret, host_url=URL)`.
- timsdk: its HTTP client hard-codes https://console.tim.qq.com; the SDK's own hook
  `BaseRESTAPI.set_client(...)` takes another client, here a subclass of the SDK's
  `HttpClient` whose `get_url` swaps only the scheme and host of the SDK's URL
  (`sdk_loopback.LoopbackClient`, shared with groups_family.py).
"""

# First: it keeps every request on loopback, whatever proxies the environment names.
from sdk_loopback import LoopbackClient, answer, check, control, run

from rongcloud.rongcloud import RongCloud  # noqa: E402
from timsdk import TimClient  # noqa: E402


def tencent(info):
    base = info["url"]
    t = info["tencent"]
    tim = TimClient(t["sdkappid"], t["secret_key"], identifier=t["admin"])
    client = LoopbackClient(base, t["sdkappid"], t["admin"], tim.signature)
    for api in (tim.im_open_login_svc, tim.open_im, tim.profile, tim.group_open_http_svc,
                tim.sns, tim.open_config_svr, tim.open_msg_svc):
        api.set_client(client)
    login, profile, im = tim.im_open_login_svc, tim.profile, tim.open_im

    r = login.account_import("py_alice", nick="Alice", face_url="http://img.example/a.png")
    check("timsdk im_open_login_svc.account_import", r.get("ActionStatus") == "OK", r)

    r = login.im_open_login_svc(["py_bob", "py_carol"])  # multiaccount_import, `Accounts`
    check("timsdk im_open_login_svc.im_open_login_svc (multiaccount_import)",
          r.get("ErrorCode") == 0 and r.get("FailAccounts") == [], r)

    # timsdk sends account_check as an HTTP GET; the vendor documents POST only, and the
    # emulator answers a GET with 60002 (HTTP parse error; that pairing is unconfirmed).
    r = login.account_check(["py_alice", "py_nobody"])
    check("timsdk im_open_login_svc.account_check (GET, refused)", r.get("ErrorCode") == 60002, r)
    r = login.get_client().post(
        "im_open_login_svc/account_check",
        data={"CheckItem": [{"UserID": "py_alice"}, {"UserID": "py_nobody"}]},
    )
    statuses = [item.get("AccountStatus") for item in r.get("ResultItem", [])]
    check("timsdk HttpClient.post im_open_login_svc/account_check",
          statuses == ["Imported", "NotImported"], r)

    r = profile.portrait_get(["py_alice", "py_nobody"])  # the SDK's default TagList
    items = r.get("UserProfileItem", [])
    nick = [p["Value"] for p in items[0]["ProfileItem"] if p["Tag"] == "Tag_Profile_IM_Nick"]
    check("timsdk profile.portrait_get",
          r.get("ActionStatus") == "OK" and nick == ["Alice"]
          and items[1].get("ResultCode") == 40003 and r.get("Fail_Account") == ["py_nobody"], r)

    r = profile.portrait_set("py_alice", [{"Tag": "Tag_Profile_IM_Gender",
                                           "Value": "Gender_Type_Female"}])
    check("timsdk profile.portrait_set", r.get("ActionStatus") == "OK", r)
    r = profile.portrait_get(["py_alice"], ["Tag_Profile_IM_Gender"])
    check("timsdk profile.portrait_get (after set)",
          r["UserProfileItem"][0]["ProfileItem"]
          == [{"Tag": "Tag_Profile_IM_Gender", "Value": "Gender_Type_Female"}], r)

    control(base, "/_emulator/presence",
            {"vendor": "tencent", "user": "py_alice", "status": "online"})
    control(base, "/_emulator/presence",
            {"vendor": "tencent", "user": "py_bob", "status": "push_online"})
    r = im.query_state(["py_alice", "py_bob", "py_carol", "py_nobody"])  # openim/querystate
    states = {q["To_Account"]: q.get("State") for q in r.get("QueryResult", [])}
    check("timsdk open_im.query_state",
          states == {"py_alice": "Online", "py_bob": "PushOnline", "py_carol": "Offline"}
          and r.get("ErrorList") == [{"To_Account": "py_nobody", "ErrorCode": 70107}], r)

    r = login.kick("py_alice")
    check("timsdk im_open_login_svc.kick", r.get("ActionStatus") == "OK", r)
    r = im.query_state(["py_alice"])
    check("timsdk open_im.query_state (after kick)",
          r["QueryResult"][0].get("State") == "Offline", r)
    r = login.kick("py_nobody")
    check("timsdk im_open_login_svc.kick (unknown user)", r.get("ErrorCode") == 70107, r)

    r = login.account_delete(["py_bob", "py_nobody"])
    codes = [(item.get("UserID"), item.get("ResultCode")) for item in r.get("ResultItem", [])]
    check("timsdk im_open_login_svc.account_delete",
          codes == [("py_bob", 0), ("py_nobody", 70107)], r)

    # An endpoint the emulator knows but does not emulate: HTTP 501, which timsdk raises on.
    try:
        tim.open_config_svr.set_no_speaking("py_carol", c2c_msg_no_speaking_time=60)
        check("timsdk open_config_svr.set_no_speaking (not emulated)", False, "no error")
    except Exception as error:  # timsdk raises a bare Exception for any HTTP error status
        check("timsdk open_config_svr.set_no_speaking (not emulated: HTTP 501)",
              "request error" in str(error), str(error))


def rongcloud(info):
    base = info["url"]
    r_info = info["rongcloud"]
    rc = RongCloud(r_info["app_key"], r_info["app_secret"], host_url=base)
    user = rc.get_user()

    r = user.register("py_u1", name="U1", portrait_uri="http://img.example/u1.png")
    check("rc-server-sdk User.register (/user/getToken.json)",
          r.get("code") == 200 and r.get("userId") == "py_u1"
          and r.get("token", "").endswith("@" + r_info["app_key"]), r)
    r = user.register("py_u2", name="U2")
    check("rc-server-sdk User.register (second user)", r.get("code") == 200, r)

    r = user.update("py_u1", name="U1 renamed", portrait_uri="http://img.example/u1b.png")
    check("rc-server-sdk User.update (/user/refresh.json)", r.get("code") == 200, r)
    r = user.query("py_u1")
    check("rc-server-sdk User.query (/user/info.json)",
          r.get("code") == 200 and r.get("userName") == "U1 renamed"
          and r.get("userPortrait") == "http://img.example/u1b.png"
          and len(r.get("createTime", "")) == 19, r)
    r = answer(user.query("py_nobody"))  # HTTP 400: the SDK hands back the raw body
    check("rc-server-sdk User.query (unknown user: code 1002)", r.get("code") == 1002, r)

    r = user.check_online("py_u1")
    check("rc-server-sdk User.check_online (offline)", r == {"code": 200, "status": "0"}, r)
    control(base, "/_emulator/presence",
            {"vendor": "rongcloud", "user": "py_u1", "status": "online"})
    r = user.check_online("py_u1")
    check("rc-server-sdk User.check_online (online)", r == {"code": 200, "status": "1"}, r)

    block = user.get_block()
    r = block.add(["py_u1", "py_u2"], 10)
    check("rc-server-sdk Block.add (/user/block.json)", r.get("code") == 200, r)
    r = user.check_online("py_u1")
    check("rc-server-sdk User.check_online (blocked)", r.get("status") == "0", r)
    r = block.query()  # an empty body
    blocked = {u["userId"]: u["blockEndTime"] for u in r.get("users", [])}
    check("rc-server-sdk Block.query (/user/block/query.json)",
          r.get("code") == 200 and sorted(blocked) == ["py_u1", "py_u2"]
          and all(len(t) == 19 and t[10] == " " for t in blocked.values()), r)
    r = block.remove("py_u1")
    check("rc-server-sdk Block.remove (/user/unblock.json)", r.get("code") == 200, r)
    r = block.query()
    check("rc-server-sdk Block.query (after unblock)",
          [u["userId"] for u in r.get("users", [])] == ["py_u2"], r)

    tag = user.get_tag()
    r = tag.set("py_u1", ["vip", "beijing"])
    check("rc-server-sdk Tag.set (/user/tag/set.json)", r.get("code") == 200, r)
    r = tag.set(["py_u1", "py_u2"], ["batch"])
    check("rc-server-sdk Tag.set (/user/tag/batch/set.json)", r.get("code") == 200, r)
    r = tag.get(["py_u1", "py_u2"])
    check("rc-server-sdk Tag.get (/user/tags/get.json)",
          r.get("result") == {"py_u1": ["batch"], "py_u2": ["batch"]}, r)

    # Known at the vendor, not emulated: HTTP 501 with the vendor's JSON shape.
    r = answer(user.get_blacklist().add("py_u1", ["py_u2"]))
    check("rc-server-sdk Blacklist.add (not emulated: code 501)", r.get("code") == 501, r)


if __name__ == "__main__":
    run(tencent, rongcloud)
