"""deploy/ agrees with the application: every setting of the README in the .env template, nginx's upload limits
those of the settings, a worker for every queue in systemd and compose, the smoke test in CI."""

import re

import yaml
from django.conf import settings

DEPLOY = settings.BASE_DIR / "deploy"


def readme_settings() -> list[str]:
    readme = (settings.BASE_DIR / "README.md").read_text()
    table = readme[readme.index("## Configuration"):readme.index("## Production")]
    names = []
    for line in table.splitlines():
        if line.startswith("| `"):
            names += re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])
    return names


def test_the_env_template_lists_every_setting_of_the_readme():
    template = (DEPLOY / "vigie.env.template").read_text()
    listed = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", template, re.MULTILINE))
    names = readme_settings()
    assert len(names) > 40
    assert set(names) - listed == set()


def _megabytes(directive: str) -> list[int]:
    return [int(n) for n in re.findall(rf"{directive} (\d+)m;", (DEPLOY / "nginx" / "vigie.conf").read_text())]


def test_nginx_upload_limits_match_the_settings():
    page_limit, cohort_limit = _megabytes("client_max_body_size")
    mib = 1024 * 1024
    assert settings.COHORT_UPLOAD_MAX_BYTES <= cohort_limit * mib < settings.COHORT_UPLOAD_MAX_BYTES + 2 * mib
    assert settings.CASE_ATTACHMENT_MAX_BYTES <= page_limit * mib < settings.CASE_ATTACHMENT_MAX_BYTES + 4 * mib


def test_every_queue_has_a_worker_in_systemd_and_compose():
    unit = (DEPLOY / "systemd" / "vigie-worker@.service").read_text()
    assert "-Q %i" in unit
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    consumed = {s["command"][s["command"].index("-Q") + 1] for s in services.values()
                if isinstance(s.get("command"), list) and "-Q" in s["command"]}
    assert consumed == set(settings.VIGIE_QUEUES)
    assert {"db", "redis", "web", "beat"} <= set(services)


def test_ci_runs_the_smoke_test_after_the_test_command():
    ci = (settings.BASE_DIR / ".ci" / "run").read_text()
    assert ci.index("VIGIE_TEST_SERVICES=required make test") < ci.index("deploy/smoke")
