"""Repository sources: multi-file Manim repos become one self-contained program per scene.

Data flows clone -> modules (parse, module graph) -> discover (which classes are scenes) -> inline (one
program per scene, with datafiles) -> source (RawRows with provenance, licence and description).
"""
