from django import forms
from django.utils.translation import gettext_lazy as _

from casework.cases.models import Case
from config.screening import ScreenedForm
from network.models import Fund

SEARCH_HELP = _("N° de dossier ou NIR masqué (ex. 1 85 05 ** *** *** 42) ; un NIR complet est masqué avant la "
                "recherche.")


class QueueFilterForm(ScreenedForm):
    unscreened_fields = ("q",)  # a full NIR typed in the search is masked before the search, never kept
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=40, help_text=SEARCH_HELP)
    status = forms.ChoiceField(label=_("Statut"), required=False, choices=[
        ("open", _("Ouverts")), *Case.Status.choices, ("all", _("Tous"))])
    assignee = forms.ChoiceField(label=_("Agent chargé"), required=False)
    priority = forms.ChoiceField(label=_("Priorité"), required=False,
                                 choices=[("", _("Toutes")), *Case.Priority.choices])
    origin = forms.ChoiceField(label=_("Origine"), required=False, choices=[("", _("Toutes")), *Case.Origin.choices])
    overdue = forms.BooleanField(label=_("En retard"), required=False)

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Tous")), ("me", _("Moi")), ("none", _("Non attribués"))] + [
            (str(u.pk), u.get_full_name() or u.username) for u in assignees]


class CommentForm(ScreenedForm):
    body = forms.CharField(label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 3}))


class StatusForm(ScreenedForm):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=Case.Status.choices)
    closing_reason = forms.ChoiceField(label=_("Motif de clôture"), required=False,
                                       choices=[("", "—"), *Case.ClosingReason.choices])
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, allowed: set[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed is not None:  # only the moves open from the case's current status
            self.fields["status"].choices = [(v, label) for v, label in Case.Status.choices if v in allowed]


class AssignForm(ScreenedForm):
    assignee = forms.ChoiceField(label=_("Attribuer à"))

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(str(u.pk), u.get_full_name() or u.username) for u in assignees]


class ShareForm(ScreenedForm):
    fund = forms.ModelChoiceField(label=_("Caisse"), queryset=Fund.objects.filter(is_active=True).order_by("code"),
                                  to_field_name="code")
    reason = forms.CharField(label=_("Motif (ex. : la personne a déménagé)"), max_length=300)


class AttachmentForm(ScreenedForm):
    file = forms.FileField(label=_("Pièce jointe (PDF, PNG ou JPEG)"))
