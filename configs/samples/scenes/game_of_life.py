import numpy as np
from manim import *

ROWS, COLS = 12, 18
CELL = 0.38
GENERATIONS = 8
ALIVE_COLOR = YELLOW
GLIDER = [(1, 2), (2, 3), (3, 1), (3, 2), (3, 3)]
BLINKER = [(6, 12), (6, 13), (6, 14)]
BLOCK = [(9, 4), (9, 5), (10, 4), (10, 5)]


def seed():
    grid = np.zeros((ROWS, COLS), dtype=int)
    for r, c in GLIDER + BLINKER + BLOCK:
        grid[r, c] = 1
    return grid


def step(grid):
    """One generation with a dead border (cells outside the board never live)."""
    padded = np.pad(grid, 1)
    neighbours = sum(
        padded[1 + dr : 1 + dr + ROWS, 1 + dc : 1 + dc + COLS]
        for dr in (-1, 0, 1)
        for dc in (-1, 0, 1)
        if (dr, dc) != (0, 0)
    )
    born = neighbours == 3
    survives = (grid == 1) & (neighbours == 2)
    return (born | survives).astype(int)


def build_board():
    cells = VGroup()
    for r in range(ROWS):
        for c in range(COLS):
            square = Square(side_length=CELL, stroke_width=1, stroke_color=GRAY_D)
            square.move_to(np.array([(c - (COLS - 1) / 2) * CELL, ((ROWS - 1) / 2 - r) * CELL, 0]))
            cells.add(square)
    return cells


def changes(cells, old, new):
    animations = []
    for r, c in zip(*np.nonzero(old != new)):
        square = cells[r * COLS + c]
        opacity = 0.9 if new[r, c] else 0
        animations.append(square.animate.set_fill(ALIVE_COLOR, opacity=opacity))
    return animations


class GameOfLife(Scene):
    def construct(self):
        board = build_board().shift(DOWN * 0.4)
        title = Text("Game of Life", font_size=36).to_edge(UP)
        grid = seed()

        generation = Integer(0)
        population = Integer(int(grid.sum()))
        stats = VGroup(
            VGroup(Text("generation", font_size=24), generation).arrange(RIGHT),
            VGroup(Text("alive", font_size=24), population).arrange(RIGHT),
        ).arrange(RIGHT, buff=1.0)
        stats.next_to(board, DOWN, buff=0.2)

        self.play(Write(title), Create(board, lag_ratio=0.01), run_time=2)
        self.play(*changes(board, np.zeros_like(grid), grid), FadeIn(stats))

        for gen in range(1, GENERATIONS + 1):
            new = step(grid)
            animations = changes(board, grid, new)
            animations.append(generation.animate.set_value(gen))
            animations.append(population.animate.set_value(int(new.sum())))
            self.play(*animations, run_time=0.6)
            grid = new

        self.play(Indicate(stats))
        self.wait()
