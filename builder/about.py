"""What the dataset says about itself, in one place: the card and `manim_code_dataset.py` both read it."""

HOMEPAGE = "https://huggingface.co/datasets/manim-code-dataset/manim-code"
LICENSE = "other (per-source licences; see the `license` column and the card)"
CITATION = """@misc{manim_code_dataset,
  title  = {Manim code dataset: clean, deduplicated, validated Manim Community Edition programs},
  author = {manim-code-dataset contributors},
  year   = {2026},
  note   = {Built with the manim-code-dataset builder; cite the upstream sources listed in the card}
}"""
