"""Stored files and the rows that name them."""

from typing import Any

from django.db import transaction


def delete_after_commit(stored: Any) -> None:
    """A file goes only once the rows that named it are gone for good: a change rolled back keeps its file."""
    storage, name = stored.storage, stored.name
    transaction.on_commit(lambda: storage.delete(name))
