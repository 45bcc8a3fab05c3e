"""Declarative rules: schema (YAML format), loader, and the Python text matcher."""
