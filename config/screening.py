"""Free text never holds a NIR or an IBAN: the one screening of every free-text input.

Refused, not masked: the person typing sees why and what to remove, nothing they wrote is silently changed, and a
partly masked number (or its neighbouring words) is still personal data. An API caller gets a 400 naming the field.

What counts:
- a NIR: 13 characters whose layout is a real NIR (sex, month, birthplace, order: `config.nir`), with or without
  its 2-digit key, spaces, dots or dashes allowed. A wrong key is still refused: the 13 first characters name a
  person, the key only checks them;
- an IBAN: ISO 13616 country layout and mod-97 check digits (python-stdnum), spaces or dashes allowed.

Apply it:
- forms: inherit `ScreenedForm` / `ScreenedModelForm` (or mix `ScreenedFormMixin` in first);
- serializers: inherit `ScreenedSerializer` / `ScreenedModelSerializer`;
- a field that must carry a NIR or an IBAN (the lookup's NIR, a check's IBAN) is named in `unscreened_fields`;
- a service that takes free text from elsewhere calls `screen_texts(field=value, …)`.
`tests/config/test_screening.py` walks every form and serializer and fails on a field that accepts one.
"""

import re
from functools import lru_cache

from django import forms
from django.core.exceptions import ValidationError
from rest_framework import serializers
from stdnum import iban as stdnum_iban
from stdnum import numdb

from config.nir import NirError, validate_nir

# A sex digit, then 12 characters (Corsica 2A/2B), then maybe a 2-digit key; one separator allowed between each.
_NIR_LIKE = re.compile(r"(?<![0-9A-Za-z])[12](?:[\s.\-]?[0-9AB]){12}(?:[\s.\-]?[0-9]{2})?(?![0-9A-Za-z])", re.I)
# A country code, 2 check digits, then 11 to 30 letters or digits; one separator allowed between each.
_IBAN_LIKE = re.compile(r"(?<![0-9A-Za-z])[A-Z]{2}[0-9]{2}(?:[\s\-]?[0-9A-Z]){11,30}", re.I)
_SEPARATORS = re.compile(r"[\s.\-]")

NIR_FOUND = ("Ce texte contient un numéro de sécurité sociale (NIR ou NIA) : retirez-le. Un NIR n'est conservé que "
             "chiffré, jamais dans un texte libre.")
IBAN_FOUND = ("Ce texte contient un IBAN : retirez-le. Des coordonnées bancaires ne sont conservées que sous forme "
              "d'empreinte, jamais dans un texte libre.")


def _holds_nir(text: str) -> bool:
    for match in _NIR_LIKE.finditer(text):
        body = _SEPARATORS.sub("", match.group())[:13]
        try:
            validate_nir(body, allow_missing_key=True)
        except NirError:
            continue
        return True
    return False


_ISO_DIGITS = {char: str(int(char, 36)) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_IBAN_REGISTRY = numdb.get("iban")


@lru_cache(maxsize=256)
def _iban_length(country: str) -> int:
    """The length of an IBAN of `country` from python-stdnum's registry ("5!n5!n11!c2!n" for FR: 27), else 0."""
    layout = _IBAN_REGISTRY.info(country)[0][1].get("bban", "")
    return 4 + sum(int(size) for size in re.findall(r"\d+", layout)) if layout else 0


def _passes_mod97(iban: str) -> bool:
    """ISO 13616: the 4 first characters go to the end, letters count as 10 to 35, the number mod 97 is 1."""
    return int("".join(_ISO_DIGITS[char] for char in iban[4:] + iban[:4])) % 97 == 1


def _holds_iban(text: str) -> bool:
    for match in _IBAN_LIKE.finditer(text):
        compact = _SEPARATORS.sub("", match.group()).upper()
        # The match may run on into the next word: the country's length is cut, the arithmetic checked first
        # (cheap), then python-stdnum checks the country's layout.
        length = _iban_length(compact[:2])
        iban = compact[:length]
        if length and len(iban) == length and _passes_mod97(iban) and stdnum_iban.is_valid(iban):
            return True
    return False


def identity_data_in(text: str) -> str | None:
    """"NIR" or "IBAN" when `text` holds one, else None."""
    if not isinstance(text, str) or not text:
        return None
    if _holds_nir(text):
        return "NIR"
    if _holds_iban(text):
        return "IBAN"
    return None


def screen_free_text(value) -> None:
    """Django validator: ValidationError (French, code "identity_data") when the value holds a NIR or an IBAN."""
    found = identity_data_in(value)
    if found:
        raise ValidationError(NIR_FOUND if found == "NIR" else IBAN_FOUND, code="identity_data")


def screen_texts(**texts: str) -> None:
    """For services: ValidationError keyed by field name for each text that holds a NIR or an IBAN."""
    errors = {}
    for name, text in texts.items():
        try:
            screen_free_text(text)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)


def _screen_form_field(field: forms.Field) -> None:
    if isinstance(field, forms.CharField) and screen_free_text not in field.validators:
        field.validators.append(screen_free_text)


class ScreenedFormMixin:
    """Every CharField of the form (those added in a subclass' __init__ too) refuses a NIR or an IBAN, except
    those named in `unscreened_fields`. Mix it in first: `class F(ScreenedFormMixin, SomeForm)`."""

    unscreened_fields: tuple[str, ...] = ()

    def full_clean(self):
        for name, field in self.fields.items():
            if name not in self.unscreened_fields:
                _screen_form_field(field)
        super().full_clean()


class ScreenedForm(ScreenedFormMixin, forms.Form):
    pass


class ScreenedModelForm(ScreenedFormMixin, forms.ModelForm):
    pass


def _screen_serializer_field(field: serializers.Field) -> None:
    if isinstance(field, serializers.ListField | serializers.DictField):
        _screen_serializer_field(field.child)
    elif isinstance(field, serializers.CharField) and screen_free_text not in field.validators:
        field.validators = [*field.validators, screen_free_text]


class ScreenedSerializerMixin:
    """Every writable CharField (list and dict children included) refuses a NIR or an IBAN, except those named in
    `unscreened_fields`."""

    unscreened_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        for name, field in fields.items():
            if name not in self.unscreened_fields and not field.read_only:
                _screen_serializer_field(field)
        return fields


class ScreenedSerializer(ScreenedSerializerMixin, serializers.Serializer):
    pass


class ScreenedModelSerializer(ScreenedSerializerMixin, serializers.ModelSerializer):
    pass
