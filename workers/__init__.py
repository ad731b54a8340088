"""Thin Celery tasks: each takes primary keys, calls one service in ``cases``, returns something small."""
