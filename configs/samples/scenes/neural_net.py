from manim import *

LAYERS = [3, 5, 4, 2]
LAYER_GAP = 2.5
NAMES = ["input", "hidden", "hidden", "output"]


def layer_of_neurons(count, x):
    neurons = VGroup(*[Circle(radius=0.25, color=WHITE) for _ in range(count)])
    neurons.arrange(DOWN, buff=0.4).move_to(RIGHT * x)
    return neurons


def connect(left, right):
    edges = VGroup()
    for a in left:
        for b in right:
            edges.add(Line(a.get_right(), b.get_left(), stroke_width=1, color=GRAY))
    return edges


class NeuralNetwork(Scene):
    def construct(self):
        offset = (len(LAYERS) - 1) * LAYER_GAP / 2
        layers = [layer_of_neurons(n, i * LAYER_GAP - offset) for i, n in enumerate(LAYERS)]
        edges = VGroup(*[connect(a, b) for a, b in zip(layers, layers[1:])])
        self.play(LaggedStart(*[Create(layer) for layer in layers], lag_ratio=0.3))
        self.play(Create(edges), run_time=2)
        for layer in layers:
            self.play(layer.animate.set_fill(YELLOW, opacity=0.8), run_time=0.4)
            self.play(layer.animate.set_fill(opacity=0), run_time=0.2)
        labels = VGroup(
            *[Text(name, font_size=24).next_to(layer, DOWN) for name, layer in zip(NAMES, layers)]
        )
        self.play(FadeIn(labels))
        self.wait()
