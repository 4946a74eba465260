"""Fix, don't reject: coded repairs applied to every row, in catalogue order.

`types` holds `Fix`, `Example` and `Phase`; one module per theme holds its fixes (text_tex, animations,
axes, colour, camera, gl_idioms, mobjects, assets, syntax, collapsed, descriptions) or only the catalogue
entries of repairs made elsewhere (fence_codes: builder/fences.py; inline_codes: builder/repos/inline.py);
`catalogue` gathers them (`all_fixes`, `fix_by_code`, `is_disabled`, `count_fixes`). `apply.repair_code`
runs the code phases (text -> parse -> dialect -> gl -> upgrade -> asset -> final), `docs` writes
docs/fixes.md, `descriptions.clean_description` cleans the prompt side.
"""
