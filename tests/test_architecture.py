"""Imports point one way: adapters -> bot -> facts (read from the source with ast)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in sorted(imported_modules(path)):
            if module.split(".")[0] in forbidden:
                out.append(f"{path.relative_to(ROOT)} imports {module}")
    return out


def test_facts_imports_neither_bot_nor_adapters() -> None:
    assert offenders("facts", ("bot", "adapters")) == []


def test_bot_imports_no_platform_library_and_no_adapter() -> None:
    # The cli modules are the composition root: `run` loads the adapters it starts, and the commands
    # that print to the terminal print through the console adapter's escaping.
    found = [line for line in offenders("bot", ("slack_bolt", "slack_sdk", "discord", "adapters"))]
    allowed = {
        "bot/cli.py imports adapters.console",
        "bot/cli_ask.py imports adapters.console",
        "bot/cli_ingest.py imports adapters.console",
        "bot/cli_feeds.py imports adapters.console",
        "bot/cli_run.py imports adapters.console",
        "bot/cli_run.py imports adapters.slack.app",
        "bot/cli_run.py imports adapters.discord.app",
    }
    assert [line for line in found if line not in allowed] == []


def test_only_facts_reads_the_fact_tables() -> None:
    """bot/ and adapters/ reach the facts through FactStore's methods, never the tables themselves."""
    found = [line for package in ("bot", "adapters") for line in offenders(package, ("facts",))]
    assert [line for line in found if line.endswith(" imports facts.schema")] == []


def test_the_check_catches_an_offender(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import slack_sdk\nfrom discord import Client\nfrom . import sibling\n")
    assert imported_modules(bad) == {"slack_sdk", "discord"}
