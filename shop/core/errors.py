class ApplicationError(Exception):
    """A business rule refused the operation; the message is for the merchant (translated)."""

    def __init__(self, message: str, *, extra: dict[str, object] | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
