"""The Dockerfile and docker-compose.yml, checked without a Docker engine: hadolint, structure, documented commands."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli.app import build_parser
from bot.config import Settings
from bot.http import make_http_app, start_http

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def final_stage() -> list[tuple[str, str]]:
    found = instructions()
    last_from = max(i for i, (word, _) in enumerate(found) if word == "FROM")
    return found[last_from:]


def one(stage: list[tuple[str, str]], word: str) -> str:
    [value] = [rest for w, rest in stage if w == word]
    return value


def hadolint() -> str:
    beside = Path(sys.executable).parent / "hadolint"
    found = str(beside) if beside.exists() else shutil.which("hadolint")
    if not found:
        pytest.fail("hadolint is missing: it comes with the dev extras (pip install -e '.[dev]')")
    return found


def test_hadolint_passes_offline() -> None:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    done = subprocess.run(
        [hadolint(), "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_multi_stage_slim_non_root_with_volume() -> None:
    froms = [rest for word, rest in instructions() if word == "FROM"]
    assert len(froms) >= 2
    assert all(f.split()[0] == "python:3.11-slim" for f in froms)
    stage = final_stage()
    assert any(w == "COPY" and rest.startswith("--from=") for w, rest in stage)
    user = one(stage, "USER")
    assert user.split(":")[0] not in ("root", "0")
    env = " ".join(rest for w, rest in stage if w == "ENV")
    data_home = re.search(r"XDG_DATA_HOME=(\S+)", env)
    assert data_home is not None
    assert json.loads(one(stage, "VOLUME")) == [data_home.group(1)]
    port = re.search(r"BRIEFBOT_HTTP_PORT=(\d+)", env)
    assert port is not None and one(stage, "EXPOSE") == port.group(1)


def test_copied_sources_exist_and_dockerignore_keeps_secrets_out() -> None:
    for word, rest in instructions():
        if word == "COPY" and not rest.startswith("--from="):
            for source in rest.split()[:-1]:
                assert (ROOT / source).exists(), source
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", ".env"} <= set(ignored)


def test_cmd_is_a_documented_briefbot_command() -> None:
    command = json.loads(one(final_stage(), "CMD"))
    assert command == ["briefbot", "run"]
    readme = (ROOT / "README.md").read_text()
    assert "briefbot run" in readme
    build_parser().parse_args(command[1:])  # the CLI knows it
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["briefbot"]["command"] == command


def healthcheck_code() -> list[str]:
    health = one(final_stage(), "HEALTHCHECK")
    assert "curl" not in health and "wget" not in health
    exec_form = json.loads(health[health.index("CMD") + 3 :].strip())
    assert exec_form[:2] == ["python", "-c"] and "/healthz" in exec_form[2]
    return exec_form


@pytest.mark.parametrize("healthy", [True, False])
async def test_healthcheck_command_against_a_real_server(healthy: bool) -> None:
    async def checks() -> dict[str, bool]:
        return {"database": healthy}

    runner = await start_http(make_http_app(checks), 0, "127.0.0.1")
    port = runner.addresses[0][1]
    try:
        command = healthcheck_code()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *command[1:],
            env={**os.environ, "BRIEFBOT_HTTP_PORT": str(port)},
            stderr=subprocess.DEVNULL,
        )
        code = await process.wait()
    finally:
        await runner.cleanup()
    assert (code == 0) is healthy


def test_compose_runs_briefbot_on_a_healthy_postgres() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    postgres = compose["services"]["postgres"]
    bot = compose["services"]["briefbot"]
    assert postgres["image"] == "postgres:16"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    url = re.sub(r"\$\{(\w+):-([^}]*)\}", r"\2", bot["environment"]["BRIEFBOT_DATABASE_URL"])
    settings = Settings(BRIEFBOT_DATABASE_URL=url)  # type: ignore[call-arg]
    assert settings.database_url.startswith("postgresql+psycopg://briefbot:")
    assert "@postgres:5432/briefbot" in settings.database_url
    assert any(v.endswith(":/data") for v in bot["volumes"])
    assert shlex.split("briefbot run") == bot["command"]
