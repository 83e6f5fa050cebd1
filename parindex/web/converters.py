"""URL converters: the ``code`` of a unit or group in a URL follows ``core/codes.py``."""

from parindex.core.codes import CODE_PATTERN


class CodeConverter:
    """A unit or group code (``STP``, ``SYN-00001``); anything else is not a page (404)."""

    regex = CODE_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        # Every stored code matches (model validator; migration 0007 refuses older ones), so a
        # link to a unit or group is always built.
        return value
