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


class Throttled(ApplicationError):
    """A per-user quota is spent (the register's gate): the API answers 429 with Retry-After, pages show the
    message and keep what the user typed."""

    status_code = 429

    def __init__(self, retry_after: float):
        self.retry_after = max(int(retry_after + 0.999), 1)
        super().__init__(f"Trop de consultations du registre en peu de temps : réessayez dans {self.retry_after} "
                         f"seconde{'s' if self.retry_after > 1 else ''}.")


class NotFound(Exception):
    """Missing, or outside what the user may see: the two look the same, so ids leak nothing. Not a broken rule
    (an ApplicationError, which pages show as a message): it always ends as the 404 (config.middleware for pages,
    config.api.exception_handler for the API)."""

    def __init__(self, message: str = "Introuvable."):
        super().__init__(message)
        self.message = message
