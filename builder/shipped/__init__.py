"""The configs and the dataset card template, shipped inside the wheel (see pyproject.toml's
package-dir mapping and builder/resources.py)."""
