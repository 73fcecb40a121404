from django import forms
from django.utils.translation import gettext_lazy as _

from casework.checks.models import Check
from config.screening import ScreenedForm
from network.models import Fund


class CheckForm(ScreenedForm):
    unscreened_fields = ("nir", "iban", "person")  # sealed or digested by the service; `person` is a signed token
    nir = forms.CharField(label=_("NIR (ou NIA)"), max_length=40, required=False,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    # Set when the form comes from a lookup: the person is known, the NIR is not typed again nor echoed.
    person = forms.CharField(required=False, widget=forms.HiddenInput())
    fund = forms.ModelChoiceField(label=_("Caisse"), queryset=Fund.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Vérification faite"), choices=Check.Kind.choices)
    channel = forms.ChoiceField(label=_("Canal"), choices=Check.Channel.choices)
    outcome = forms.ChoiceField(label=_("Résultat"), choices=Check.Outcome.choices)
    iban = forms.CharField(label=_("Nouvel IBAN (coordonnées bancaires uniquement)"), required=False, max_length=50,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    open_case = forms.BooleanField(label=_("Ouvrir un dossier si le résultat est une anomalie"), required=False)

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.filter(pk__in=[f.pk for f in funds]).order_by("code")
        if len(funds) == 1:
            self.fields["fund"].widget = forms.HiddenInput()
            self.fields["fund"].initial = funds[0].pk
        if self.data.get("person") or self.initial.get("person"):
            self.fields["nir"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if not data.get("nir") and not data.get("person"):
            self.add_error("nir", _("Saisissez le NIR de la personne."))
        return data


class CheckFilterForm(ScreenedForm):
    unscreened_fields = ("q",)  # a full NIR typed in the search is masked before the search, never kept
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=40,
                        help_text=_("N° de vérification ou NIR masqué ; un NIR complet est masqué avant la recherche."))
    outcome = forms.ChoiceField(label=_("Résultat"), required=False, choices=[("", _("Tous")), *Check.Outcome.choices])
    kind = forms.ChoiceField(label=_("Vérification"), required=False, choices=[("", _("Toutes")), *Check.Kind.choices])
