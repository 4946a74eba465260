import heapq

from manim import *

POSITIONS = {
    "A": [-5, 0, 0],
    "B": [-2.5, 2, 0],
    "C": [-2.5, -2, 0],
    "D": [0.5, 1.5, 0],
    "E": [0.5, -1.5, 0],
    "F": [3.5, 0, 0],
}
WEIGHTS = {
    ("A", "B"): 4,
    ("A", "C"): 2,
    ("B", "C"): 1,
    ("B", "D"): 5,
    ("C", "D"): 8,
    ("C", "E"): 10,
    ("D", "E"): 2,
    ("D", "F"): 6,
    ("E", "F"): 3,
}
SOURCE, TARGET = "A", "F"


def neighbours(node):
    for (u, v), w in WEIGHTS.items():
        if u == node:
            yield v, w, (u, v)
        elif v == node:
            yield u, w, (u, v)


def dijkstra():
    """Return the settle order, final distances and the tree edge that reached each node."""
    dist = {SOURCE: 0}
    parent = {}
    order = []
    heap = [(0, SOURCE)]
    done = set()
    while heap:
        d, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        order.append((node, d))
        for nxt, w, edge in neighbours(node):
            if d + w < dist.get(nxt, float("inf")):
                dist[nxt] = d + w
                parent[nxt] = (node, edge)
                heapq.heappush(heap, (d + w, nxt))
    return order, dist, parent


def weight_tag(edge, weight):
    u, v = edge
    middle = (np.array(POSITIONS[u]) + np.array(POSITIONS[v])) / 2
    return Text(str(weight), font_size=24).move_to(middle).add_background_rectangle()


def distance_table(dist):
    rows = VGroup(*[Text(f"{node}: {dist[node]}", font_size=24) for node in sorted(dist)])
    rows.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
    frame = SurroundingRectangle(rows, color=GRAY, buff=0.2)
    heading = Text("distance", font_size=24).next_to(frame, UP, buff=0.1)
    return VGroup(frame, rows, heading).to_edge(RIGHT)


def legend():
    tree = VGroup(Line(ORIGIN, RIGHT * 0.5, color=GREEN), Text("tree edge", font_size=20))
    best = VGroup(
        Line(ORIGIN, RIGHT * 0.5, color=YELLOW, stroke_width=8), Text("shortest path", font_size=20)
    )
    items = VGroup(tree.arrange(RIGHT), best.arrange(RIGHT)).arrange(DOWN, aligned_edge=LEFT)
    return items.to_corner(DL)


class Dijkstra(Scene):
    def construct(self):
        graph = Graph(
            list(POSITIONS),
            list(WEIGHTS),
            layout={k: np.array(v, dtype=float) for k, v in POSITIONS.items()},
            labels=True,
            vertex_config={"radius": 0.35, "fill_color": BLUE_E},
            edge_config={"stroke_width": 3},
        )
        weights = VGroup(*[weight_tag(e, w) for e, w in WEIGHTS.items()])
        title = Text(f"Dijkstra from {SOURCE}", font_size=36).to_edge(UP)
        self.play(Create(graph), Write(title))
        self.play(FadeIn(weights))

        order, dist, parent = dijkstra()
        tags = {}
        for node in POSITIONS:
            tags[node] = Text("inf", font_size=22, color=GRAY).next_to(graph.vertices[node], DOWN, buff=0.15)
        self.play(*[FadeIn(t) for t in tags.values()])

        for node, d in order:
            settled = Text(str(d), font_size=22, color=YELLOW).move_to(tags[node])
            animations = [
                graph.vertices[node].animate.set_fill(GREEN, family=False),
                Transform(tags[node], settled),
            ]
            if node in parent:
                animations.append(graph.edges[parent[node][1]].animate.set_color(GREEN))
            self.play(*animations, run_time=0.7)

        path = [TARGET]
        while path[-1] != SOURCE:
            path.append(parent[path[-1]][0])
        path.reverse()
        path_edges = [parent[n][1] for n in path[1:]]
        self.play(*[graph.edges[e].animate.set_stroke(YELLOW, width=8) for e in path_edges])
        summary = Text(" -> ".join(path) + f"   cost {dist[TARGET]}", font_size=32).to_edge(DOWN)
        self.play(Write(summary))
        self.play(FadeIn(legend()), FadeIn(distance_table(dist), shift=LEFT))
        self.wait()
