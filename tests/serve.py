#!/usr/bin/env python3
"""serve.py: `hazcheck serve` over HTTP on 127.0.0.1, as a client and as an
attacker would use it: sign-in and its refusals (the same 401 for an unknown
name and a wrong password, 429 after repeated failures), the session cookie's
flags, sites filtered by role (another squad's site is 404, like a missing
one), requests without a session (401) or without the CSRF token (403), use
after sign-out, an oversized body (413), a bad body (400); inspections recorded
once however often and however at once, refused for another squad's site, an
inline site or an answer that does not fit, read back as JSON and as a report
whose one style is allowed by its hash; evidence judged by its bytes (HTML or
SVG called .jpg: 415), kept under its digest, served only to who may see a
citing record, never by a path; the pages (sign-in, redirects, the forms'
CSRF field and origin, an inspection filled section by section with a photo
into a draft, previewed and recorded); the attack matrix: every route as
every role and as nobody with guessed ids, every action step as every role,
every change without the CSRF token (nothing changes); security headers on every answer, one
access-log line per request, and a clean stop on SIGTERM.
Ends with "N passed, M failed". Traffic goes to 127.0.0.1 only. SERVE_DB=postgresql
runs it all on a database of the suite's PostgreSQL server."""
import http.client, json, os, re, signal, subprocess, sys, tempfile, time

build = sys.argv[1] if len(sys.argv) > 1 else "build"
hc = os.path.abspath(f"{build}/hazcheck")
tmp = tempfile.mkdtemp()
env = dict(os.environ, HAZCHECK_USER="admin-setup")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverkit import Checks, fresh_db, query, runner, start
db = fresh_db(tmp, "serve")
check = Checks()
run = runner(hc, db, env)

# the register, an inspection at each site (two actions each), and the accounts
data = os.path.abspath("tests/data")
for sid, squad in (("s-1", "一中队"), ("s-2", "二中队")):
    open(f"{tmp}/{sid}.yaml", "w").write(
        f"id: {sid}\nname: 企业{sid}\nsquad: {squad}\ndust: {{dry_collection: true}}\n")
    check(run("site", "add", f"{tmp}/{sid}.yaml").returncode == 0, f"site add {sid}")
    open(f"{tmp}/i-{sid}.yaml", "w").write(
        f"inspection: {{id: i-{sid}, site: {sid}, checklist: mini, date: 2026-09-09, inspector: 王芳}}\n"
        "answers:\n  D03: {explosion_control: none}\n  G01: {thickness_mm: 3, blown: no}\n"
        "  G02: {devices: [rotary_valve], code: A, count: 1}\n")
    r = run("--packs", f"{data}/packs", "--rules", f"{data}/rules", "record", f"{tmp}/i-{sid}.yaml")
    check(r.returncode == 3, f"record at {sid}: {r.stderr.strip()}")
check(run("user", "add", "局", "--role", "admin", stdin="correct horse\n").returncode == 0, "user add admin")
check(run("user", "add", "王芳", "--role", "inspector", "--squad", "一中队", stdin="correct horse\n").returncode == 0,
      "user add inspector")
check(run("user", "add", "企业甲", "--role", "enterprise", "--site", "s-2", stdin="correct horse\n").returncode == 0,
      "user add enterprise")
check(run("user", "add", "队长", "--role", "leader", "--squad", "二中队", stdin="correct horse\n").returncode == 0,
      "user add leader")

srv, port, log = start(hc, db, ["--packs", f"{data}/packs", "--rules", f"{data}/rules", "serve",
                               "--data", f"{tmp}/evidence"], env,
                       f"{tmp}/serve.log")
check(port is not None, "the server says where it listens")
if port is None:
    srv.kill()
    check.end()

