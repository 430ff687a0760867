#!/usr/bin/env python3
"""browser_serve.py: `hazcheck serve` in a real browser (headless Chromium
through WebDriver), on a phone-sized window, as the people who use it: an
administrator adds the accounts; an inspector fills the woodworking dust
checklist section by section with a photo and gets the major hazard and the
rectification notice; the enterprise signs in, sees only its own site and
rectifies with a photo; the inspector verifies; the squad leader's figures
count it. Screenshots go to $BUILD/artifacts/serve-*.png. Ends with
"N passed, M failed". Traffic goes to 127.0.0.1 only."""
import os, re, signal, struct, subprocess, sys, tempfile, time, zlib

build = sys.argv[1] if len(sys.argv) > 1 else "build"
hc = os.path.abspath(f"{build}/hazcheck")
art = os.path.abspath(f"{build}/artifacts")
os.makedirs(art, exist_ok=True)
tmp = tempfile.mkdtemp()
db = f"{tmp}/serve.db"
env = dict(os.environ, HAZCHECK_USER="setup", LANG="zh_CN.UTF-8", LANGUAGE="zh_CN")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverkit import Checks, runner, start
check = Checks()
run = runner(hc, db, env)

# Debian's python3-selenium, also when python3 is another interpreter (pyenv)
if "/usr/lib/python3/dist-packages" not in sys.path:
    sys.path.append("/usr/lib/python3/dist-packages")
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    check(False, "python3-selenium is not installed (scripts/deps.sh installs it)")
    check.end()

def png(w, h, rgb):
    """A real PNG image, w x h of one colour."""
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
open(f"{tmp}/duct.png", "wb").write(png(64, 48, (200, 60, 40)))
open(f"{tmp}/vent.png", "wb").write(png(64, 48, (40, 160, 60)))

# the register: the woodworking shop of the examples, and another squad's site
check(run("site", "add", "examples/woodworking-site.yaml").returncode == 0, "site add (woodworking)")
open(f"{tmp}/other.yaml", "w").write("id: other-1\nname: 别的中队的企业\nsquad: 一中队\n")
check(run("site", "add", f"{tmp}/other.yaml").returncode == 0, "site add (another squad)")
check(run("user", "add", "局管理员", "--role", "admin", stdin="correct horse\n").returncode == 0, "the first admin")

srv, port, log = start(hc, db, ["--today", "2026-10-09", "serve"], env, f"{tmp}/serve.log")
check(port is not None, "the server says where it listens")
base = f"http://127.0.0.1:{port}"

opts = webdriver.ChromeOptions()
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=412,915",
          "--lang=zh-CN", "--no-first-run", "--disable-background-networking", "--disable-sync",
          "--disable-component-update", f"--user-data-dir={tmp}/chrome"):
    opts.add_argument(a)
