"""Validation funnel: static checks, a sandboxed runtime check in warm forking workers, rendering last.

Modules in the order data flows: `static` (no execution), `sandbox` (the bubblewrap command), `worker`
(runs inside the sandbox), `pool` (workers, streaming, replacement), `cache` (sqlite verdicts),
`funnel` (`validate_records`, the pipeline's entry point), `cli` (`manim-dataset validate`).
"""
