"""The errors a service raises when the current state or the input does not allow what was asked.

Kept outside ``core/services`` so that the validation rules (``core/validation.py``), which the
services and the importers both read, can raise them without importing a service.
"""


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


class InvalidScore(WorkflowError):
    """A typed score or amount that cannot be saved; the message is shown at the field."""


class EditConflict(WorkflowError):
    """Someone saved the same leaf since the form was loaded; nothing was overwritten.

    Carries both versions (``their_*`` stored, with who saved it and when; ``your_*`` typed)
    and the stored revision, so the screen can show them side by side and let the person
    choose: keep the stored value, or save theirs again over the revision they have now seen.
    """

    def __init__(
        self, message, *, entry, your_points: str, your_note: str, their_points, their_note
    ):
        super().__init__(message)
        self.their_points = their_points
        self.their_note = their_note
        self.their_not_applicable = entry.not_applicable
        self.their_author = str(entry.updated_by) if entry.updated_by else ""
        self.their_at = entry.updated_at
        self.revision = entry.revision
        self.your_points = your_points
        self.your_note = your_note
