from manim import *

EDGES = [(1, 2), (1, 3), (2, 4), (2, 5), (3, 6), (3, 7)]


def bfs_order(root):
    order, queue, seen = [], [root], {root}
    while queue:
        v = queue.pop(0)
        order.append(v)
        for a, b in EDGES:
            if a == v and b not in seen:
                seen.add(b)
                queue.append(b)
    return order


class BreadthFirst(Scene):
    def construct(self):
        graph = Graph(
            list(range(1, 8)),
            EDGES,
            layout="tree",
            root_vertex=1,
            labels=True,
            vertex_config={"radius": 0.3},
        )
        self.play(Create(graph))
        order = bfs_order(1)
        badges = VGroup()
        for step, v in enumerate(order, start=1):
            badge = Text(str(step), font_size=24, color=YELLOW)
            badge.next_to(graph.vertices[v], RIGHT, buff=0.15)
            self.play(Indicate(graph.vertices[v], color=ORANGE), FadeIn(badge), run_time=0.5)
            badges.add(badge)
        summary = Text("BFS order: " + " ".join(map(str, order)), font_size=32).to_edge(DOWN)
        self.play(Write(summary))
        self.wait()
