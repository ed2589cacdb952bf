"""Categories: create, edit (versioned, audited), reorder, list (admins see inactive ones)."""

from __future__ import annotations

from chalicelib.audit import service as audit
from chalicelib.catalog import schemas
from chalicelib.catalog.items import get_category_item
from chalicelib.catalog.models import (
    Category,
    all_categories,
)
from chalicelib.catalog.rules import check_version, names_patch
from chalicelib.catalog.text import sort_key
from chalicelib.core import clock
from chalicelib.core.errors import Conflict, Forbidden, field_conflict, field_error
from chalicelib.core.ids import new_id
from chalicelib.core.observability import count
from chalicelib.core.rbac import Actor
from chalicelib.db import keys
from chalicelib.db.tx import TxCancelled, transaction
from chalicelib.db.updates import apply, conflict_from, set_actions, snapshot

_CATEGORY_FIELDS = ("name_ar", "name_fr", "name_en", "position", "is_active")


def list_categories(actor: Actor, include_inactive: bool) -> list[Category]:
    """The category tree, flattened: each top-level category (by position) then its children.

    Retailers see active categories only; admins may ask for the deactivated ones too.
    """
    if include_inactive and not actor.is_admin:
        raise Forbidden()
    categories = [c for c in all_categories() if include_inactive or c.is_active]
    order = lambda c: (int(c.position), sort_key(c.name_ar), c.category_id)  # noqa: E731
    children: dict[str, list[Category]] = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    tree: list[Category] = []
    for top in sorted((c for c in categories if c.parent_id is None), key=order):
        tree.append(top)
        tree.extend(sorted(children.get(top.category_id, []), key=order))
    return tree


def create_category(actor: Actor, data: schemas.CategoryCreateIn) -> Category:
    categories = all_categories()
    siblings = [c for c in categories if c.parent_id == data.parent_id]
    parent: Category | None = None
    if data.parent_id:
        parent = next((c for c in categories if c.category_id == data.parent_id), None)
        if parent is None:
            raise field_error("parent_id", "category_not_found")
        if parent.parent_id:
            raise field_error("parent_id", "category_too_deep")
        if not parent.is_active:
            raise field_conflict("parent_id", "category_inactive")
    now = clock.iso()
    category_id = new_id()
    position = data.position if data.position is not None else max((int(c.position) for c in siblings), default=-1) + 1
    category = Category(
        PK=keys.CATALOG,
        SK=keys.category(category_id),
        category_id=category_id,
        parent_id=data.parent_id,
        name_ar=data.names.ar,
        name_fr=data.names.fr,
        name_en=data.names.en,
        position=position,
        is_active=True,
        product_count=0,
        child_count=0,
        created_at=now,
        updated_at=now,
        version=1,
    )
    try:
        with transaction() as tx:
            tx.create(category, label="category")
            if parent is not None:
                tx.update(
                    parent,
                    [Category.child_count.add(1)],
                    condition=Category.is_active == True,  # noqa: E712
                    label="parent",
                )
            audit.record(
                tx, actor, "category.created", "category", category_id, after=snapshot(category, _CATEGORY_FIELDS)
            )
    except TxCancelled as exc:
        raise conflict_from(exc, {"parent": ("category_inactive", "parent_id")}) from exc
    count("CategoryCreated")
    return category


def update_category(actor: Actor, category_id: str, data: schemas.CategoryPatchIn) -> Category:
    """Rename, move among siblings, (de)activate — with the version the client read."""
    category = get_category_item(category_id)
    check_version(category, data.version)
    before = snapshot(category, _CATEGORY_FIELDS)
    after = dict(before)
    if data.names is not None:
        after.update(names_patch(data.names, "names"))
    if data.position is not None:
        after["position"] = data.position
    if data.is_active is not None:
        after["is_active"] = data.is_active
    if after == before:
        return category

    now = clock.iso()
    actions = [*set_actions(Category, before, after), Category.updated_at.set(now), Category.version.add(1)]
    condition = Category.version == category.version
    parent = None
    if after["is_active"] != before["is_active"]:
        if not after["is_active"]:
            # only an empty category may be switched off: the counters say so, atomically
            condition &= (Category.product_count == 0) & (Category.child_count == 0)
        if category.parent_id:
            parent = get_category_item(category.parent_id)
    try:
        with transaction() as tx:
            tx.update(category, actions, condition=condition, label="category")
            if parent is not None:
                delta = 1 if after["is_active"] else -1
                parent_condition = (Category.is_active == True) if delta > 0 else None  # noqa: E712
                tx.update(parent, [Category.child_count.add(delta)], condition=parent_condition, label="parent")
            audit.record(tx, actor, "category.updated", "category", category_id, before=before, after=after)
    except TxCancelled as exc:
        raise _category_conflict(exc, category_id) from exc
    apply(category, {**after, "updated_at": now, "version": int(category.version) + 1})
    return category


def _category_conflict(exc: TxCancelled, category_id: str) -> Conflict:
    if "parent" in exc.failed:
        return field_conflict("parent_id", "category_inactive")
    current = get_category_item(category_id)
    if "category" in exc.failed and (current.product_count or current.child_count):
        return Conflict(
            "category_not_empty",
            params={"products": int(current.product_count), "children": int(current.child_count)},
        )
    return Conflict("version_conflict", params={"current": int(current.version)})


def reorder_categories(actor: Actor, parent_id: str | None, category_ids: list[str]) -> list[Category]:
    """Set the order of one parent's children (or of the top level) in one transaction."""
    siblings = {c.category_id: c for c in all_categories() if c.parent_id == parent_id}
    if len(set(category_ids)) != len(category_ids) or set(category_ids) != set(siblings):
        raise field_error("category_ids", "category_order_mismatch")
    now = clock.iso()
    changed = []
    with transaction() as tx:
        for position, category_id in enumerate(category_ids):
            category = siblings[category_id]
            if int(category.position) == position:
                continue
            tx.update(
                category,
                [Category.position.set(position), Category.updated_at.set(now), Category.version.add(1)],
                condition=Category.parent_id == parent_id if parent_id else Category.parent_id.does_not_exist(),
                label=category_id,
            )
            changed.append((category, position))
        if changed:
            audit.record(
                tx,
                actor,
                "category.reordered",
                "category",
                parent_id or "root",
                metadata={"order": category_ids},
            )
    for category, position in changed:
        apply(category, {"position": position, "updated_at": now, "version": int(category.version) + 1})
    return [siblings[c] for c in category_ids]
