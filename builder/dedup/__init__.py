"""Deduplication: exact (normalised AST) first, near-duplicates (MinHash) after validation.

Modules, in the order data meets them:
- `exact` (+ `strong`): one row per program after dropping comments, docstrings, formatting
  (optionally also the program's own names and literal values);
- `overlap`: cross-source exact / near overlap matrix and heatmap, computed before any row is dropped;
- `descriptions`: suspect pairs and alternative solutions (description-aware rules);
- `near`: MinHash + LSH candidates (`shingles`, `minhash`, `lsh`), verified by true Jaccard, clustered
  (`clusters`), one survivor per cluster;
- `decontaminate`: no train/validation row near a test row;
- `against`: new / changed / unchanged relative to a published build.
"""
