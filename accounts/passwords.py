"""Password rules beyond Django's: a long password must still mix kinds of characters."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    ("minuscules", str.islower),
    ("majuscules", str.isupper),
    ("chiffres", str.isdigit),
    ("caractères spéciaux", lambda c: c in string.punctuation or c.isspace() or not c.isalnum()),
)


class CharacterClassesValidator:
    """At least `min_classes` of: lower case, upper case, digits, special characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        found = sum(1 for _name, test in CLASSES if any(test(c) for c in password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "Le mot de passe doit mêler au moins %(n)d types de caractères parmi : minuscules, majuscules, "
            "chiffres, caractères spéciaux."
        ) % {"n": self.min_classes}