opts.binary_location = "/usr/bin/chromium"
driver = None
try:
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.set_page_load_timeout(20)
    b = driver

    def shot(name):
        h = b.execute_script("return document.documentElement.scrollHeight")
        b.set_window_size(412, min(max(h, 915), 6000))
        b.save_screenshot(f"{art}/serve-{name}.png")
        b.set_window_size(412, 915)

    def wait_new_page():
        """Until the page the click led to has loaded (the old one had a mark)."""
        def loaded(drv):
            try:
                return drv.execute_script("return window.__old_page === undefined && document.readyState === 'complete'")
            except Exception:
                return False
        WebDriverWait(b, 20).until(loaded)

    def click(element_id):
        """Click and wait for the next page: a form with a photo may still be
        sending when click() returns."""
        b.execute_script("window.__old_page = true")
        b.find_element(By.ID, element_id).click()
        wait_new_page()

    def sign_in(user):
        b.get(base + "/")
        check(b.current_url.startswith(base + "/login"), f"{user}: a page without a session goes to sign-in")
        b.find_element(By.ID, "user").send_keys(user)
        b.find_element(By.ID, "password").send_keys("correct horse")
        click("sign-in")
        check(user in b.page_source, f"{user} is signed in")

    def sign_out():
        b.execute_script("window.__old_page = true")
        b.find_element(By.CSS_SELECTOR, "form.who button").click()
        wait_new_page()
        check(b.current_url.startswith(base + "/login"), "signed out")

    def no_errors(what):
        bad = [e for e in b.get_log("browser") if e.get("level") == "SEVERE"] if hasattr(b, "get_log") else []
        check(not bad, f"{what}: no errors in the browser console ({bad[:1]})")

    # 1. the administrator adds the accounts
    sign_in("局管理员")
    b.get(base + "/users")
    for name, role, squad, sites in (("孟凡辉", "inspector", "四中队", ""), ("木业企业", "enterprise", "", "370181-0042"),
                                     ("张队长", "leader", "四中队", "")):
        b.find_element(By.ID, "name").send_keys(name)
        Select(b.find_element(By.ID, "role")).select_by_value(role)
        if squad: b.find_element(By.ID, "squad").send_keys(squad)
        if sites: b.find_element(By.ID, "sites").send_keys(sites)
        b.find_element(By.ID, "password").send_keys("correct horse")
        click("add")
        check("账户已添加" in b.page_source and name in b.find_element(By.ID, "users").text, f"the admin adds {name}")
    shot("1-users")
    no_errors("the users page")
    sign_out()

    # 2. the inspector fills the woodworking dust checklist with a photo
    sign_in("孟凡辉")
    body = b.find_element(By.TAG_NAME, "body").text
    check("章丘某木制品加工有限公司" in body and "别的中队的企业" not in body, "the inspector's home: its squad's site only")
    b.find_element(By.LINK_TEXT, "新建检查").click()
    Select(b.find_element(By.ID, "site")).select_by_value("370181-0042")
    Select(b.find_element(By.ID, "checklist")).select_by_value("dust-explosion")
    click("begin")
    check("/drafts/" in b.current_url, "a draft begins")
    sections = 0
    found = False
    while "/preview" not in b.current_url and sections < 20:
        sections += 1
        if b.find_elements(By.ID, "item-D03"):
            found = True
            b.find_element(By.CSS_SELECTOR, 'input[name="a.D03.measures"][value="none"]').click()   # 无
            b.find_element(By.ID, "a.D03.note").send_keys("1#除尘器风管未设置泄爆口")
            b.find_element(By.ID, "a.D03.photo").send_keys(f"{tmp}/duct.png")
            shot("2-section")
        click("next" if b.find_elements(By.ID, "next") else "preview")
    check(found and sections >= 5, f"the checklist, section by section ({sections} sections), D03 among them")
    check(b.find_element(By.ID, "verdict").get_attribute("class").endswith("verdict-major-hazard"),
          "the preview shows the major hazard")
    shot("3-preview")
    click("submit")
    check("/inspections/" in b.current_url, "recorded: the report")
    text = b.find_element(By.TAG_NAME, "body").text
    check("重大事故隐患" in text and "整改" in text and "1#除尘器风管未设置泄爆口" in text,
          "the report names the major hazard, with the notice")
    shot("4-report")
    b.get(base + "/actions")
    actions = [a.text for a in b.find_elements(By.CSS_SELECTOR, "#actions a")]
    check(len(actions) >= 1, f"the inspection opened actions ({len(actions)})")
    sign_out()

    # 3. the enterprise sees only its own site and rectifies with a photo
    sign_in("木业企业")
    body = b.find_element(By.TAG_NAME, "body").text
    check("章丘某木制品加工有限公司" in body and "别的中队的企业" not in body, "the enterprise sees only its own site")
    b.get(base + "/sites/other-1")
    check("没有这个企业" in b.page_source, "another site's page: not found")
    b.get_log("browser")      # that 404 was asked for: not an error of a page
    b.get(base + "/actions")
    d03 = [r for r in b.find_elements(By.CSS_SELECTOR, "#actions tr") if "控爆" in r.text or "泄爆" in r.text]
    check(d03, "the enterprise's open actions include D03")
    if d03:
        d03[0].find_element(By.TAG_NAME, "a").click()
    action_url = b.current_url
    b.find_element(By.ID, "note").send_keys("已在1#除尘器风管加装泄爆片")
    b.find_element(By.ID, "cost").send_keys("3200")
    b.find_element(By.ID, "photo").send_keys(f"{tmp}/vent.png")
    click("rectify")
    check(b.find_element(By.ID, "action-status").text == "已整改待复查", "rectified, waiting for the inspector")
    imgs = b.find_elements(By.CSS_SELECTOR, "#history img.photo")
    check(imgs and b.execute_script("return arguments[0].naturalWidth", imgs[-1]) == 64,
          "the rectification photo shows")
    check(not b.find_elements(By.ID, "verify"), "the enterprise is offered no verification")
    shot("5-rectified")
    sign_out()

    # 4. the inspector verifies
    sign_in("孟凡辉")
    b.get(action_url)
    b.find_element(By.ID, "verify-note").send_keys("现场复查，泄爆片已安装")
    click("verify")
    check(b.find_element(By.ID, "action-status").text == "已验收销号", "the inspector verifies: closed")
    shot("6-verified")
    sign_out()

    # 5. the squad leader's figures count it
    sign_in("张队长")
    fig = b.find_element(By.ID, "figures").text
    check(re.search(r"\b1\s*已整改并复查", fig) is not None, f"the leader's figures count the verified hazard ({fig!r})")
    shot("7-leader")
    b.get(base + "/figures")
    check("安全" in b.title or "统计" in b.page_source, "the figures page")
    shot("8-figures")
    no_errors("the figures page")
except Exception as e:  # a broken step is a failure with its reason, never a crash of the suite
    import traceback
    check(False, f"the browser run stopped: {type(e).__name__}: {str(e)[:300]} at {traceback.extract_tb(e.__traceback__)[-1].lineno}")
    if driver:
        driver.save_screenshot(f"{art}/serve-failure.png")
finally:
    if driver:
        driver.quit()
    srv.send_signal(signal.SIGTERM)
    try:
        srv.wait(timeout=20)
    except subprocess.TimeoutExpired:
        srv.kill()
if check.failed:
    log.seek(0)
    print("the server's log ends:\n" + "".join(log.readlines()[-15:]))
r = run("audit", "verify")
check(r.returncode == 0, f"audit verify afterwards: {r.stderr.strip()}")
check.end()
