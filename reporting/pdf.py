"""The weekly report as a PDF (WeasyPrint), from one HTML template in the DSFR look, A4."""

from django.conf import settings
from django.template.loader import render_to_string

from casework.dashboards.charts import Series, bar_chart
from network.regions import departments
from reporting.maps import draw_counts
from reporting.selectors import DepartmentFigure
from reporting.weekly import Report


def _map(report: Report) -> str:
    figures = {}
    for code, count in report.by_department.items():
        known = departments().get(code)
        figures[code] = DepartmentFigure(code, known.name if known else code, known.region if known else "",
                                         value=count)
    return draw_counts(figures, "Personnes exposées par département", "personnes", patterned=False)


def report_html(report: Report) -> str:
    drawing = _map(report)
    chart = bar_chart(labels=[w.strftime("%d/%m") for w, _, _ in report.weekly], title="Vérifications par semaine",
                      series=[Series("Vérifications", "#000091", [c for _, c, _ in report.weekly]),
                              Series("Anomalies", "#e1000f", [a for _, _, a in report.weekly])])
    svg, legend = drawing.for_template()
    return render_to_string("reporting/weekly_report.html", {
        "report": report, "map": svg, "legend": legend, "chart": chart, "site_url": settings.SITE_URL,
        "top_departments": sorted(((count, code, departments()[code].name if code in departments() else code)
                                   for code, count in report.by_department.items()), reverse=True)[:15],
    })


def report_pdf(report: Report) -> tuple[bytes, int]:
    """(PDF bytes, number of pages)."""
    import weasyprint  # heavy: loaded only when a report is built

    document = weasyprint.HTML(string=report_html(report), base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(), len(document.pages)
