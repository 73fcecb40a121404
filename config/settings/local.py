"""Embedded default: SQLite, eager Celery, console e-mail, debug on unless told otherwise."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
