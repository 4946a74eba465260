from manim import *


def labelled_arrow(start, end, text):
    arrow = Arrow(start, end, buff=0)
    label = Text(text, font_size=24).next_to(arrow, UP)
    return VGroup(arrow, label)
