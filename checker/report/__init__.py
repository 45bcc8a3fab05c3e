"""Renderers: models in, text out. No renderer reads a file or changes a model."""
