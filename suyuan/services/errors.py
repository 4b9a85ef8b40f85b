"""Domain errors: refusals that carry a message a person understands."""


class DomainError(Exception):
    """A business rule refused the operation; ``message`` is already translated."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(DomainError):
    """The operation collides with existing data (an overlap, a duplicate)."""

    status_code = 409


class NotAllowed(DomainError):
    """The operation is not allowed in the object's current state."""

    status_code = 409
