"""CE placeholder libraries that fixes copy into programs (read as text, never imported by the build)."""
