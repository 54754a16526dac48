#!/usr/bin/env python3
"""The vendors' public Python SDKs, unmodified, against imbridge-emulator: the groups family.

Usage: groups_family.py STARTUP_JSON   (or the startup line on stdin)

STARTUP_JSON is the emulator's startup line (see users_family.py). Needs the PyPI packages
`timsdk` (with `tls-sig-api-v2`) and `rc-server-sdk` (with `jinja2`). Prints one line per SDK
call checked and exits non-zero on the first failed check. Never talks to any host but the
emulator's. The SDKs are pointed at the emulator as in users_family.py.

What the SDKs do that the vendors' pages do not, and how the emulator meets it:
- timsdk sends the group mute fields under their names before the vendor's 2022 renaming
  (`ShutUpAllMember`, `ShutUpTime`) and lists mutes with `get_group_shutted_uin`; the emulator
  serves both generations of names.
- timsdk sends `get_appid_group_list` as an HTTP GET without a body (the vendor documents POST;
  refused with 60002, as account_check in users_family.py) and never sends `From_Account` in
  `send_group_msg` (its code annotates instead of assigning), so those two are also checked
  through the SDK's own `HttpClient.post`.
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
    for api in (tim.im_open_login_svc, tim.group_open_http_svc):
        api.set_client(client)
    login, group = tim.im_open_login_svc, tim.group_open_http_svc

    r = login.im_open_login_svc(["pg_owner", "pg_a", "pg_b", "pg_c"])
    check("timsdk multiaccount_import (group members)", r.get("FailAccounts") == [], r)

    r = group.create_group("Py group", owner_account="pg_owner",
                           member_list=[{"Member_Account": "pg_a"}],
                           introduction="from timsdk")
    gid = r.get("GroupId", "")
    check("timsdk group_open_http_svc.create_group", r.get("ErrorCode") == 0
          and gid.startswith("@TGS#"), r)

    r = group.add_group_member(gid, [{"Member_Account": "pg_b"}, {"Member_Account": "pg_a"},
                                     {"Member_Account": "pg_nobody"}])
    results = {m["Member_Account"]: m["Result"] for m in r.get("MemberList", [])}
    check("timsdk group_open_http_svc.add_group_member",
          results == {"pg_b": 1, "pg_a": 2, "pg_nobody": 0}, r)

    r = group.get_group_info([gid, "@TGS#nope"])
    info, missing = r["GroupInfo"]
    check("timsdk group_open_http_svc.get_group_info",
          info.get("ErrorCode") == 0 and info.get("Name") == "Py group"
          and info.get("Owner_Account") == "pg_owner" and info.get("MemberNum") == 3
          and info.get("ShutUpAllMember") == "Off" and missing.get("ErrorCode") == 10015, r)

    r = group.get_group_member_info(gid, limit=2, offset=1)
    check("timsdk group_open_http_svc.get_group_member_info",
          r.get("MemberNum") == 3
          and [m["Member_Account"] for m in r.get("MemberList", [])] == ["pg_a", "pg_b"], r)

    r = group.modify_group_base_info(gid, name="Renamed", notification="hello",
                                     shut_up_all_member="On")
    check("timsdk group_open_http_svc.modify_group_base_info (ShutUpAllMember)",
          r.get("ErrorCode") == 0, r)
    r = group.get_group_info([gid], {"GroupBaseInfoFilter": ["Name", "Notification",
                                                             "ShutUpAllMember",
                                                             "MuteAllMember"]})
    info = r["GroupInfo"][0]
    check("timsdk get_group_info (after modify)",
          info.get("Name") == "Renamed" and info.get("Notification") == "hello"
          and info.get("ShutUpAllMember") == "On" and info.get("MuteAllMember") == "On", r)

    # Everyone muted: a plain member cannot send, the owner can. timsdk never sends
    # From_Account, so the SDK's own HTTP client carries these two.
    send = {"GroupId": gid, "Random": 7, "MsgBody": text("hi"), "From_Account": "pg_a"}
    r = client.post("group_open_http_svc/send_group_msg", data=send)
    check("timsdk HttpClient.post send_group_msg (everyone muted: 10017)",
          r.get("ErrorCode") == 10017, r)
    r = client.post("group_open_http_svc/send_group_msg",
                    data=dict(send, From_Account="pg_owner", Random=8))
    check("timsdk HttpClient.post send_group_msg (owner while everyone muted)",
          r.get("ErrorCode") == 0 and r.get("MsgSeq") == 1, r)
    group.modify_group_base_info(gid, shut_up_all_member="Off")

    r = group.forbid_send_msg(gid, ["pg_b"], 600)  # `ShutUpTime`
    check("timsdk group_open_http_svc.forbid_send_msg (ShutUpTime)", r.get("ErrorCode") == 0, r)
    r = group.get_group_shut_uin(gid)  # get_group_shutted_uin
    muted = r.get("ShuttedUinList", [])
    check("timsdk group_open_http_svc.get_group_shut_uin (get_group_shutted_uin)",
          r.get("GroupId") == gid and [m["Member_Account"] for m in muted] == ["pg_b"]
          and muted[0]["ShuttedUntil"] > 0, r)
    r = client.post("group_open_http_svc/send_group_msg",
                    data=dict(send, From_Account="pg_b", Random=9))
    check("timsdk HttpClient.post send_group_msg (muted member: 10017)",
          r.get("ErrorCode") == 10017, r)
    r = client.post("group_open_http_svc/get_group_muted_account", data={"GroupId": gid})
    check("timsdk HttpClient.post get_group_muted_account",
          [m["Member_Account"] for m in r.get("MutedAccountList", [])] == ["pg_b"], r)
    r = group.forbid_send_msg(gid, ["pg_b"], 0)
    r2 = group.get_group_shut_uin(gid)
    check("timsdk forbid_send_msg (ShutUpTime 0 unmutes)",
          r.get("ErrorCode") == 0 and r2.get("ShuttedUinList") == [], r2)

    r = group.modify_group_member_info(gid, "pg_a", role="Admin")
    r2 = group.get_role_in_group(gid, ["pg_a", "pg_owner", "pg_c"])
    roles = {u["Member_Account"]: u["Role"] for u in r2.get("UserIdList", [])}
    check("timsdk modify_group_member_info + get_role_in_group",
          r.get("ErrorCode") == 0
          and roles == {"pg_a": "Admin", "pg_owner": "Owner", "pg_c": "NotMember"}, r2)

    r = group.change_group_owner(gid, "pg_b")
    r2 = group.get_group_info([gid], {"GroupBaseInfoFilter": ["Owner_Account"]})
    check("timsdk group_open_http_svc.change_group_owner",
          r.get("ErrorCode") == 0 and r2["GroupInfo"][0].get("Owner_Account") == "pg_b", r2)
    r = group.change_group_owner(gid, "pg_c")
    check("timsdk change_group_owner (not a member: 10007)", r.get("ErrorCode") == 10007, r)

    r = group.get_joined_group_list("pg_a")
    check("timsdk group_open_http_svc.get_joined_group_list",
          r.get("TotalCount") == 1 and r.get("GroupIdList") == [{"GroupId": gid}], r)

    r = group.delete_group_member(gid, ["pg_a"])
    r2 = group.get_joined_group_list("pg_a")
    check("timsdk group_open_http_svc.delete_group_member",
          r.get("ErrorCode") == 0 and r2.get("TotalCount") == 0, r2)

    r = group.get_app_id_group_list()
    check("timsdk get_app_id_group_list (GET, refused)", r.get("ErrorCode") == 60002, r)
    r = client.post("group_open_http_svc/get_appid_group_list", data={"Limit": 10})
    check("timsdk HttpClient.post get_appid_group_list",
          r.get("TotalCount") == 1 and r.get("GroupIdList") == [{"GroupId": gid}]
          and r.get("Next") == 0, r)

    r = group.destroy_group(gid)
    r2 = group.get_group_info([gid])
    check("timsdk group_open_http_svc.destroy_group",
          r.get("ErrorCode") == 0 and r2["GroupInfo"][0].get("ErrorCode") == 10010, r2)


def rongcloud(info):
    base = info["url"]
    r_info = info["rongcloud"]
    rc = RongCloud(r_info["app_key"], r_info["app_secret"], host_url=base)
    group = rc.get_group()

    r = group.create(["pg_u1", "pg_u2"], "pg_g1", "Py group")
    check("rc-server-sdk Group.create (/group/create.json)", r == {"code": 200}, r)
    r = group.join(["pg_u3"], "pg_g1", "Py group")
    check("rc-server-sdk Group.join (/group/join.json)", r == {"code": 200}, r)
    r = group.query("pg_g1")
    check("rc-server-sdk Group.query (/group/user/query.json)",
          r.get("users") == [{"id": "pg_u1"}, {"id": "pg_u2"}, {"id": "pg_u3"}], r)
    r = group.get_user().query("pg_g1")
    check("rc-server-sdk Group.get_user().query", len(r.get("users", [])) == 3, r)
    r = group.update("pg_g1", "Renamed")
    check("rc-server-sdk Group.update (/group/refresh.json)", r == {"code": 200}, r)
    group.create(["pg_u1"], "pg_g2", "Second")
    r = group.query_user_group("pg_u1")
    check("rc-server-sdk Group.query_user_group (/user/group/query.json)",
          r.get("groups") == [{"id": "pg_g1", "name": "Renamed"},
                              {"id": "pg_g2", "name": "Second"}], r)
    r = group.quit(["pg_u3"], "pg_g1")
    check("rc-server-sdk Group.quit (/group/quit.json)",
          r == {"code": 200} and len(group.query("pg_g1")["users"]) == 2, r)

    gag = group.get_user().get_gag()
    r = gag.add(["pg_u1", "pg_u2"], "pg_g1", 10)
    check("rc-server-sdk Gag.add (/group/user/gag/add.json)", r == {"code": 200}, r)
    r = gag.query("pg_g1")
    users = r.get("users", [])
    check("rc-server-sdk Gag.query (/group/user/gag/list.json)",
          [u["userId"] for u in users] == ["pg_u1", "pg_u2"]
          and all(len(u["time"]) == 19 and len(u["startTime"]) == 19 for u in users), r)
    r = gag.add("pg_u3", None, 0)  # no groupId: muted in every group, permanently
    r2 = gag.query(None)  # an empty body
    check("rc-server-sdk Gag.add / Gag.query (every group)",
          r == {"code": 200} and [u["userId"] for u in r2.get("users", [])] == ["pg_u3"], r2)
    r = gag.remove(["pg_u1"], "pg_g1")
    r2 = gag.query("pg_g1")
    check("rc-server-sdk Gag.remove (/group/user/gag/rollback.json)",
          r == {"code": 200} and [u["userId"] for u in r2["users"]] == ["pg_u2"], r2)

    ban = group.get_user().get_ban()
    r = ban.add(["pg_g1", "pg_g2"])
    check("rc-server-sdk Ban.add (/group/ban/add.json)", r == {"code": 200}, r)
    r = ban.query(["pg_g1", "pg_nope"])
    check("rc-server-sdk Ban.query (/group/ban/query.json)",
          r.get("groupinfo") == [{"groupId": "pg_g1", "stat": 1},
                                 {"groupId": "pg_nope", "stat": 0}], r)
    whitelist = ban.get_whitelist()
    r = whitelist.add(["pg_u1"], "pg_g1")
    r2 = whitelist.query("pg_g1")
    check("rc-server-sdk Whitelist.add / query (/group/user/ban/whitelist/*)",
          r == {"code": 200} and r2.get("userIds") == ["pg_u1"], r2)
    r = whitelist.remove(["pg_u1"], "pg_g1")
    check("rc-server-sdk Whitelist.remove", r == {"code": 200}
          and whitelist.query("pg_g1").get("userIds") == [], r)
    r = ban.remove("pg_g2")
    r2 = ban.query(["pg_g1", "pg_g2"])
    check("rc-server-sdk Ban.remove (/group/ban/rollback.json)",
          r == {"code": 200} and [g["stat"] for g in r2["groupinfo"]] == [1, 0], r2)

    state = control(base, "/_emulator/state")["rongcloud"]
    check("control API state: gags and muted groups",
          state.get("banned_groups") == ["pg_g1"]
          and sorted((g["group_id"], g["user_id"]) for g in state.get("gags", []))
          == [("", "pg_u3"), ("pg_g1", "pg_u2")], state)

    r = group.dismiss("pg_u1", "pg_g1")
    check("rc-server-sdk Group.dismiss (/group/dismiss.json)",
          r == {"code": 200} and group.query("pg_g1").get("users") == [], r)

    # Known at the vendor, not emulated: HTTP 501 with the vendor's JSON shape.
    r = answer(group.sync("pg_u1", [("pg_g9", "Nine")]))
    check("rc-server-sdk Group.sync (not emulated: code 501)", r.get("code") == 501, r)


if __name__ == "__main__":
    run(tencent, rongcloud)
