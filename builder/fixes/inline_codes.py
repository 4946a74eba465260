"""Inlining a repository scene into one self-contained program (INL001-INL006): catalogue entries only.

The repairs are made by builder/repos/inline.py while a scene is cut out of its repository, so a row
never holds the "before": each example here is a short prose description of before and after. The
codes are defined here, once; the inliner records them.
"""

from __future__ import annotations

from builder.fixes.types import Example, Fix

FIX_CLASH = "INL001"  # two definitions wanted one name: one was renamed
FIX_MULTIFILE = "INL002"  # definitions inlined from other local modules
FIX_QUALIFIED = "INL003"  # `helpers.grid()` or an import alias rewritten to the inlined name
FIX_DATAFILE = "INL004"  # a data file read at runtime inlined as a literal
FIX_SPLIT = "INL005"  # the scene split out of a file holding other scenes or unused definitions
FIX_HEADER = "INL006"  # `from manim import *` added to a document code block

FIXES: tuple[Fix, ...] = (
    Fix(
        FIX_CLASH, "inline-rename-clash",
        "Two different definitions (or imports) that the scene needs want the same name. External star-imported names, builtins and the scene file's own definitions keep theirs; the others become `<name>_<module>` (with a counter if that is taken too), and every use follows.",
        "inline",
        (Example("`scene.py` defines `label()` and also calls `shapes.label()` from `shapes.py`.", "The program defines `label()` and `label_shapes()`; the call from `shapes` becomes `label_shapes()`."),),
    ),
    Fix(
        FIX_MULTIFILE, "inline-local-modules",
        "A scene that imports definitions from other files of its repository does not run on its own; those definitions (and everything they use, transitively) are copied into the program in their original text.",
        "inline",
        (Example("`scene.py` starts with `from helpers import grid`, where `helpers.py` is a file of the repository.", "The definition of `grid` (and what it uses) stands above the scene; the import is gone."),),
    ),
    Fix(
        FIX_QUALIFIED, "inline-qualified-access",
        "Once a local module is inlined its name no longer exists, so a module-qualified access (`helpers.grid()`) or an import alias (`from helpers import grid as g`) is rewritten to the inlined definition's name.",
        "inline",
        (Example("`import helpers` ... `self.add(helpers.grid())`.", "`self.add(grid())`, calling the inlined `grid`."),),
    ),
    Fix(
        FIX_DATAFILE, "inline-data-file",
        "A scene that reads a small text data file of its repository at runtime (`open`, `Path.read_text`, `np.loadtxt`, `pd.read_csv`, ...) gets the file's text as a literal that reads back exactly the same characters; binary or oversized files exclude the scene instead.",
        "inline",
        (Example("`with open('points.csv') as f:` reads a file that stays behind in the repository.", "`with io.StringIO('0,1\\n2,3\\n') as f:` holds the file's text."),),
    ),
    Fix(
        FIX_SPLIT, "split-scene-from-file",
        "A file that holds several scenes, or definitions a scene does not use, becomes one program per scene holding only what that scene needs, so each row is one scene.",
        "inline",
        (Example("`scenes.py` holds `Intro`, `Proof` and a helper that only `Proof` uses.", "The row for `Intro` holds `Intro` and what it uses; `Proof` and its helper are in their own row."),),
    ),
    Fix(
        FIX_HEADER, "add-manim-import-to-doc-block",
        "Code blocks in documents (the `.. manim::` directive, the `%%manim` notebook magic) run with Manim already imported; as a program they need `from manim import *`, which is added.",
        "inline",
        (Example("A `.. manim:: Demo` block whose code starts at `class Demo(Scene):`.", "The program starts with `from manim import *`, as the directive does implicitly."),),
    ),
)  # fmt: skip
