"""English formats for partners reading the same screens as the province.

Dates stay day-first (dd/mm/yyyy), as in the Vietnamese documents the partners read alongside,
rather than Django's month-first ``en`` defaults: "03/04/2025" means 3 April on every screen and in
every input, whichever language is chosen. Thousands are grouped with a comma and the decimal
separator is a point; scores keep their two decimals ("97.57") in both languages.
"""

from parindex.formats.vi.formats import *  # noqa: F403 (dates and inputs as in Vietnamese)

THOUSAND_SEPARATOR = ","
