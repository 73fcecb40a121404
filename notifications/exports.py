"""The tracking board's rows for its CSV and XLSX files (written by config.exports). Fund names, timings and the
funds' comments: no personal data, but the comments are free text, hence the common writer."""

from django.utils import timezone

from notifications.selectors import BoardRow

BOARD_HEADER = ["Code caisse", "Caisse", "Destinataire", "Statut", "Envoyée le", "Reçue le", "Reçue par",
          "Mise en œuvre le", "Mise en œuvre par", "Jours de retard", "Commentaire"]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def board_line(row: BoardRow) -> list:
    d = row.delivery
    return [d.fund.code, d.fund.name, "action" if d.for_action else "information", row.label,
            _when(getattr(d, "first_sent_at", None)), _when(d.acknowledged_at),
            d.acknowledged_by.get_username() if d.acknowledged_by else "", _when(d.attested_at),
            d.attested_by.get_username() if d.attested_by else "", row.days_late, d.comment]
