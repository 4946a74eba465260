"""Repository sources: multi-file Manim repos become one self-contained program per scene.

Data flows clone -> modules (module graph, name resolution; parse: each file outlined or parsed into
units) -> discover (which classes are scenes; documents: code blocks of docs) -> closure and inline (one
program per scene, with datafiles) -> source (RawRows with provenance, licence and description).
"""
