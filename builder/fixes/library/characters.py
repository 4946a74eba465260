"""Placeholder pi creatures for Community Edition: what the fix AST003 inlines into a program that uses them.

3Blue1Brown's pi creatures (`Randolph`, `Mortimer`, `TeacherStudentsScene`, `PiCreatureSays`, bubbles)
are drawn from SVG files that are not public, so no program that uses them runs anywhere else. These
classes keep the scene's meaning and layout: a body with eyes, pupils and a mouth that follows the mode,
speech and thought bubbles with their content, and the scene bases with the members real scenes read
(`pi_creature`, `teacher`, `students`, `teacher_says`, `play_student_changes`...). The fix copies only the
definitions a program needs (each top-level definition names what it uses), so this is plain CE code that
runs on its own; keep every definition self-contained apart from `manim`.
"""

from manim import *

PI_CREATURE_HEIGHT = 3.0
# Mouth curvature per mode (positive: a smile); other modes get a straight mouth.
PI_CREATURE_MOUTHS = {
    "happy": 0.6, "hooray": 0.8, "gracious": 0.4, "tease": 0.3, "speaking": 0.2, "raise_right_hand": 0.3,
    "raise_left_hand": 0.3, "thinking": 0.0, "pondering": -0.1, "sad": -0.5, "angry": -0.4, "erm": -0.2,
    "confused": -0.2, "maybe": -0.1, "hesitant": -0.1, "tired": -0.3, "horrified": -0.6, "guilty": -0.3,
}  # fmt: skip
PI_CREATURE_OPEN_MOUTHS = frozenset({"surprised", "horrified", "hooray", "wave_1", "wave_2", "shocked"})


class PiCreature(VGroup):
    """A pi creature placeholder: body, two eyes with pupils and a mouth; `mode` sets the mouth."""

    def __init__(
        self,
        mode="plain",
        color=BLUE_E,
        height=PI_CREATURE_HEIGHT,
        flip_at_start=False,
        start_corner=None,
        **kwargs,
    ):
        super().__init__()
        self.mode = mode
        self.bubble = None
        torso = RoundedRectangle(width=1.6, height=2.0, corner_radius=0.6)
        legs = VGroup(*(Rectangle(width=0.25, height=0.6) for _ in range(2))).arrange(RIGHT, buff=0.5)
        self.body = VGroup(torso, legs.next_to(torso, DOWN, buff=-0.1)).set_fill(color, 1).set_stroke(width=0)
        whites = VGroup(*(Circle(radius=0.22) for _ in range(2))).arrange(RIGHT, buff=0.05)
        whites.set_fill(WHITE, 1).set_stroke(BLACK, 1).move_to(torso.get_top() + 0.55 * DOWN)
        self.eyes = VGroup(whites, VGroup(*(Dot(w.get_center(), radius=0.09, color=BLACK) for w in whites)))
        self.mouth = self._mouth(mode)
        self.add(self.body, self.eyes, self.mouth)
        self.set(height=height)
        if flip_at_start:
            self.flip()
        if start_corner is not None:
            self.to_corner(start_corner)

    def _mouth(self, mode):
        if mode in PI_CREATURE_OPEN_MOUTHS:
            mouth = Ellipse(width=1, height=0.8).set_fill(BLACK, 1).set_stroke(BLACK, 2)
        else:
            bend = PI_CREATURE_MOUTHS.get(mode, 0.05)
            mouth = ArcBetweenPoints(LEFT, RIGHT, angle=-2 * bend or 0.001).set_stroke(BLACK, 4)
        mouth.scale_to_fit_width(0.6 * self.eyes.width)
        return mouth.move_to(self.eyes.get_center() + 1.3 * self.eyes.height * DOWN)

    def change_mode(self, mode):
        """Switch the expression in place (the number of parts never changes, so it animates)."""
        self.mouth.become(self._mouth(mode))
        self.mode = mode
        return self

    def look(self, direction):
        whites, pupils = self.eyes
        direction = np.array(direction, dtype=float)
        norm = np.linalg.norm(direction[:2])
        unit = direction / norm if norm > 0 else direction
        for white, pupil in zip(whites, pupils):
            pupil.move_to(white.get_center() + 0.4 * white.width / 2 * unit)
        return self

    def look_at(self, point_or_mobject):
        target = point_or_mobject.get_center() if isinstance(point_or_mobject, Mobject) else point_or_mobject
        return self.look(np.array(target, dtype=float) - self.eyes.get_center())

    def make_eye_contact(self, other):
        self.look_at(other.eyes)
        other.look_at(self.eyes)
        return self

    def change(self, new_mode, look_at=None):
        """Change now and return the animation from the old look (GL scenes both call it and play it)."""
        before = self.copy()
        self.change_mode(new_mode)
        if look_at is not None:
            self.look_at(look_at)
        return PiCreatureChange(self, before)

    def shrug(self):
        return self.change_mode("shruggie")

    def blink(self):
        self.eyes.stretch(0.1, 1)
        return self

    def get_bubble(self, content=None, bubble_type=None, **kwargs):
        bubble = (bubble_type or SpeechBubble)(content=content, **kwargs)
        bubble.pin_to(self)
        self.bubble = bubble
        return bubble

    def says(self, content, mode="speaking", look_at=None, **kwargs):
        return PiCreatureSays(self, content, target_mode=mode, look_at=look_at, **kwargs)

    def thinks(self, content, mode="thinking", look_at=None, **kwargs):
        return PiCreatureSays(
            self, content, target_mode=mode, look_at=look_at, bubble_type=ThoughtBubble, **kwargs
        )

    def debubble(self, mode="plain", look_at=None, **kwargs):
        return RemovePiCreatureBubble(self, target_mode=mode, look_at=look_at, **kwargs)

    def get_eyes(self):
        return self.eyes

    def get_mouth(self):
        return self.mouth


