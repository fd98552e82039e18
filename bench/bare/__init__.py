"""A bare Django 5.2 project: one view, one template, no database — the yardstick for bench_pages.py.

Served by gunicorn with the same arguments as `dualpower serve` (workers, threads, gthread, access
log): ``python -m gunicorn bare.wsgi:application`` from bench/.
"""
