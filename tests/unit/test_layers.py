"""The layer rule of DESIGN.md, asserted on the import statements of every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "posapp"
QT = ("PySide6", "qasync", "shiboken6")
PURE = ("domain", "store", "connectors", "printing", "reports", "payments")


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules_under(layer: str) -> list[Path]:
    return sorted((ROOT / layer).rglob("*.py")) if (ROOT / layer).exists() else []


@pytest.mark.parametrize("layer", PURE)
def test_pure_layers_never_import_qt(layer: str) -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(m for m in imports_of(p) if m.split(".")[0] in QT)
        for p in modules_under(layer)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_services_never_import_qt() -> None:
    offenders = [
        str(p) for p in modules_under("services") if any(m.split(".")[0] in QT for m in imports_of(p))
    ]
    assert offenders == []


def test_domain_imports_nothing_of_ours_but_itself_and_errors() -> None:
    bad = {
        str(p.relative_to(ROOT)): m
        for p in modules_under("domain")
        for m in imports_of(p)
        if m.startswith("posapp") and not (m.startswith("posapp.domain") or m == "posapp.errors")
    }
    assert bad == {}


@pytest.mark.parametrize("layer", ["store", "connectors", "printing", "reports", "payments"])
def test_sibling_layers_do_not_import_each_other(layer: str) -> None:
    siblings = [
        f"posapp.{s}" for s in ("store", "connectors", "printing", "reports", "payments") if s != layer
    ]
    bad = {
        str(p.relative_to(ROOT)): m
        for p in modules_under(layer)
        for m in imports_of(p)
        if any(m == s or m.startswith(s + ".") for s in siblings)
    }
    assert bad == {}


def test_the_engine_runs_without_qt() -> None:
    """posapp/engine is what ``posapp engine`` runs headless: no Qt, no widget, no desktop composition root."""
    assert modules_under("engine"), "posapp/engine is missing"
    bad = {
        str(p.relative_to(ROOT)): m
        for p in modules_under("engine")
        for m in imports_of(p)
        if m.split(".")[0] in QT or m.startswith("posapp.ui") or m in ("posapp.app", "posapp.cli")
    }
    assert bad == {}


def test_nothing_below_ui_imports_ui() -> None:
    below = [p for layer in (*PURE, "services", "engine") for p in modules_under(layer)]
    bad = [
        str(p) for p in below if any(m.startswith("posapp.ui") or m == "posapp.app" for m in imports_of(p))
    ]
    assert bad == []


def test_head_office_receiver_is_a_separate_program() -> None:
    """posapp/hq runs at head office: it shares no tables, services or UI with the counter."""
    forbidden = ("posapp.store", "posapp.services", "posapp.ui", "posapp.connectors", "posapp.app")
    bad = {
        str(p.relative_to(ROOT)): m
        for p in modules_under("hq")
        for m in imports_of(p)
        if any(m == f or m.startswith(f + ".") for f in forbidden) or m.split(".")[0] in QT
    }
    assert bad == {}


def test_ui_reaches_reports_and_store_only_through_services() -> None:
    bad = {
        str(p.relative_to(ROOT)): m
        for p in modules_under("ui")
        for m in imports_of(p)
        if m.startswith(("posapp.store", "posapp.reports", "posapp.connectors"))
    }
    assert bad == {}


def test_the_hub_is_a_separate_program_without_qt() -> None:
    """posapp/hub runs at head office: the connectors' verify code and the upload contract, never the counter's
    tables, services or screens."""
    assert modules_under("hub"), "posapp/hub is missing"
    forbidden = ("posapp.store", "posapp.services", "posapp.ui", "posapp.app", "posapp.engine", "posapp.cli")
    bad = {
        str(p.relative_to(ROOT)): m
        for p in modules_under("hub")
        for m in imports_of(p)
        if any(m == f or m.startswith(f + ".") for f in forbidden) or m.split(".")[0] in QT
    }
    assert bad == {}


def test_the_counter_needs_no_hub_code() -> None:
    """The counter reaches the hub over HTTP only (services/relay.py): below the composition roots nothing
    imports posapp.hub, except the demo wiring that runs a local hub for ``--demo --hub``."""
    below = [p for layer in (*PURE, "services", "engine") for p in modules_under(layer)]
    bad = [
        str(p.relative_to(ROOT))
        for p in below
        if p != ROOT / "engine" / "demo.py" and any(m.startswith("posapp.hub") for m in imports_of(p))
    ]
    assert bad == []


@pytest.mark.parametrize(
    "module",
    ["config.py", "settings_schema.py", "settings_toml.py", "instance.py", "vault.py", "cli/setup.py"],
)
def test_settings_and_instance_helpers_never_import_qt(module: str) -> None:
    """What the engine, the command line and the setup service share about settings stays Qt-free."""
    assert not [m for m in imports_of(ROOT / module) if m.split(".")[0] in QT]
