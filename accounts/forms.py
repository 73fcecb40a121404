from django import forms
from django.utils.translation import gettext_lazy as _

from config.screening import ScreenedForm


class TokenForm(ScreenedForm):
    token = forms.CharField(
        label=_("Code"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "fr-input"}),
    )
