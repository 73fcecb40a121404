"""What a breach's record must hold before the breach is closed: it depends on the network's role."""

from django.utils.translation import gettext as _

from breaches.gdpr.clock import clock_of
from breaches.gdpr.record import InformDecision, NetworkRole


def _common(breach) -> list[str]:
    checks = [
        (breach.network_role, _("le rôle du réseau")),
        (breach.aware_at, _("la date et l'heure de la prise de connaissance")),
        (breach.aware_how, _("la façon dont le réseau en a eu connaissance")),
        (breach.description, _("la description de ce qui s'est passé")),
        (breach.nature_labels, _("la nature de la violation (confidentialité, intégrité, disponibilité)")),
        (breach.origin, _("l'origine de la violation")),
        (breach.data_categories, _("les catégories de données")),
        (breach.people_categories, _("les catégories de personnes")),
        # the cohort's count stands for it when nothing was entered (the register shows that count)
        (breach.people_approx is not None or breach.people.exists(), _("le nombre approximatif de personnes")),
        (breach.consequences, _("les conséquences probables")),
        (breach.measures_taken, _("les mesures prises")),
        (breach.dpo_opinion, _("l'avis du délégué à la protection des données")),
    ]
    return [label for value, label in checks if not value]


def _controller(breach, now) -> list[str]:
    missing = []
    if breach.network_role == NetworkRole.JOINT_CONTROLLER and not breach.controller_names.strip():
        missing.append(_("l'autre responsable du traitement"))
    if breach.cnil_notified_at is None:
        missing.append(_("la date de notification à la CNIL"))
    if not breach.regulator_reference:
        missing.append(_("la référence de la notification à la CNIL"))
    clock = clock_of(breach, now=now)
    if clock is not None and clock.is_late and not breach.late_reason.strip():
        missing.append(_("le motif du retard de notification"))
    if not breach.inform_decision:
        missing.append(_("la décision d'informer ou non les personnes (article 34)"))
    return missing


def _inform(breach) -> list[str]:
    missing = []
    if breach.inform_decision and not breach.inform_ground:
        missing.append(_("le motif de la décision d'information des personnes"))
    if breach.inform_decision in (InformDecision.INFORM, InformDecision.PUBLIC):
        if breach.informed_on is None:
            missing.append(_("la date de la communication aux personnes"))
        if not breach.inform_channel.strip():
            missing.append(_("le canal de la communication aux personnes"))
    return missing


def missing_for_closing(breach, *, now) -> list[str]:
    """The required fields of the breach's role that are still empty, in words (empty list: it may close)."""
    missing = _common(breach)
    if breach.is_controller:
        missing += _controller(breach, now)
    elif breach.network_role and not breach.controller_names.strip():
        missing.append(_("le responsable du traitement"))
    return missing + _inform(breach)
