#!/usr/bin/env python3
"""The vendors' public Python SDKs, unmodified, against imbridge-emulator: the messages family.

Usage: messages_family.py STARTUP_JSON   (or the startup line on stdin)

STARTUP_JSON is the emulator's startup line (see users_family.py). Needs the PyPI packages
`timsdk` (with `tls-sig-api-v2`) and `rc-server-sdk` (with `jinja2`). Prints one line per SDK
call checked and exits non-zero on the first failed check. Never talks to any host but the
emulator's. The SDKs are pointed at the emulator as in users_family.py.

What the SDKs do that the vendors' pages do not, and how the emulator meets it:
- timsdk has no call for `admin_getroammsg`, and its `send_group_msg` never sends
  `From_Account` (see groups_family.py): both are checked through the SDK's own
  `HttpClient.post`.
- timsdk's `import_text_msg` sends the current second as `MsgTimeStamp` and a `MsgRandom` drawn
  once when the module is loaded, so two imports of the same text in the same second are the
  same message: the emulator keeps one copy, as the vendor's de-duplication rule says.
- rc-server-sdk has no call for the v3 history queries; its `HistoryMessage.query` reads the
  hourly log (`/message/history.json`), which is not emulated (code 501).
"""

# First: it keeps every request on loopback, whatever proxies the environment names.
from sdk_loopback import LoopbackClient, answer, check, control, run

from rongcloud.rongcloud import RongCloud  # noqa: E402
from timsdk import TimClient  # noqa: E402


def text(s):
    return [{"MsgType": "TIMTextElem", "MsgContent": {"Text": s}}]


def tencent(info):
    base = info["url"]
    t = info["tencent"]
    tim = TimClient(t["sdkappid"], t["secret_key"], identifier=t["admin"])
    client = LoopbackClient(base, t["sdkappid"], t["admin"], tim.signature)
    for api in (tim.im_open_login_svc, tim.group_open_http_svc, tim.open_im):
        api.set_client(client)
    login, group, im = tim.im_open_login_svc, tim.group_open_http_svc, tim.open_im

    r = login.im_open_login_svc(["pm_a", "pm_b", "pm_c"])
    check("timsdk multiaccount_import (message users)", r.get("FailAccounts") == [], r)

    r = im.send_text_msg("pm_b", "hello", from_account="pm_a")
    key = r.get("MsgKey", "")
    check("timsdk openim.send_text_msg (sendmsg → MsgKey)",
          r.get("ErrorCode") == 0 and key.count("_") == 2 and r.get("MsgTime", 0) > 0, r)

    r = im.batch_send_text_msg(["pm_b", "pm_c", "pm_ghost"], "to all", from_account="pm_a")
    check("timsdk openim.batch_send_text_msg (batchsendmsg)",
          r.get("ErrorCode") == 0 and r.get("MsgKey")
          and r.get("ErrorList") == [{"To_Account": "pm_ghost", "ErrorCode": 90012}], r)

    r = im.admin_msg_withdraw("pm_b", "pm_a", key)
    check("timsdk openim.admin_msg_withdraw", r.get("ErrorCode") == 0, r)
    r = im.admin_msg_withdraw("pm_b", "pm_a", key)
    check("timsdk openim.admin_msg_withdraw (again: 20023)", r.get("ErrorCode") == 20023, r)

    r = im.import_text_msg("pm_c", "pm_a", "from the old system",
                           sync_from_old_system=im.SYNC_FROM_OLD_SYSTEM_HISTORY)
    check("timsdk openim.import_text_msg (importmsg)", r.get("ErrorCode") == 0, r)

    r = client.post("openim/admin_getroammsg",
                    data={"Operator_Account": "pm_a", "Peer_Account": "pm_b", "MaxCnt": 10,
                          "MinTime": 0, "MaxTime": 4294967295})
    flags = {m["MsgKey"]: m["MsgFlagBits"] for m in r.get("MsgList", [])}
    check("timsdk HttpClient.post admin_getroammsg (MsgFlagBits 8 when recalled)",
          r.get("Complete") == 1 and r.get("MsgCnt") == 2 and flags.get(key) == 8, r)

    r = group.create_group("Py messages", owner_account="pm_a",
                           member_list=[{"Member_Account": "pm_b"}])
    gid = r.get("GroupId", "")
    check("timsdk group_open_http_svc.create_group", r.get("ErrorCode") == 0, r)
    seqs = []
    for i in range(3):
        r = group.send_group_msg(gid, text(f"g{i}"), msg_random=100 + i)
        seqs.append(r.get("MsgSeq"))
    check("timsdk group_open_http_svc.send_group_msg (x3)", seqs == [1, 2, 3], seqs)

    r = group.group_msg_recall(gid, [{"MsgSeq": 2}, {"MsgSeq": 9}])
    check("timsdk group_open_http_svc.group_msg_recall",
          r.get("RecallRetList") == [{"MsgSeq": 2, "RetCode": 0},
                                     {"MsgSeq": 9, "RetCode": 10030}], r)

    r = group.group_msg_get_simple(gid, 20)
    got = [(m["MsgSeq"], m["MsgBody"]) for m in r.get("RspMsgList", [])]
    check("timsdk group_open_http_svc.group_msg_get_simple (recalled left out)",
          r.get("IsFinished") == 1 and got == [(3, text("g2")), (1, text("g0"))], r)
    r = client.post("group_open_http_svc/group_msg_get_simple",
                    data={"GroupId": gid, "ReqMsgNumber": 1, "ReqMsgSeq": 2,
                          "WithRecalledMsg": 1})
    check("timsdk HttpClient.post group_msg_get_simple (WithRecalledMsg: IsPlaceMsg 2)",
          r.get("IsFinished") == 0
          and [(m["MsgSeq"], m["IsPlaceMsg"]) for m in r.get("RspMsgList", [])] == [(2, 2)], r)

    r = group.create_group("Py import", owner_account="pm_a")
    gid2 = r.get("GroupId", "")
    state = control(base, "/_emulator/state")["tencent"]
    created = next(g["create_time"] for g in state["groups"] if g["id"] == gid2)
    r = group.import_group_msg(gid2, [
        {"From_Account": "pm_a", "SendTime": created, "Random": 1, "MsgBody": text("old 1")},
        {"From_Account": "pm_b", "SendTime": created, "Random": 2, "MsgBody": text("old 2")},
    ])
    check("timsdk group_open_http_svc.import_group_msg (ImportMsgResult)",
          [m.get("Result") for m in r.get("ImportMsgResult", [])] == [0, 10004], r)

    state = control(base, "/_emulator/state")["tencent"]["messages"]
    recalled = [m["msg_key"] for m in state["c2c"] if m["recalled"]]
    check("control API state: recall state", recalled == [key]
          and [m["seq"] for m in state["group"] if m["recalled"]] == [2], state)


