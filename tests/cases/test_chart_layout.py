"""The chart's geometry is a pure function of its rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from cases.chart_layout import H_GAP, NODE_HEIGHT, NODE_WIDTH, V_GAP, rows_layout

STEP_X, STEP_Y = NODE_WIDTH + H_GAP, NODE_HEIGHT + V_GAP


def test_rows_are_centred_in_the_widest_and_stacked_by_level() -> None:
    layout = rows_layout({0: [1], -1: [5, 6], 1: [2, 3, -9]})

    assert layout.width == 3 * STEP_X + H_GAP
    assert layout.height == 3 * STEP_Y
    assert layout.positions[2] == (H_GAP, H_GAP + 2 * STEP_Y)
    assert layout.positions[-9] == (H_GAP + 2 * STEP_X, H_GAP + 2 * STEP_Y)
    assert layout.positions[5] == (H_GAP + STEP_X / 2, H_GAP)
    assert layout.positions[1] == (H_GAP + STEP_X, H_GAP + STEP_Y)


def test_a_lone_focus_fills_the_chart() -> None:
    layout = rows_layout({0: [7]})
    assert layout.positions == {7: (H_GAP, H_GAP)}
    assert (layout.width, layout.height) == (STEP_X + H_GAP, STEP_Y)


def test_layout_does_not_import_django() -> None:
    code = "import sys, cases.chart_layout; assert 'django' not in sys.modules, sorted(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
