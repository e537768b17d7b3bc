"""A listed item whose document nests points under it ("○ ...", "➢ ...") keeps them nested, marks and all."""

from core.templatetags.portal import with_sub_points
from sef.seed.loader import SEF_2024_FILE, read


def test_points_marked_under_an_item_are_a_list_nested_in_it():
    text = (
        "Work is progressing:\n○ Support groups across the city.\n○ The <Essex> Autism Project &\ncontinues."
    )

    assert with_sub_points(text) == (
        'Work is progressing:<ul class="app-sub-points"><li>○ Support groups across the city.</li>'
        "<li>○ The &lt;Essex&gt; Autism Project &amp;<br>continues.</li></ul>"
    )


def test_an_item_without_sub_points_keeps_its_line_breaks_and_is_escaped():
    assert with_sub_points("First line\n<b>second</b>") == "First line<br>&lt;b&gt;second&lt;/b&gt;"


def test_the_southend_sef_items_with_sub_points_are_drawn_nested():
    items = [text for text in _every_string(read(SEF_2024_FILE)) if "\n➢ " in text or "\n○ " in text]
    assert len(items) >= 2  # the Lighthouse team's sessions and the action research projects
    for text in items:
        drawn = with_sub_points(text)
        assert drawn.count("<li>") == text.count("\n➢ ") + text.count("\n○ ")


def _every_string(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in _every_string(item)]
    return []
