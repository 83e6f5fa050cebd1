"""Password rules in Vietnamese: Django's own validators, with the message its Vietnamese
translation leaves in English (the minimum length, a plural form the catalogue lacks)."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return _("Mật khẩu quá ngắn: cần ít nhất %(n)s ký tự.") % {"n": self.min_length}
