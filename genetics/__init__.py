"""Kinship's face-genetics library: engines that synthesise candidate children from parents' faces.

A pure library: it never imports Django, Celery or the ``cases`` app, and loads no model at import
time. Callers pass paths, devices and options in; see ``genetics/README.md``.
"""
