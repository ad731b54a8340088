"""The stylesheet says each thing once: no selector gets a second rule in the same context.

Merged branches twice styled one selector in two places (``a.button``: white text on white;
``.gallery``: a grid that squeezed the family gallery into one column on phones; ``.edit-form
input``: checkboxes stretched away from their labels). Later rules silently won. A selector may
still appear inside a group (``th, td``) and again alone, and once per ``@media`` block.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "css" / "kinship.css"


def rule_selectors(css: str) -> dict[tuple[str, str], list[int]]:
    """Return ``(context, selector) -> line numbers`` of every rule; context is the enclosing at-rule."""
    css = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), css, flags=re.S)
    found: dict[tuple[str, str], list[int]] = defaultdict(list)
    stack: list[str] = []
    for match in re.finditer(r"([^{}]*)\{|\}", css):
        if match.group(0) == "}":
            stack.pop()
            continue
        selector = " ".join(match.group(1).split())
        line = css.count("\n", 0, match.end(1) - len(match.group(1).lstrip())) + 1
        if not selector.startswith("@"):
            found[(" ".join(s for s in stack if s.startswith("@")), selector)].append(line)
        stack.append(selector)
    assert not stack, "unbalanced braces in the stylesheet"
    return found


def test_the_parser_sees_a_repeated_rule():
    css = "a.button { color: red; }\n@media (x) { a.button { color: blue; } }\n/* } */\na.button { color: white; }\n"
    assert {key: lines for key, lines in rule_selectors(css).items() if len(lines) > 1} == {("", "a.button"): [1, 4]}


def test_no_selector_is_styled_twice_in_one_context():
    repeated = {key: lines for key, lines in rule_selectors(STYLESHEET.read_text()).items() if len(lines) > 1}
    assert not repeated, "merge these rules (later ones silently win): " + "; ".join(
        f"{selector!r}{' in ' + context if context else ''} at lines {lines}"
        for (context, selector), lines in repeated.items()
    )
