"""The one error a service raises when the current state does not allow what was asked."""


class WorkflowError(Exception):
    """A refused transition or invalid input; ``message`` is translated and shown to the user."""

    def __init__(self, message, *, details=()):
        super().__init__(str(message))
        self.message = message
        self.details = list(details)

    def __str__(self):
        if not self.details:
            return str(self.message)
        return "\n".join([str(self.message), *(f"- {d}" for d in self.details)])
