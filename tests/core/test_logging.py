import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_json_log_lines_are_parseable():
    env = {**os.environ, "LOG_FORMAT": "json", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    code = ("import django, logging; django.setup(); "
            "logging.getLogger('sanxin.test').warning('导入完成', extra={'rows': 3})")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    line = [x for x in result.stderr.splitlines() if "sanxin.test" in x][-1]
    record = json.loads(line)
    assert record["level"] == "WARNING" and record["logger"] == "sanxin.test"
    assert record["message"] == "导入完成" and record["rows"] == 3
