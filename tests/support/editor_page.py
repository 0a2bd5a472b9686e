"""Driving the explorer's editor (static/editor.js) as a person does: select a node, open a
form, type into its fields, pick the other end, save and wait for the answer."""

from __future__ import annotations

from typing import Any

__all__ = ["create_form", "fill", "link_form", "pick", "save", "saved", "select"]


def select(page: Any, node_id: str) -> None:
    """Select a node in the explorer and wait until the editor shows it."""
    page.evaluate(f"window.__explorer.select({node_id!r})")
    page.wait_for_selector(f"#ed-node[data-state='ready'][data-id='{node_id}']")


def fill(page: Any, **fields: str) -> None:
    """Type into the open form's fields, by property name (``city="Kassel"``)."""
    for name, text in fields.items():
        page.fill(f"#ed-f-{name}", text)


def create_form(page: Any, label: str, **fields: str) -> None:
    """Open the form for a new ``label`` from the toolbar and type ``fields``."""
    page.select_option("#ed-create-label", label)
    page.click("[data-action='create']")
    fill(page, **fields)


def pick(page: Any, field: str, text: str, node_id: str) -> None:
    """Search the picker ``field`` for ``text`` and choose ``node_id`` from the hits."""
    page.fill(f"dialog [data-search='{field}']", text)
    page.locator(f"dialog [data-picker='{field}'] .ed-option[data-id='{node_id}']").click()


def link_form(page: Any, relationship: str, text: str, other: str) -> None:
    """Open the link form of the selected node: the relationship by its German words
    (``"ist Mitglied von"``), the other end searched by ``text`` and picked by id."""
    page.click("[data-action='link']")
    page.select_option("#ed-f-_rel", label=relationship)
    pick(page, "_other", text, other)


def save(page: Any) -> None:
    page.click("dialog [data-action='save']")


def saved(page: Any) -> None:
    """Wait until the form closed with a success message and the node is shown again."""
    page.wait_for_selector("dialog.ed-dialog", state="detached")
    page.wait_for_selector(".ed-message.ed-ok")
    page.wait_for_selector("#ed-node[data-state='ready']")
