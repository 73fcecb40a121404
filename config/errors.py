"""Domain errors. Services raise these (or Django's ValidationError); adapters turn them into responses."""


class ApplicationError(Exception):
    """A rule of the domain was broken. The message is French and safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class ConflictError(ApplicationError):
    status_code = 409


class NotFound(ApplicationError):
    """Missing, or outside what the user may see: the two look the same, so ids leak nothing."""

    status_code = 404

    def __init__(self, message: str = "Introuvable.", **kwargs):
        super().__init__(message, **kwargs)