def call(method, path, body=None, cookie=None, csrf=None, raw=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {}
    if cookie: headers["Cookie"] = cookie
    if csrf: headers["X-CSRF-Token"] = csrf
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    if data is not None: headers["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=headers)
    r = c.getresponse()
    out = r.read()
    c.close()
    return r.status, dict(r.getheaders()), out

def login(user, pw="correct horse"):
    st, h, out = call("POST", "/api/v1/login", {"user": user, "password": pw})
    cookie = h.get("Set-Cookie", "")
    token = re.match(r"hc_session=([0-9a-f]*);", cookie)
    return st, (f"hc_session={token.group(1)}" if token else None), (json.loads(out) if st == 200 else out), cookie

# sign-in: a session cookie that scripts cannot read and other sites cannot send
st, cookie, me, raw_cookie = login("王芳")
check(st == 200 and me["role"] == "inspector" and len(me["csrf"]) == 64, "an inspector signs in")
check("HttpOnly" in raw_cookie and "SameSite=Strict" in raw_cookie and "Path=/" in raw_cookie,
      "the session cookie is HttpOnly and SameSite=Strict")
check("Secure" not in raw_cookie, "no Secure flag without --secure-cookies")
st1, _, body1 = call("POST", "/api/v1/login", {"user": "王芳", "password": "wrong password"})
st2, _, body2 = call("POST", "/api/v1/login", {"user": "nobody", "password": "wrong password"})
check(st1 == 401 and st2 == 401 and body1 == body2, "unknown user and wrong password: the same 401")
# a new token at every sign-in (no fixation)
_, cookie2, me2, _ = login("王芳")
check(cookie2 and cookie2 != cookie, "each sign-in gets a new session token")

# sites: the inspector sees its squad's; another squad's site is 404 like a missing one
st, h, out = call("GET", "/api/v1/sites", cookie=cookie)
ids = [s["id"] for s in json.loads(out)] if st == 200 else []
check(st == 200 and ids == ["s-1"], f"the inspector sees only its squad's sites (got {ids})")
check(call("GET", "/api/v1/sites/s-1", cookie=cookie)[0] == 200, "its own squad's site")
check(call("GET", "/api/v1/sites/s-2", cookie=cookie)[0] == 404, "another squad's site is 404")
check(call("GET", "/api/v1/sites/nope", cookie=cookie)[0] == 404, "a missing site is 404")
_, ecookie, eme, _ = login("企业甲")
st, _, out = call("GET", "/api/v1/sites", cookie=ecookie)
check(st == 200 and [s["id"] for s in json.loads(out)] == ["s-2"], "an enterprise sees only its own site")
_, acookie, _, _ = login("局")
st, _, out = call("GET", "/api/v1/sites", cookie=acookie)
check(st == 200 and len(json.loads(out)) == 2, "the admin sees every site")

# actions: each sees the actions of the sites it may see; a step by the policy and the state
def acts(cookie, query=""):
    st, _, out = call("GET", "/api/v1/actions" + query, cookie=cookie)
    return st, (json.loads(out) if st == 200 else out)
st, mine = acts(ecookie)
check(st == 200 and {a["site"] for a in mine} == {"s-2"} and len(mine) == 2, "an enterprise sees only its own actions")
st, squad = acts(acookie)
st2, one = acts(cookie2)
check(st2 == 200 and {a["site"] for a in one} == {"s-1"}, "an inspector sees its squad's actions")
check(acts(cookie2, "?status=bogus")[0] == 400, "a bad status filter: 400")
theirs = [a for a in squad if a["site"] == "s-1"][0]["id"]
own = mine[0]["id"]
check(call("POST", f"/api/v1/actions/{own}/verify", {"note": "x"}, cookie=ecookie, csrf=eme["csrf"])[0] == 403,
      "an enterprise may not verify: 403")
check(call("POST", f"/api/v1/actions/{theirs}/rectify", {"note": "x"}, cookie=ecookie, csrf=eme["csrf"])[0] == 404,
      "another enterprise's action: 404")
check(call("POST", f"/api/v1/actions/{own}/rectify", {"note": "x"}, cookie=ecookie)[0] == 403,
      "a step without the CSRF token: 403")
st, _, out = call("POST", f"/api/v1/actions/{own}/rectify", {"note": "已加装泄爆片", "evidence": ["IMG_1.jpg"], "cost": 1200},
                  cookie=ecookie, csrf=eme["csrf"])
check(st == 200 and json.loads(out)["status"] == "rectified", f"the enterprise rectifies its action ({st} {out[:120]})")
check(call("POST", f"/api/v1/actions/{own}/rectify", {"note": "again"}, cookie=ecookie, csrf=eme["csrf"])[0] == 409,
      "rectifying twice: 409")
check(call("POST", f"/api/v1/actions/{own}/verify", {"note": "x"}, cookie=cookie2, csrf=me2["csrf"])[0] == 404,
      "an inspector of another squad cannot reach it: 404")
_, acookie2, ame2, _ = login("局")
st, _, out = call("POST", f"/api/v1/actions/{own}/verify", {"note": "现场核实"}, cookie=acookie2, csrf=ame2["csrf"])
check(st == 200 and json.loads(out)["status"] == "verified", "the admin verifies it")
check(call("POST", f"/api/v1/actions/{own}/explode", {}, cookie=acookie2, csrf=ame2["csrf"])[0] == 404,
      "an unknown step: 404")
check(call("POST", "/api/v1/actions/99999/verify", {}, cookie=acookie2, csrf=ame2["csrf"])[0] == 404,
      "a missing action: 404")
r = run("actions", "--format", "json")
evs = [e for a in json.loads(r.stdout) if a["id"] == own for e in a["events"]]
check([e["by"] for e in evs if e["kind"] in ("rectify", "verify")] == ["企业甲", "局"],
      "each step is logged under the signed-in user's name")

# figures: the bureau's, a squad's, none for an enterprise
def stats(cookie, query=""):
    st, _, out = call("GET", "/api/v1/stats" + query, cookie=cookie)
    return st, (json.loads(out) if st == 200 else out)
st, alls = stats(acookie2)
check(st == 200 and alls["inspections"] == 2 and alls["verified"] == 1, f"the admin's figures: every site ({alls})")
st, sq = stats(cookie2)
check(st == 200 and sq["inspections"] == 1 and sq["verified"] == 0, f"an inspector's figures: its squad's ({sq})")
check(stats(ecookie)[0] == 403, "an enterprise gets no figures: 403")
st, by = stats(acookie2, "?by=squad")
check(st == 200 and [g["group"] for g in by] == ["一中队", "二中队"], "figures by squad")
check(stats(acookie2, "?since=yesterday")[0] == 400, "a bad date: 400")

# inspections: recorded as `record` does, once however often and however at once
def inspection(site, date="2026-10-01", kind=None, answers=None, **head):
    h = {"site": site, "checklist": "mini", "date": date, **head}
    if kind: h["kind"] = kind
    return {"inspection": h, "answers": answers if answers is not None else
            {"D03": {"explosion_control": "none"}, "G01": {"thickness_mm": 0.5, "blown": False},
             "G02": {"devices": ["rotary_valve"], "code": "A", "count": 1}}}
st, _, first = call("POST", "/api/v1/inspections", inspection("s-1"), cookie=cookie2, csrf=me2["csrf"])
res = json.loads(first) if st == 201 else {}
check(st == 201 and res.get("summary", {}).get("verdict") == "major-hazard", f"an inspector records an inspection: 201 ({st} {first[:200]})")
iid = res.get("inspection", {}).get("id", "")
check(res.get("inspection", {}).get("inspector") == "王芳", "without an inspector, the signed-in user inspected")
st, _, again = call("POST", "/api/v1/inspections", inspection("s-1"), cookie=cookie2, csrf=me2["csrf"])
check(st == 200 and again == first, "the same inspection again: 200 and the same result")
import threading
answers = []
def submit():
    answers.append(call("POST", "/api/v1/inspections", inspection("s-1", date="2026-10-02"), cookie=cookie2,
                        csrf=me2["csrf"]))
threads = [threading.Thread(target=submit) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
codes = sorted(a[0] for a in answers)
check(codes == [200] * 7 + [201] and len({a[2] for a in answers}) == 1,
      f"the same inspection sent eight times at once: one 201, seven 200, one result ({codes})")
n = query(db, "SELECT count(*) FROM inspections WHERE date = '2026-10-02'")
nact = query(db, "SELECT count(*) FROM actions a JOIN inspections i ON i.id = a.inspection_id"
                 " WHERE i.date = '2026-10-02'")
fails = json.loads(answers[0][2])["summary"]["counts"]["fail"]
check(n == 1 and nact == fails >= 1, f"and recorded once, with its actions once ({n} inspections, {nact} actions)")
check(call("POST", "/api/v1/inspections", inspection("s-2"), cookie=cookie2, csrf=me2["csrf"])[0] == 404,
      "an inspection of another squad's site: 404")
check(call("POST", "/api/v1/inspections", inspection("s-404"), cookie=cookie2, csrf=me2["csrf"])[0] == 404,
      "an inspection of a site that does not exist: the same 404")
check(call("POST", "/api/v1/inspections", inspection("s-1' OR '1'='1"), cookie=cookie2, csrf=me2["csrf"])[0] == 404,
      "SQL in the site id: 404")
check(call("POST", "/api/v1/inspections", inspection("s-2"), cookie=ecookie, csrf=eme["csrf"])[0] == 403,
      "an enterprise may not record an enforcement inspection: 403")
st, _, out = call("POST", "/api/v1/inspections", inspection("s-2", kind="self"), cookie=ecookie, csrf=eme["csrf"])
check(st == 201, f"an enterprise records a self-assessment of its site: 201 ({st} {out[:160]})")
check(call("POST", "/api/v1/inspections", inspection("s-1", kind="self"), cookie=ecookie, csrf=eme["csrf"])[0] == 404,
      "a self-assessment of another's site: 404")
check(call("POST", "/api/v1/inspections", inspection({"id": "s-1", "name": "x", "squad": "二中队"}),
           cookie=cookie2, csrf=me2["csrf"])[0] == 403, "an inline site (a way to rewrite the register): 403")
st, _, out = call("POST", "/api/v1/inspections", inspection("s-1", answers={"G01": {"thickness_mm": "thick", "blown": False}}),
                  cookie=cookie2, csrf=me2["csrf"])
probs = json.loads(out).get("problems", []) if st == 422 else []
check(st == 422 and any(p.startswith("body:") for p in probs), f"an answer that does not fit: 422 at body:line:col ({st} {out[:200]})")
check(call("POST", "/api/v1/inspections", inspection("s-1"), cookie=cookie2)[0] == 403, "an inspection without the CSRF token: 403")
check(call("POST", "/api/v1/inspections", raw=b"[1,2]", cookie=cookie2, csrf=me2["csrf"])[0] == 400, "an array body: 400")
check(call("POST", "/api/v1/inspections", {"inspection": {"site": "s-1"}}, cookie=cookie2, csrf=me2["csrf"])[0] == 400,
      "an inspection without a checklist or date: 400")

st, _, out = call("GET", f"/api/v1/inspections/{iid}", cookie=cookie2)
check(st == 200 and out == first, "GET an inspection: its recorded result")
check(call("GET", f"/api/v1/inspections/{iid}", cookie=ecookie)[0] == 404, "another's inspection: 404")
check(call("GET", "/api/v1/inspections/nope", cookie=cookie2)[0] == 404, "a missing inspection: 404")
check(call("GET", f"/api/v1/inspections/{iid}/other", cookie=cookie2)[0] == 404, "an unknown part: 404")
st, h, page = call("GET", f"/api/v1/inspections/{iid}/report", cookie=cookie2)
text = page.decode()
check(st == 200 and h.get("Content-Type", "").startswith("text/html") and "隐患" in text, "the report as HTML")
import base64, hashlib
m = re.search(r"<style>(.*?)</style>", text, re.S)
want = "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode()).digest()).decode() + "'" if m else "?"
check(want in h.get("Content-Security-Policy", "") and "unsafe-inline" not in h.get("Content-Security-Policy", ""),
      "the report's style is allowed by its hash, nothing else inline")
check(call("GET", f"/api/v1/inspections/{iid}/report", cookie=ecookie)[0] == 404, "another's report: 404")
st, _, out = call("POST", "/api/v1/inspections",
                  inspection("s-1", date="2026-10-03", answers={"D03": {"explosion_control": "none",
                             "note": "<script>alert(1)</script>"}}), cookie=cookie2, csrf=me2["csrf"])
rid = json.loads(out)["inspection"]["id"] if st == 201 else ""
page = call("GET", f"/api/v1/inspections/{rid}/report", cookie=cookie2)[2].decode()
check("<script>alert" not in page and "&lt;script&gt;" in page, "HTML in a note is shown, not run")

# evidence: by content, not by name; kept by digest; shown to who may see a citing record
png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
def upload(body, cookie=cookie2, csrf=me2["csrf"]):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"Content-Type": "image/jpeg"}
    if cookie: headers["Cookie"] = cookie
    if csrf: headers["X-CSRF-Token"] = csrf
    try:
        c.request("POST", "/api/v1/evidence", body=body, headers=headers)
        r = c.getresponse()
        out = r.read()
    except (BrokenPipeError, ConnectionResetError):
        return 0, b""
    finally:
        c.close()
    return r.status, out
st, out = upload(png)
ref = json.loads(out)["ref"] if st == 201 else ""
check(st == 201 and ref == "sha256:" + hashlib.sha256(png).hexdigest(), f"a PNG is kept under its SHA-256 ({st} {out[:100]})")
check(upload(png) == (st, out), "the same file again: the same reference")
check(upload(b"\xff\xd8\xff\xe0" + b"\0" * 100)[0] == 201 and upload(b"%PDF-1.7\n%%EOF\n")[0] == 201, "JPEG and PDF are taken")
check(upload(b"<html><script>alert(1)</script></html>")[0] == 415, "an HTML page called a JPEG: 415")
check(upload(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')[0] == 415,
      "an SVG: 415")
check(upload(b"")[0] == 400, "an empty upload: 400")
check(upload(b"\xff\xd8\xff" + b"\0" * (17 << 20))[0] in (413, 0), "an upload over 16 MiB: 413")
check(upload(png, cookie=None, csrf=None)[0] == 401, "an upload without a session: 401")
check(upload(png, csrf=None)[0] == 403, "an upload without the CSRF token: 403")
check(call("GET", f"/api/v1/evidence/{ref}", cookie=cookie2)[0] == 404, "an uncited file: 404 to an inspector")
check(call("GET", f"/api/v1/evidence/{ref}", cookie=acookie2)[0] == 200, "an uncited file: the admin sees it")
st, _, out = call("POST", "/api/v1/inspections",
                  inspection("s-1", date="2026-10-04", answers={"D03": {"explosion_control": "none", "evidence": [ref]}}),
                  cookie=cookie2, csrf=me2["csrf"])
check(st == 201, "an answer cites the photo")
st, h, out = call("GET", f"/api/v1/evidence/{ref}", cookie=cookie2)
check(st == 200 and out == png and h.get("Content-Type") == "image/png" and h.get("X-Content-Type-Options") == "nosniff",
      "the cited photo, to its squad's inspector, as image/png with nosniff")
check("sandbox" in h.get("Content-Security-Policy", ""), "a served file runs nothing (CSP sandbox)")
check(call("GET", f"/api/v1/evidence/{ref}", cookie=ecookie)[0] == 404, "to another site's enterprise: 404")
for bad in ("sha256:../../../etc/passwd", "sha256:..%2F..%2Fserve.db", "..%2Fserve.db", "sha256:" + "A" * 64,
            "sha256:" + "0" * 64):
    check(call("GET", f"/api/v1/evidence/{bad}", cookie=acookie2)[0] == 404, f"evidence ref {bad[:24]}: 404")
check(os.path.isfile(f"{tmp}/evidence/{ref[7:9]}/{ref[7:]}"), "kept beside the database, under its digest")
check(not [f for f in os.listdir(f"{tmp}/evidence") if f.startswith(".upload")], "no upload left half-kept")

# pages: the same records for people, with forms, redirects and the same refusals
import urllib.parse, uuid
def page(method, path, fields=None, cookie=None, origin=None, files=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {}
    if cookie: headers["Cookie"] = cookie
    if origin: headers["Origin"] = origin
    body = None
    if files is not None:
        b = uuid.uuid4().hex
        parts = []
        for k, v in (fields or {}).items():
            for one in (v if isinstance(v, list) else [v]):
                parts.append(f'--{b}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{one}\r\n'.encode())
        for k, (fname, data) in files.items():
            parts.append(f'--{b}\r\nContent-Disposition: form-data; name="{k}"; filename="{fname}"\r\n'
                         f'Content-Type: image/jpeg\r\n\r\n'.encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{b}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={b}"
    elif fields is not None:
        body = urllib.parse.urlencode(fields, doseq=True).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    out = r.read()
    c.close()
    return r.status, dict(r.getheaders()), out.decode("utf-8", "replace")
st, h, _ = page("GET", "/sites")
check(st == 303 and h.get("Location") == "/login?next=/sites", f"a page without a session: to the sign-in page ({st} {h.get('Location')})")
st, h, body = page("GET", "/login")
check(st == 200 and 'name="password"' in body and "unsafe-inline" not in h.get("Content-Security-Policy", ""),
      "the sign-in page, under a CSP without inline script or style")
check(page("POST", "/login", {"user": "王芳", "password": "wrong password"})[0] == 401, "a wrong password on the page: 401")
check(page("POST", "/login", {"user": "王芳", "password": "correct horse"}, origin="http://evil.example")[0] == 403,
      "a sign-in form posted from another site: 403")
st, h, _ = page("POST", "/login", {"user": "王芳", "password": "correct horse", "next": "//evil.example/x"})
pcookie = re.match(r"(hc_session=[0-9a-f]+);", h.get("Set-Cookie", ""))
pcookie = pcookie.group(1) if pcookie else None
check(st == 303 and h.get("Location") == "/" and pcookie, f"signing in on the page: a session, and never sent off-site ({h.get('Location')})")
st, h, body = page("GET", "/", cookie=pcookie)
pcsrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', body)
pcsrf = pcsrf.group(1) if pcsrf else ""
check(st == 200 and "王芳" in body and 'href="/sites/s-1"' in body and 'href="/sites/s-2"' not in body,
      "an inspector's home page: its squad's sites only")
st, h, css = page("GET", "/static/web.css")
check(st == 200 and h.get("Content-Type", "").startswith("text/css"), "the style sheet")
st, h, _ = page("POST", "/inspect", {"site": "s-1", "checklist": "mini", "date": "2026-11-02"}, cookie=pcookie)
check(st == 403, "a page's form without the CSRF token: 403")
st, h, _ = page("POST", "/inspect", {"csrf": pcsrf, "site": "s-2", "checklist": "mini", "date": "2026-11-02"}, cookie=pcookie)
check(st == 404, "a new inspection of another squad's site: 404")
st, h, _ = page("POST", "/inspect", {"csrf": pcsrf, "site": "s-1", "checklist": "mini", "date": "2026-11-02"}, cookie=pcookie)
draft = h.get("Location", "")
check(st == 303 and re.match(r"^/drafts/[0-9a-f]{64}$", draft), f"a new inspection: a draft ({st} {draft})")
st, h, body = page("GET", draft, cookie=pcookie)
check(st == 200 and "item-D03" in body and 'name="a.D03.explosion_control"' in body, "the first section, an input per item")
st, h, _ = page("POST", draft, {"csrf": pcsrf, "s": "0", "go": "next", "a.D03.explosion_control": "none",
                               "a.D03.note": "<script>alert(1)</script>", "a.G02.devices": ["rotary_valve"],
                               "a.G02.code": "A", "a.G02.count": "1"}, cookie=pcookie, files={"a.D03.photo": ("p.jpg", png)})
check(st == 303 and h.get("Location", "").endswith("?s=1"), f"a section saved with a photo: the next one ({st})")
st, h, body = page("GET", draft + "?s=0", cookie=pcookie)
check("&lt;script&gt;" in body and "<script>alert" not in body and ref in body, "the draft keeps the note (as text) and the photo")
check(page("GET", draft, cookie=ecookie)[0] == 404, "another user's draft: 404")
st, h, body = page("POST", draft, {"csrf": pcsrf, "s": "1", "go": "next", "a.G01.thickness_mm": "thick", "a.G01.blown": "false"},
                   cookie=pcookie)
check(st == 422 and "thick" in body, "an answer that does not fit: the section again, as typed, with why")
st, h, _ = page("POST", draft, {"csrf": pcsrf, "s": "1", "go": "next", "a.G01.thickness_mm": "0.5", "a.G01.blown": "false"},
                cookie=pcookie)
check(st == 303 and h.get("Location", "").endswith("/preview"), "the last section: to the preview")
st, h, body = page("GET", draft + "/preview", cookie=pcookie)
check(st == 200 and "verdict-major-hazard" in body and "D03" in body, "the preview shows the major hazard before recording")
st, h, _ = page("POST", draft + "/submit", {"csrf": pcsrf}, cookie=pcookie)
rep = h.get("Location", "")
check(st == 303 and rep.startswith("/inspections/"), f"recorded: to its report ({st} {rep})")
st, h, body = page("GET", rep, cookie=pcookie)
check(st == 200 and "隐患" in body, "the report page")
check(page("GET", draft, cookie=pcookie)[0] == 404, "the draft is gone once recorded")
st, _, _ = page("GET", "/sites/s-1", cookie=pcookie)
check(st == 200 and page("GET", "/sites/s-2", cookie=pcookie)[0] == 404, "a site's page; another squad's: 404")
check(page("GET", "/users", cookie=pcookie)[0] == 403, "the users page is the administrator's")
st, h, _ = page("POST", "/logout", {"csrf": pcsrf}, cookie=pcookie)
check(st == 303 and page("GET", "/", cookie=pcookie)[0] == 303, "signing out on the page ends the session")

# the attack matrix: every route, as every role and as nobody, with guessed ids.
# Reading: s-1 and its records are 一中队's (the inspector's), s-2 and its are
# 二中队's (the leader's) and the enterprise's own. 401/303: no session.
_, lcookie, lme, _ = login("队长")
roles = {"nobody": None, "admin": acookie2, "inspector": cookie2, "leader": lcookie, "enterprise": ecookie}
A, I, L, E = "admin", "inspector", "leader", "enterprise"
def expect(ok, no, who_ok, anon):
    return {r: (anon if r == "nobody" else ok if r in who_ok else no) for r in roles}
matrix = [
    ("GET", "/api/v1/sites", expect(200, 0, {A, I, L, E}, 401)),
    ("GET", "/api/v1/sites/s-1", expect(200, 404, {A, I}, 401)),
    ("GET", "/api/v1/sites/s-2", expect(200, 404, {A, L, E}, 401)),
    ("GET", "/api/v1/sites/s-999", expect(404, 404, set(), 401)),
    ("GET", "/api/v1/inspections/i-s-1", expect(200, 404, {A, I}, 401)),
    ("GET", "/api/v1/inspections/i-s-2", expect(200, 404, {A, L, E}, 401)),
    ("GET", "/api/v1/inspections/i-s-1/report", expect(200, 404, {A, I}, 401)),
    ("GET", "/api/v1/inspections/i-s-2/report", expect(200, 404, {A, L, E}, 401)),
    ("GET", "/api/v1/inspections/i-s-3", expect(404, 404, set(), 401)),
    ("GET", "/api/v1/actions", expect(200, 0, {A, I, L, E}, 401)),
    ("GET", "/api/v1/stats", expect(200, 403, {A, I, L}, 401)),
    ("GET", f"/api/v1/evidence/{ref}", expect(200, 404, {A, I}, 401)),
    ("GET", "/api/v1/evidence/sha256:" + "f" * 64, expect(404, 404, set(), 401)),
    ("GET", "/", expect(200, 0, {A, I, L, E}, 303)),
    ("GET", "/sites", expect(200, 0, {A, I, L, E}, 303)),
    ("GET", "/sites/s-1", expect(200, 404, {A, I}, 303)),
    ("GET", "/sites/s-2", expect(200, 404, {A, L, E}, 303)),
    ("GET", "/actions", expect(200, 0, {A, I, L, E}, 303)),
    ("GET", "/inspect", expect(200, 0, {A, I, L, E}, 303)),
    ("GET", "/inspections/i-s-1", expect(200, 404, {A, I}, 303)),
    ("GET", "/inspections/i-s-2", expect(200, 404, {A, L, E}, 303)),
    ("GET", "/drafts/" + "0" * 64, expect(404, 404, set(), 303)),
    ("GET", "/figures", expect(200, 403, {A, I, L}, 303)),
    ("GET", "/users", expect(200, 403, {A}, 303)),
    ("GET", "/static/web.css", expect(200, 200, set(), 200)),
    ("GET", "/static/../serve.db", expect(404, 404, set(), 404)),
]
for who, ck in roles.items():
    for method, path, want in matrix:
        st = page(method, path, cookie=ck)[0] if not path.startswith("/api/") else call(method, path, cookie=ck)[0]
        check(st == want[who], f"{method} {path} as {who}: {st}, expected {want[who]}")
# every action, as every role: the step the policy allows is the only one not refused
st, all_actions = acts(acookie2)
for who in ("inspector", "leader", "enterprise"):
    ck = roles[who]
    seen = {a["id"] for a in (acts(ck)[1] if acts(ck)[0] == 200 else [])}
    for a in all_actions:
        for step in ("verify", "rectify", "assign", "reopen"):
            st = call("POST", f"/api/v1/actions/{a['id']}/{step}", {"note": "x", "to": "y"}, cookie=ck)[0]
            check(st == 403, f"POST {step} of action {a['id']} as {who} without CSRF: {st}")
    for guess in ("0", "-1", "99999", "1%27%20OR%201=1", "abc"):
        st = call("GET", f"/api/v1/actions?site={guess}", cookie=ck)[0]
        check(st in (200, 400), f"GET actions?site={guess} as {who}: {st}")
    check(seen <= {a["id"] for a in all_actions}, f"{who} sees no action the admin does not")
# with the token: an open action one cannot see is 404, one one may not verify 403,
# one one may verify but whose state forbids reopening it 409 (nothing changes)
tokens = {"admin": ame2["csrf"], "inspector": me2["csrf"], "leader": lme["csrf"], "enterprise": eme["csrf"]}
squad_of = {"s-1": "inspector", "s-2": "leader"}
for a in [a for a in all_actions if a["status"] == "open" and not a.get("void")]:
    for who in tokens:
        sees = who == "admin" or squad_of.get(a["site"]) == who or (who == "enterprise" and a["site"] == "s-2")
        staff = who != "enterprise"
        want = 404 if not sees else 403 if not staff else 409
        st = call("POST", f"/api/v1/actions/{a['id']}/reopen", {"note": "x"}, cookie=roles[who], csrf=tokens[who])[0]
        check(st == want, f"reopen open action {a['id']} ({a['site']}) as {who}: {st}, expected {want}")
# every change without the CSRF token, as every role: refused, nothing done
changes = [("POST", "/api/v1/logout"), ("POST", "/api/v1/inspections"), ("POST", "/api/v1/evidence"),
           ("POST", "/api/v1/actions/1/verify"), ("POST", "/logout"), ("POST", "/inspect"),
           ("POST", "/drafts/" + "0" * 64), ("POST", "/actions/1/verify"), ("POST", "/sites/s-1/measures"),
           ("POST", "/users")]
events_before = query(db, "SELECT count(*) FROM events")
for who, ck in roles.items():
    for method, path in changes:
        if path.startswith("/api/"):
            st = call(method, path, {"note": "x"}, cookie=ck)[0]
            want = 401 if ck is None else 403
        else:
            st = page(method, path, {"note": "x", "do": "add", "name": "evil", "role": "admin", "password": "p" * 12},
                      cookie=ck)[0]
            want = 303 if ck is None else 403
        check(st == want, f"{method} {path} as {who} without the CSRF token: {st}, expected {want}")
events_after = query(db, "SELECT count(*) FROM events")
check(events_after == events_before, "and none of them changed anything")

# without a session, with a forged one, without the CSRF token
check(call("GET", "/api/v1/sites")[0] == 401, "no session: 401")
check(call("GET", "/api/v1/sites", cookie="hc_session=" + "0" * 64)[0] == 401, "a forged session: 401")
check(call("POST", "/api/v1/logout", cookie=cookie)[0] == 403, "sign-out without the CSRF token: 403")
check(call("POST", "/api/v1/logout", cookie=cookie, csrf=me2["csrf"])[0] == 403,
      "another session's CSRF token: 403")
st, h, _ = call("POST", "/api/v1/logout", cookie=cookie, csrf=me["csrf"])
check(st == 204 and "Max-Age=0" in h.get("Set-Cookie", ""), "sign-out: 204, the cookie cleared")
check(call("GET", "/api/v1/sites", cookie=cookie)[0] == 401, "the session is dead after sign-out")
check(call("GET", "/api/v1/sites", cookie=cookie2)[0] == 200, "the other session lives on")

# bodies: too large, not JSON; unknown routes and methods
check(call("POST", "/api/v1/login", raw=b"{" + b" " * (300 << 10) + b"}")[0] == 413, "an oversized body: 413")
check(call("POST", "/api/v1/login", raw=b"user=x&password=y")[0] == 400, "a body that is not JSON: 400")
check(call("POST", "/api/v1/login", raw=b'{"user": ["x"], "password": {"a": 1}}')[0] == 401,
      "fields of the wrong type: refused like a wrong password")
check(call("GET", "/api/v1/nothing-here", cookie=cookie2)[0] == 404, "an unknown route: 404")
check(call("DELETE", "/api/v1/sites", cookie=cookie2)[0] == 405, "a method a route does not take: 405")
check(call("GET", "/api/v1/sites/../../etc/passwd", cookie=cookie2)[0] == 404, "a path with .. : 404")

# every answer carries the security headers
st, h, _ = call("GET", "/api/v1/sites", cookie=cookie2)
check(h.get("X-Content-Type-Options") == "nosniff" and "script-src 'self'" in h.get("Content-Security-Policy", "")
      and h.get("Cache-Control") == "no-store", "security headers")
check(h.get("Content-Type", "").startswith("application/json"), "JSON is served as JSON")

# a site's page shows its latest 20 inspections and first 20 actions, the
# rest a link away: a site inspected for years would otherwise be one long page
docs = [f"inspection: {{id: many-{k:02d}, site: s-1, checklist: mini, date: 2026-07-{k:02d}, inspector: 王芳}}\n"
        "answers:\n  D03: {explosion_control: none}\n  G01: {thickness_mm: 3, blown: no}\n"
        "  G02: {devices: [rotary_valve], code: A, count: 1}\n" for k in range(1, 23)]
open(f"{tmp}/many.yaml", "w").write("---\n".join(docs))
r = run("--packs", f"{data}/packs", "--rules", f"{data}/rules", "record", f"{tmp}/many.yaml")
check(r.returncode == 3, f"22 more inspections at s-1: {r.stderr.strip()[:200]}")
_, wcookie, _, _ = login("王芳")
st, _, body = page("GET", "/sites/s-1", cookie=wcookie)
rows = re.findall(r'<a href="/inspections/([^"]+)">', body)
check(st == 200 and len(rows) == 20 and "many-01" not in rows and "many-22" in rows,
      f"a site's page: the latest 20 inspections ({len(rows)})")
check(re.search(r'href="/sites/s-1\?all=1">[^<]*\((\d+)\)', body) is not None, "and a link to all of them")
check(len(re.findall(r'<a href="/actions/\d+">', body)) == 20 and 'href="/actions?site=s-1"' in body,
      "its first 20 actions, and a link to all")
st, _, body = page("GET", "/sites/s-1?all=1", cookie=wcookie)
rows = re.findall(r'<a href="/inspections/([^"]+)">', body)
check(st == 200 and "many-01" in rows and "many-22" in rows and "?all=1" not in body, f"?all=1: all ({len(rows)})")
st, _, body = page("GET", "/actions?site=s-1", cookie=wcookie)
check(st == 200 and len(re.findall(r'<a href="/actions/\d+">', body)) > 20, "the site's actions, on the actions page")

# throttling: five failures for a name, then even the right password waits
for _ in range(5):
    call("POST", "/api/v1/login", {"user": "企业甲", "password": "guess guess"})
check(login("企业甲")[0] == 429, "after five failures: 429")

# a proxy on another machine (--trusted-proxy): the client's address for
# throttling is its X-Forwarded-For; from an address not named, the header is
# not believed. Requests come from 127.0.0.2 (not the loopback the server
# trusts by default); a second server on the same database trusts it.
def login_via(at_port, xff, user):
    c = http.client.HTTPConnection("127.0.0.1", at_port, timeout=10, source_address=("127.0.0.2", 0))
    c.request("POST", "/api/v1/login", body=json.dumps({"user": user, "password": "guess guess"}),
              headers={"Content-Type": "application/json", "X-Forwarded-For": xff})
    st = c.getresponse().status
    c.close()
    return st
srv2, port2, log2 = start(hc, db, ["--packs", f"{data}/packs", "--rules", f"{data}/rules", "serve",
                                   "--data", f"{tmp}/evidence", "--trusted-proxy", "127.0.0.2"], env,
                          f"{tmp}/serve2.log")
check(port2 is not None, "a second server, trusting a proxy at 127.0.0.2")
if port2 is not None:
    codes = [login_via(port2, "10.0.0.1", f"nobody-{i}") for i in range(5)]
    check(codes == [401] * 5, f"five failures from one client behind the trusted proxy ({codes})")
    check(login_via(port2, "10.0.0.1", "nobody-6") == 429, "that client is throttled, whatever name it tries")
    check(login_via(port2, "10.0.0.2", "nobody-7") == 401, "another client behind the same proxy is not")
    codes = [login_via(port, "10.0.0.3", f"someone-{i}") for i in range(5)]
    check(login_via(port, "10.0.0.4", "someone-6") == 429,
          "from an address not trusted, X-Forwarded-For is not believed: the proxy's address is throttled")
    srv2.send_signal(signal.SIGTERM)
    try:
        srv2.wait(timeout=20)
    except subprocess.TimeoutExpired:
        srv2.kill()
else:
    srv2.kill()
st = subprocess.run([hc, "--db", db, "serve", "--data", f"{tmp}/evidence", "--trusted-proxy", "proxy.example",
                     "--listen", "127.0.0.1:0"], capture_output=True, text=True, env=env, timeout=20)
check(st.returncode == 1 and "expected an IP address" in st.stderr, "a trusted proxy must be an address")

# a clean stop on SIGTERM, with the access log written
srv.send_signal(signal.SIGTERM)
try:
    rc = srv.wait(timeout=20)
except subprocess.TimeoutExpired:
    srv.kill()
    rc = None
check(rc == 0, f"SIGTERM stops the server cleanly (exit {rc})")
log.seek(0)
text = log.read()
lines = [l for l in text.splitlines() if re.match(r"^\d{4}-\d\d-\d\dT\S+Z \S+ [A-Z]+ /\S* \d{3} \d+ms$", l)]
check(len(lines) >= 30, f"one access-log line per request ({len(lines)})")
check(any(" 王芳 GET /api/v1/sites 200 " in l for l in lines), "the log names the user")
check("correct horse" not in text and "guess guess" not in text, "the log never holds a password")
check(not os.path.exists(db + "-wal") or os.path.getsize(db + "-wal") == 0, "the database is checkpointed")
r = run("audit", "verify")
check(r.returncode == 0, f"audit verify after the server: {r.stderr.strip()}")
check.end()
