"""Failed logins lock a (username, address) pair; an address trying many names is rate-limited.

django-axes counts failures per lockout parameter but compares every count with one limit, and
the count of an address always includes those of its pairs, so a single limit would lock a whole
address as soon as one pair is locked. This handler gives each its own limit:
``AXES_FAILURE_LIMIT`` for a username from one address, ``LOGIN_ADDRESS_FAILURE_LIMIT`` (higher:
offices share an address) for one address whatever the usernames. A stranger elsewhere can
therefore never lock an official out; guessing from many addresses costs one address each
``AXES_FAILURE_LIMIT`` tries.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

PAIR = "username+ip_address"
ADDRESS = "ip_address"


def parameter_name(parameter) -> str:
    return parameter if isinstance(parameter, str) else "+".join(parameter)


class PairAndAddressHandler(AxesDatabaseHandler):
    """The database handler of axes with a limit per pair and a higher one per address."""

    def get_failures(self, request, credentials=None) -> int:
        """Return the failures of the pair, or the pair's limit once the address reached its
        own: axes locks when this number reaches ``AXES_FAILURE_LIMIT``."""
        names = map(parameter_name, get_lockout_parameters(request, credentials))
        attempts = self.get_user_attempts(request, credentials)
        failures = {
            name: found.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for name, found in zip(names, attempts, strict=True)
        }
        if failures[ADDRESS] >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures[PAIR], get_failure_limit(request, credentials))
        return failures[PAIR]

    def reset_user_attempts(self, request, credentials=None) -> int:
        """Forget the failures of the pair that just logged in, not those of its address: an
        attacker logging in to their own account must not reset the address's count."""
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count
