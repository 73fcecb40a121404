"""The tracking board as CSV or XLSX (openpyxl). Fund names and timings only: no personal data."""

import csv
import io

from django.utils import timezone
from openpyxl import Workbook

from notifications.selectors import BoardRow

HEADER = ["Code caisse", "Caisse", "Destinataire", "Statut", "Envoyée le", "Reçue le", "Reçue par",
          "Mise en œuvre le", "Mise en œuvre par", "Jours de retard", "Commentaire"]


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _line(row: BoardRow) -> list:
    d = row.delivery
    return [d.fund.code, d.fund.name, "action" if d.for_action else "information", row.label,
            _when(getattr(d, "first_sent_at", None)), _when(d.acknowledged_at),
            d.acknowledged_by.get_username() if d.acknowledged_by else "", _when(d.attested_at),
            d.attested_by.get_username() if d.attested_by else "", row.days_late, d.comment]


def board_csv(rows: list[BoardRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(_line(r) for r in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens the accents right


def board_xlsx(rows: list[BoardRow], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(HEADER)
    for row in rows:
        sheet.append(_line(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
