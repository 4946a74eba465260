"""Deduplication: exact (normalised AST) first, near-duplicates (MinHash) after validation."""