class Randolph(PiCreature):
    pass


class Mortimer(PiCreature):
    def __init__(self, mode="plain", color=GREY_BROWN, flip_at_start=True, **kwargs):
        super().__init__(mode=mode, color=color, flip_at_start=flip_at_start, **kwargs)


class Mathematician(PiCreature):
    def __init__(self, mode="plain", color=GREY, **kwargs):
        super().__init__(mode=mode, color=color, **kwargs)


class BabyPiCreature(PiCreature):
    def __init__(self, mode="plain", color=BLUE_E, height=1.5, **kwargs):
        super().__init__(mode=mode, color=color, height=height, **kwargs)


class PiCreatureChange(Transform):
    """From how the creature looked before `change` to how it looks now."""

    def __init__(self, pi_creature, before, **kwargs):
        self.before = before
        super().__init__(pi_creature, pi_creature.copy(), **kwargs)

    def create_starting_mobject(self):
        return self.before.copy()


def Blink(pi_creature, **kwargs):
    kwargs.setdefault("rate_func", there_and_back)
    return pi_creature.animate(**kwargs).blink()


class SpeechBubble(VGroup):
    """A rounded speech bubble with a tail; `content` (text or a mobject) sits inside."""

    def __init__(self, content=None, height=2.5, width=3.5, **kwargs):
        super().__init__()
        self.shape = self._shape(width, height).set_stroke(WHITE, width=3).set_fill(BLACK, opacity=0.8)
        self.add(self.shape)
        self.content = VMobject()
        if content is not None:
            self.add_content(content)

    def _shape(self, width, height):
        box = RoundedRectangle(width=width, height=height, corner_radius=0.4)
        tail = Polygon(
            box.get_bottom() + 0.3 * LEFT,
            box.get_bottom() + 0.3 * RIGHT,
            box.get_corner(DL) + 0.6 * DOWN + 0.2 * LEFT,
        )
        return VGroup(box, tail)

    def get_tip(self):
        return self.shape[-1].get_vertices()[-1] if len(self.shape) > 1 else self.shape.get_corner(DL)

    def add_content(self, content):
        if isinstance(content, str):
            content = Text(content, font_size=32)
        self.remove(self.content)
        content.set(width=min(content.width, self.shape[0].width * 0.8))
        content.move_to(self.shape[0])
        self.content = content
        self.add(content)
        return self

    def write(self, *text):
        return self.add_content(" ".join(str(t) for t in text))

    def position_mobject_inside(self, mobject):
        return mobject.move_to(self.shape[0])

    def resize_to_content(self, buff=0.5):
        self.shape.stretch_to_fit_width(max(self.content.width + 2 * buff, 1))
        return self

    def pin_to(self, mobject):
        """Above the creature, towards the middle of the screen, the tail pointing at it."""
        right_half = mobject.get_x() > 0
        if right_half:
            self.shape.flip()
        self.next_to(mobject, UP + (LEFT if right_half else RIGHT), buff=-0.2)
        return self


