"""Plain text as the portal stores narrative: paragraphs separated by a blank line."""


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs, each keeping its own line breaks (a list's items, a table's rows)."""
    return [part for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]
