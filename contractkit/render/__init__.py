"""Renderers: each walks a finished document tree and never decides what a contract says."""
