"""Backup and restore of the whole database with the engine's own tools: pg_dump/pg_restore for
PostgreSQL (custom format, consistent snapshot while the site runs), SQLite's online backup API
for the embedded default."""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections


class BackupError(Exception):
    pass


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    settings = connection.settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    args = ["-h", settings.get("HOST") or "127.0.0.1", "-p", str(settings.get("PORT") or 5432),
            "-U", settings.get("USER") or "postgres"]
    return env, args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return path


def backup(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        result = subprocess.run([_tool("pg_dump"), *args, "-Fc", "-f", str(target),
                                 connection.settings_dict["NAME"]], env=env, capture_output=True,
                                text=True)
        if result.returncode:
            raise BackupError(result.stderr.strip())
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as destination:
            connection.connection.backup(destination)
    else:
        raise BackupError(f"unsupported database: {connection.vendor}")
    return target


def restore(source: Path) -> None:
    if not source.exists():
        raise BackupError(f"{source} does not exist")
    connections.close_all()
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        result = subprocess.run([_tool("pg_restore"), *args, "--clean", "--if-exists",
                                 "--no-owner", "--single-transaction", "-d",
                                 connection.settings_dict["NAME"], str(source)], env=env,
                                capture_output=True, text=True)
        if result.returncode:
            raise BackupError(result.stderr.strip())
    elif connection.vendor == "sqlite":
        with sqlite3.connect(source) as origin:
            connection.ensure_connection()
            origin.backup(connection.connection)
    else:
        raise BackupError(f"unsupported database: {connection.vendor}")
    connections.close_all()