class ThoughtBubble(SpeechBubble):
    """A thought bubble: a cloud with two small circles trailing down."""

    def _shape(self, width, height):
        cloud = Ellipse(width=width, height=height)
        dots = VGroup(Circle(radius=0.15), Circle(radius=0.08))
        dots[0].move_to(cloud.get_corner(DL) + 0.1 * DOWN)
        dots[1].move_to(dots[0].get_center() + 0.35 * (DOWN + LEFT))
        return VGroup(cloud, *dots)


Bubble = SpeechBubble
OldSpeechBubble = SpeechBubble
OldThoughtBubble = ThoughtBubble


class PiCreatureSays(AnimationGroup):
    """The creature changes mode while a bubble with the content appears beside it."""

    def __init__(
        self, pi_creature, content, target_mode="speaking", bubble_type=None, look_at=None, bubble_config=None,
        run_time=None, lag_ratio=0, **kwargs
    ):  # fmt: skip
        old = pi_creature.bubble
        bubble = pi_creature.get_bubble(
            content, bubble_type=bubble_type or SpeechBubble, **(bubble_config or {})
        )
        anims = [pi_creature.change(target_mode, look_at), FadeIn(bubble.shape), Write(bubble.content)]
        if old is not None:
            anims.append(FadeOut(old))
        extra = {"run_time": run_time} if run_time is not None else {}
        super().__init__(*anims, lag_ratio=lag_ratio, **extra)


PiCreatureBubbleIntroduction = PiCreatureSays


class RemovePiCreatureBubble(AnimationGroup):
    def __init__(self, pi_creature, target_mode="plain", look_at=None, run_time=None, **kwargs):
        bubble = pi_creature.bubble or VGroup()
        pi_creature.bubble = None
        extra = {"run_time": run_time} if run_time is not None else {}
        super().__init__(FadeOut(bubble), pi_creature.change(target_mode, look_at), **extra)


class PiCreatureScene(Scene):
    """A scene with one pi creature in the lower-left corner (`self.pi_creature`)."""

    pi_creatures_start_on_screen = True
    default_pi_creature_kwargs = {"color": BLUE_E}
    default_pi_creature_start_corner = DL

    def setup(self):
        super().setup()
        self.pi_creatures = VGroup(*self.create_pi_creatures())
        self.pi_creature = self.get_primary_pi_creature()
        if self.pi_creatures_start_on_screen:
            self.add(*self.pi_creatures)

    def create_pi_creatures(self):
        return [self.create_pi_creature()]

    def create_pi_creature(self):
        return Randolph(**self.default_pi_creature_kwargs).to_corner(self.default_pi_creature_start_corner)

    def get_pi_creatures(self):
        return self.pi_creatures

    def get_primary_pi_creature(self):
        return self.pi_creatures[0]

    def pi_creature_says(self, *args, target_mode="speaking", added_anims=(), **kwargs):
        return self._bubble(self.pi_creature, args, target_mode, SpeechBubble, added_anims, kwargs)

    def pi_creature_thinks(self, *args, target_mode="thinking", added_anims=(), **kwargs):
        return self._bubble(self.pi_creature, args, target_mode, ThoughtBubble, added_anims, kwargs)

    say = pi_creature_says
    think = pi_creature_thinks

    def _bubble(self, pi_creature, args, target_mode, bubble_type, added_anims, kwargs):
        if args and isinstance(args[0], PiCreature):
            pi_creature, args = args[0], args[1:]
        content = args[0] if len(args) == 1 else " ".join(str(a) for a in args)
        look_at = kwargs.pop("look_at", None)
        run_time = kwargs.pop("run_time", None)
        says = PiCreatureSays(
            pi_creature,
            content,
            target_mode=target_mode,
            bubble_type=bubble_type,
            look_at=look_at,
            run_time=run_time,
        )
        self.play(says, *added_anims)

    def change_mode(self, mode):
        self.play(self.pi_creature.change(mode))

    def look_at(self, thing, pi_creatures=None, added_anims=(), **kwargs):
        self.play(
            *(pi.change(pi.mode, thing) for pi in pi_creatures or self.pi_creatures), *added_anims, **kwargs
        )

    def blink(self):
        self.play(Blink(self.pi_creature))

    def remove_bubble(self, pi_creature=None, **kwargs):
        self.play(RemovePiCreatureBubble(pi_creature or self.pi_creature, **kwargs))


