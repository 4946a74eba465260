from manim import *

# name, orbit radius, dot radius, color, seconds per orbit
PLANETS = [
    ("Mercury", 0.9, 0.06, GRAY, 1.0),
    ("Venus", 1.4, 0.10, GOLD, 2.5),
    ("Earth", 2.0, 0.11, BLUE, 4.0),
    ("Mars", 2.7, 0.08, RED, 7.5),
]
EARTH_PERIOD = 4.0
MOON_PERIOD = 0.8
MOON_DISTANCE = 0.25


def orbit_updater(period):
    def update(mob, dt):
        mob.rotate(TAU * dt / period, about_point=ORIGIN)

    return update


def polar(radius, angle):
    return radius * np.array([np.cos(angle), np.sin(angle), 0])


class SolarSystem(Scene):
    def construct(self):
        sun = Dot(radius=0.3, color=YELLOW)
        glow = Circle(radius=0.45, color=YELLOW, stroke_opacity=0.3, stroke_width=8)
        title = Text("Inner planets", font_size=32).to_corner(UL)
        self.play(FadeIn(sun, scale=0.2), Create(glow), Write(title))

        orbits = VGroup()
        planets = VGroup()
        names = VGroup()
        for name, radius, size, color, period in PLANETS:
            orbits.add(Circle(radius=radius, stroke_color=WHITE, stroke_width=1, stroke_opacity=0.4))
            planet = Dot(RIGHT * radius, radius=size, color=color)
            planet.add_updater(orbit_updater(period))
            label = Text(name, font_size=18)
            label.add_updater(lambda m, p=planet: m.next_to(p, UP, buff=0.08))
            planets.add(planet)
            names.add(label)
        self.play(Create(orbits), run_time=2)
        self.add(planets, names)

        earth = planets[2]
        moon_angle = ValueTracker(0)
        moon_angle.add_updater(lambda m, dt: m.increment_value(TAU * dt / MOON_PERIOD))
        moon = Dot(radius=0.04, color=WHITE)
        moon.add_updater(
            lambda m: m.move_to(earth.get_center() + polar(MOON_DISTANCE, moon_angle.get_value()))
        )
        self.add(moon_angle, moon)

        years = ValueTracker(0)
        years.add_updater(lambda m, dt: m.increment_value(dt / EARTH_PERIOD))
        counter = DecimalNumber(0, num_decimal_places=2, font_size=32)
        counter.add_updater(lambda m: m.set_value(years.get_value()))
        caption = Text("Earth years", font_size=24)
        readout = VGroup(counter, caption).arrange(RIGHT).to_corner(DR)
        self.add(years, readout)
        self.wait(6)

        for mob in [*planets, *names, moon, moon_angle, years, counter]:
            mob.clear_updaters()
        self.play(FadeOut(VGroup(orbits, planets, names, moon, readout, title)), run_time=1.5)
        self.play(Flash(sun, color=YELLOW, flash_radius=0.8))
        self.wait()
