"""Plain text as the portal stores narrative: paragraphs separated by a blank line, a paragraph's lines starting
"- " its bullets, and a paragraph whose every line has a '|' a table, as the source documents were converted."""

from dataclasses import dataclass, field


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs, each keeping its own line breaks (a list's items, a table's rows)."""
    return [part for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]


@dataclass
class Block:
    """A paragraph with any bullets under it, a table (rows of cells, the first row its header), or an
    editorial note the data puts in square brackets, such as a graph the portal does not hold."""

    text: str
    bullets: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @property
    def is_note(self) -> bool:
        return self.text.startswith("[") and self.text.endswith("]") and not self.bullets

    @property
    def header(self) -> list[str]:
        return self.rows[0] if self.rows else []

    @property
    def body(self) -> list[list[str]]:
        return self.rows[1:]


def table_rows(lines: list[str]) -> list[list[str]]:
    """Lines of cells separated by '|', as the source documents' tables were converted to text."""
    cells = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]
    width = max(len(row) for row in cells)
    return [row + [""] * (width - len(row)) for row in cells]


def text_blocks(text: str) -> list[Block]:
    """Paragraphs separated by blank lines; lines starting with "- " are bullets under the paragraph; a chunk
    whose every line has a '|' is a table."""
    found = []
    for chunk in paragraphs(text):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if len(lines) > 1 and all("|" in line for line in lines):
            found.append(Block("", rows=table_rows(lines)))
            continue
        prose = " ".join(line for line in lines if not line.startswith("- "))
        bullets = [line[2:].strip() for line in lines if line.startswith("- ")]
        found.append(Block(prose, bullets))
    return found


def line_blocks(text: str) -> list[Block]:
    """Each line its own paragraph, with the bullets under it: for a text typed a line at a time, such as a list
    of background papers, whose lines would otherwise run together as one paragraph."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    return text_blocks("\n".join(line if line.strip().startswith("- ") else f"\n{line}" for line in lines))
