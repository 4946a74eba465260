"""Errors a user can act on: raised before any work starts, each naming what to fix."""


class ConfigError(ValueError):
    """A sources or config file is wrong (bad YAML, unknown field, missing file, duplicate name)."""
