"""Stored files and the rows that name them."""

from typing import Any

from django.db import transaction


def delete_after_commit(stored: Any) -> None:
    """A file goes only once the rows that named it are gone for good: a change rolled back keeps its file.
    A file field left empty (evidence that is a link, not a file) names nothing to delete."""
    storage, name = stored.storage, stored.name
    if not name:
        return
    transaction.on_commit(lambda: storage.delete(name))
