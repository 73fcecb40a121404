from .exceptions import exception_handler

__all__ = ("exception_handler",)
