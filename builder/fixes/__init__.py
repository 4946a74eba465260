"""Fix, don't reject: coded repairs applied to every row, in this order.

collapsed (restore lost newlines) -> syntax text repairs -> parse -> dialect -> gl_to_ce (GL rows)
-> upgrades (CE API changes; graphscene) -> assets (placeholders) -> syntax final touches.
`apply.repair_code` runs them; `registry.all_fixes` is the catalogue; `docs` writes docs/fixes.md;
`descriptions.clean_description` cleans the prompt side; `probe` runs scenes to prove the fixes.
"""
