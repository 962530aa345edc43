"""Production settings pass Django's deployment checks."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_with_production_settings():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": "x" * 20 + "-production-test-key-" + "y" * 30,
           "SANXIN_ID_ENCRYPTION_KEYS": "9X0pKw3sZ4bqJm5H1vYcT7uR2eLgN8dAiFoWxQyBzCk="}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest only
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level",
                             "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_security_headers_on_every_page(client, db):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_inline_scripts_or_styles_in_templates():
    offenders = []
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("sanxin/*/templates/**/*.html")]:
        text = path.read_text()
        for marker in ("<script>", "<script type=\"text/javascript\">", " style=\"", " onclick=",
                       " onchange=", " onload="):
            if marker in text:
                offenders.append(f"{path.relative_to(ROOT)}: {marker.strip()}")
    assert offenders == []
