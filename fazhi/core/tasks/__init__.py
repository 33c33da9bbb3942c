"""Long work (recomputes, big imports, report batches) as background tasks.

The queue and the worker are django-tasks' (the API Django 6 ships as `django.tasks`) with the
database backend of django-tasks-db; this app adds what the user sees: a `TaskRun` with a
Chinese title, progress counters and the result, and a page that follows it. See ADR 0008.
"""