def rongcloud(info):
    base = info["url"]
    r_info = info["rongcloud"]
    rc = RongCloud(r_info["app_key"], r_info["app_secret"], host_url=base)
    message = rc.get_message()
    private, group, system = message.get_private(), message.get_group(), message.get_system()

    r = private.send("pm_u1", ["pm_u2", "pm_u3"], "RC:TxtMsg", {"content": "hi"},
                     push_content="new message")
    uids = {u["userId"]: u["messageUID"] for u in r.get("messageUIDs", [])}
    check("rc-server-sdk Private.send (/message/private/publish.json)",
          r.get("code") == 200 and sorted(uids) == ["pm_u2", "pm_u3"], r)
    r = private.send("pm_u1", "pm_u2", "RC:ImgMsg",
                     {"content": "thumb", "imageUri": "https://cdn.example/p.png"})
    check("rc-server-sdk Private.send (RC:ImgMsg)", r.get("code") == 200, r)

    r = private.recall("pm_u1", "pm_u2", uids["pm_u2"], 1700000000000)
    check("rc-server-sdk Private.recall (/message/recall.json)", r == {"code": 200}, r)
    r = answer(private.recall("pm_u2", "pm_u1", uids["pm_u3"], 1700000000000))
    check("rc-server-sdk Private.recall (not the sender's: 1002)", r.get("code") == 1002, r)

    r = group.send("pm_u1", "pm_g1", "RC:TxtMsg",
                   {"content": "@pm_u2 hi",
                    "mentionedInfo": {"type": 2, "userIdList": ["pm_u2"]}},
                   is_mentioned=1)
    guid = r.get("messageUIDs", [{}])[0].get("messageUID")
    check("rc-server-sdk Group.send (mentionedInfo)",
          r.get("code") == 200 and r["messageUIDs"][0].get("groupId") == "pm_g1", r)
    r = group.recall("pm_u1", "pm_g1", guid, 1700000000000)
    check("rc-server-sdk Group.recall", r == {"code": 200}, r)

    r = system.send("pm_sys", ["pm_u1", "pm_u2"], "RC:TxtMsg", {"content": "maintenance"})
    check("rc-server-sdk System.send (/message/system/publish.json)",
          r.get("code") == 200 and len(r.get("messageUIDs", [])) == 2, r)

    state = control(base, "/_emulator/state")["rongcloud"]["messages"]
    check("control API state: recall and system messages",
          [m["to"] for m in state["private"] if m["recalled"]] == ["pm_u2"]
          and [m["recalled"] for m in state["group"]] == [True]
          and [m["to"] for m in state["system"]] == ["pm_u1", "pm_u2"], state)

    # Known at the vendor, not emulated: HTTP 501 with the vendor's JSON shape.
    r = answer(message.get_history().query("2026113001"))
    check("rc-server-sdk History.query (not emulated: code 501)", r.get("code") == 501, r)


if __name__ == "__main__":
    run(tencent, rongcloud)
