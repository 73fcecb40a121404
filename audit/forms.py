from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AUDITED
from config.screening import ScreenedForm


class HistoryFilterForm(ScreenedForm):
    kind = forms.ChoiceField(
        label=_("Objet"), required=False, choices=[("", _("Tous"))] + [(k, k) for k in AUDITED],
        widget=forms.Select(attrs={"class": "fr-select"}),
    )
    username = forms.CharField(label=_("Auteur (identifiant)"), required=False,
                               widget=forms.TextInput(attrs={"class": "fr-input"}))
    operation = forms.ChoiceField(
        label=_("Opération"), required=False, widget=forms.Select(attrs={"class": "fr-select"}),
        choices=[("", _("Toutes")), ("+", _("Création")), ("~", _("Modification")), ("-", _("Suppression"))])
    since = forms.DateField(label=_("Depuis le"), required=False,
                            widget=forms.DateInput(attrs={"type": "date", "class": "fr-input"}))
    until = forms.DateField(label=_("Jusqu'au"), required=False,
                            widget=forms.DateInput(attrs={"type": "date", "class": "fr-input"}))
    sort = forms.ChoiceField(label=_("Trier par"), required=False, widget=forms.Select(attrs={"class": "fr-select"}),
                             choices=[("", _("Plus récentes d'abord")), ("date", _("Plus anciennes d'abord"))])


class AccessLogFilterForm(ScreenedForm):
    username = forms.CharField(label=_("Utilisateur (identifiant)"), required=False,
                               widget=forms.TextInput(attrs={"class": "fr-input"}))
    fund_code = forms.CharField(label=_("Caisse (code)"), required=False, max_length=3,
                                widget=forms.TextInput(attrs={"class": "fr-input"}))
    department = forms.RegexField(label=_("Département"), required=False, regex=r"^(\d{2,3}|2[AaBb])$", max_length=3,
                                  error_messages={"invalid": _("Département inconnu (ex. 56, 2A, 974).")},
                                  widget=forms.TextInput(attrs={"class": "fr-input"}))
    action = forms.ChoiceField(label=_("Action"), required=False, widget=forms.Select(attrs={"class": "fr-select"}))
    since = forms.DateField(label=_("Depuis le"), required=False,
                            widget=forms.DateInput(attrs={"type": "date", "class": "fr-input"}))
    until = forms.DateField(label=_("Jusqu'au"), required=False,
                            widget=forms.DateInput(attrs={"type": "date", "class": "fr-input"}))
    sort = forms.ChoiceField(label=_("Trier par"), required=False, widget=forms.Select(attrs={"class": "fr-select"}),
                             choices=[("", _("Plus récentes d'abord")), ("date", _("Plus anciennes d'abord")),
                                      ("utilisateur", _("Utilisateur")), ("caisse", _("Caisse")),
                                      ("action", _("Action"))])

    def __init__(self, *args, **kwargs):
        from breaches.models import AccessLog

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Toutes"))] + list(AccessLog.Action.choices)
