"""The footer's language switch: Django's ``set_language``, CSRF-checked for signed-in people.

Published pages are served to anonymous visitors from a stored copy (``web/caching.py``), and
a page that asked for a CSRF token is never stored, so the switch on an anonymous page carries
no token. For an anonymous visitor a forged switch can only change the language of their own
next page (there is no session to abuse); a signed-in person's switch keeps Django's check.
"""

from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

checked_set_language = csrf_protect(django_set_language)


@csrf_exempt
@require_POST
def set_language(request):
    """Keep the chosen language in a cookie and go back to the page (``next``)."""
    if request.user.is_authenticated:
        return checked_set_language(request)
    return django_set_language(request)
