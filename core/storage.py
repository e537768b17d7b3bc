"""Stored files and the rows that name them."""

import hashlib
from typing import Any

from django.core.files import File
from django.db import transaction


def delete_after_commit(stored: Any) -> None:
    """A file goes only once the rows that named it are gone for good: a change rolled back keeps its file.
    A file field left empty (evidence that is a link, not a file) names nothing to delete."""
    storage, name = stored.storage, stored.name
    if not name:
        return
    transaction.on_commit(lambda: storage.delete(name))


def sha256_of(content: File) -> str:
    """The SHA-256 of a file's content, read in chunks from its start. An upload is left open, to be saved after;
    a stored file is opened by the caller, who closes it."""
    digest = hashlib.sha256()
    for chunk in content.chunks():
        digest.update(chunk)
    return digest.hexdigest()
