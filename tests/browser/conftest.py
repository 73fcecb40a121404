"""Browser tests run the site as production serves it: DEBUG off, the CSP enforced, hashed static files collected
into a temporary directory and served by WhiteNoise, tasks sent to a real Celery worker through Redis. Every page
must load without a console error, a CSP violation or an uncaught script error; key pages are checked with axe-core
and photographed at 1366 and 390 px wide (into $VIGIE_SCREENSHOTS when set, else the test's temporary directory)."""

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WIDE, NARROW = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# Reported by the page through the console (init script below): the CSP's own event, which Chromium also logs.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} `
                + `${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip("Chromium n'est pas installé (apt-get install -y chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--lang=fr-FR"],  # native widgets (date, file inputs) as a French user sees them
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def production_static(tmp_path_factory):
    """collectstatic into a temporary directory with hashed names, as the deployment does."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STATIC, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


class _NoStaticHandler:
    """The live server's static handler, switched off: WhiteNoise (in MIDDLEWARE) serves the collected files, as in
    production; Django's test handler would serve the unhashed source files instead."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        return self.application(environ, start_response)


class _Server:
    def __init__(self):
        self.thread = LiveServerThread("127.0.0.1", _NoStaticHandler, connections_override={}, port=0)
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.url = f"http://127.0.0.1:{self.thread.port}"

    def stop(self):
        self.thread.terminate()


@pytest.fixture(scope="session")
def production_server(production_static, django_db_setup, django_db_blocker):
    """The site under the production settings that matter in a browser, for the whole session."""
    # "testserver" stays: the transactional tests pytest-django runs after this session fixture use the test client.
    with override_settings(ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"]):
        server = _Server()
        yield server
        server.stop()


@pytest.fixture(scope="module")
def celery_worker(django_db_setup):
    """One real Celery worker per module of browser tests, on the test database; tasks are sent to it, not run
    eagerly. Not one per session: it would outlive the browser tests and take the notices of the integration tests
    that pytest-django runs after them (they start workers of their own, with their own SMTP server)."""
    import redis
    from django.conf import settings

    from config.celery import app as celery_app
    from tests.support.celery_worker import WorkerProcess

    if not settings.REDIS_URL:
        pytest.skip("Redis requis : REDIS_URL n'est pas défini")
    from django.db import connection
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL requis : le worker partage la base de test")
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    worker = WorkerProcess(concurrency=1).start()
    yield worker
    worker.stop()
    celery_app.conf.task_always_eager = previous


class PageProblems:
    """What went wrong in the browser while a test ran: console errors (CSP violations are among them), uncaught
    script errors. `allow(pattern)` tolerates an expected message (an outsider's 404, for instance)."""

    def __init__(self):
        self.seen: list[str] = []
        self.allowed: list[re.Pattern] = []
        self.lock = threading.Lock()

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def console(self, message) -> None:
        if message.type == "error":
            self._add(f"console: {message.text} ({message.location.get('url', '')})")

    def page_error(self, error) -> None:
        self._add(f"page error: {error}")

    def _add(self, text: str) -> None:
        with self.lock:
            self.seen.append(text)

    def unexpected(self) -> list[str]:
        return [text for text in self.seen if not any(p.search(text) for p in self.allowed)]


@pytest.fixture
def page_problems():
    return PageProblems()


@pytest.fixture
def page(browser, production_server, celery_worker, page_problems):
    context = browser.new_context(base_url=production_server.url, locale="fr-FR", viewport=WIDE)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("console", page_problems.console)
    page.on("pageerror", page_problems.page_error)
    yield page
    context.close()
    assert page_problems.unexpected() == [], "the browser reported problems"


@pytest.fixture
def screens(request, tmp_path):
    """Where screenshots go: $VIGIE_SCREENSHOTS/<test name>/ when set, else the test's temporary directory."""
    base = os.environ.get("VIGIE_SCREENSHOTS")
    folder = Path(base) / request.node.name if base else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def look(page, screens):
    """look(name): checks the page with axe-core (no serious or critical violation) and photographs it at 1366 px
    then 390 px wide (full page), the narrow one with the burger menu closed."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def look_at(name: str) -> None:
        page.wait_for_load_state("load")
        results = axe.run(page, options={"resultTypes": ["violations"]})
        serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
                   for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == [], f"axe-core on {page.url}"
        page.screenshot(path=screens / f"{name}-1366.png", full_page=True, animations="disabled")
        page.set_viewport_size(NARROW)
        page.screenshot(path=screens / f"{name}-390.png", full_page=True, animations="disabled")
        page.set_viewport_size(WIDE)

    return look_at


@pytest.fixture
def sign_in(page):
    from tests.factories import PASSWORD

    def sign_in_as(user):
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.selectors import second_factor_required

        # national staff and admins must pass the second factor: give them an authenticator and type its code
        device = None
        if second_factor_required(user):
            device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "navigateur"})
        page.goto("/connexion/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit] >> text=Se connecter")
        if device is not None:
            page.wait_for_url("**/compte/double-authentification/**")
            page.fill("#id_token", f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}")
            page.click("button[type=submit] >> text=Valider")
        page.wait_for_selector("[data-testid=current-user]", state="attached")
        return page

    return sign_in_as


@pytest.fixture
def open_menu(page):
    """open_menu(group label, link label): follows a link of the header's menu, at any width (burger first when the
    menu is folded into its modal)."""

    def follow(group: str | None, link: str) -> None:
        burger = page.get_by_test_id("burger")
        if burger.is_visible():
            burger.click()
        nav = page.locator("#navigation")
        if group:
            nav.get_by_role("button", name=group, exact=True).click()
        nav.get_by_role("link", name=link, exact=True).click()
        page.wait_for_load_state("load")

    return follow
