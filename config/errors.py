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


class NotFound(Exception):
    """Missing, or outside what the user may see: the two look the same, so ids leak nothing. Not a broken rule
    (an ApplicationError, which pages show as a message): it always ends as the 404 (config.middleware for pages,
    config.api.exception_handler for the API)."""

    def __init__(self, message: str = "Introuvable."):
        super().__init__(message)
        self.message = message