class TeacherStudentsScene(PiCreatureScene):
    """A teacher on the right facing three students on the left, and a screen at the top left."""

    student_colors = [BLUE_D, BLUE_E, BLUE_C]
    teacher_color = GREY_BROWN
    student_scale_factor = 0.8
    seconds_to_blink = 2

    def setup(self):
        super().setup()
        self.screen = ScreenRectangle(height=3.5).to_corner(UL)
        self.hold_up_spot = self.teacher.get_corner(UL) + MED_LARGE_BUFF * UP

    def create_pi_creatures(self):
        self.teacher = Mortimer(color=self.teacher_color, height=2.2).to_corner(DR)
        self.students = VGroup(*(Randolph(color=c, height=2.2) for c in self.student_colors))
        self.students.scale(self.student_scale_factor).arrange(RIGHT, buff=0.6).to_corner(DL)
        self.teacher.look_at(self.students[-1].eyes)
        for student in self.students:
            student.look_at(self.teacher.eyes)
        return [self.teacher, *self.students]

    def get_teacher(self):
        return self.teacher

    def get_students(self):
        return self.students

    def teacher_says(self, *content, target_mode="raise_right_hand", added_anims=(), **kwargs):
        return self._bubble(self.teacher, content, target_mode, SpeechBubble, added_anims, kwargs)

    def teacher_thinks(self, *content, target_mode="thinking", added_anims=(), **kwargs):
        return self._bubble(self.teacher, content, target_mode, ThoughtBubble, added_anims, kwargs)

    def student_says(self, *content, target_mode=None, index=2, added_anims=(), **kwargs):
        student = kwargs.pop("student", None) or self.students[index]
        return self._bubble(
            student, content, target_mode or "raise_right_hand", SpeechBubble, added_anims, kwargs
        )

    def student_thinks(self, *content, target_mode=None, index=2, added_anims=(), **kwargs):
        student = kwargs.pop("student", None) or self.students[index]
        return self._bubble(student, content, target_mode or "pondering", ThoughtBubble, added_anims, kwargs)

    def change_students(self, *modes, look_at=None, lag_ratio=0.5, run_time=1, **kwargs):
        changes = [s.change(m, look_at) for s, m in zip(self.students, modes) if m is not None]
        return LaggedStart(*changes, lag_ratio=lag_ratio, run_time=run_time) if changes else Wait(0.01)

    def play_student_changes(self, *modes, added_anims=(), **kwargs):
        self.play(self.change_students(*modes, **kwargs), *added_anims)

    change_student_modes = play_student_changes

    def change_all_student_modes(self, mode, **kwargs):
        self.play_student_changes(*[mode] * len(self.students), **kwargs)

    play_all_student_changes = change_all_student_modes

    def teacher_holds_up(self, mobject, target_mode="raise_right_hand", added_anims=(), **kwargs):
        mobject.move_to(self.hold_up_spot, DOWN)
        self.play(FadeIn(mobject, shift=UP), self.teacher.change(target_mode), *added_anims)
