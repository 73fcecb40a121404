from django.urls import path

from casework.cases import views as cases
from casework.checks import views as checks
from casework.dashboards import views as dashboards
from casework.risk import views as risk

urlpatterns = [
    path("verifications/", checks.check_list, name="check-list"),
    path("verifications/nouvelle/", checks.check_new, name="check-new"),
    path("verifications/<int:check_id>/", checks.check_detail, name="check-detail"),
    path("verifications/<int:check_id>/dossier/", checks.check_open_case, name="check-open-case"),
    path("dossiers/", cases.case_queue, name="case-queue"),
    path("dossiers/mes-dossiers/", cases.my_cases, name="my-cases"),
    path("dossiers/attribuer/", cases.case_bulk_assign, name="case-bulk-assign"),
    path("dossiers/<int:case_id>/", cases.case_detail, name="case-detail"),
    path("dossiers/<int:case_id>/commentaire/", cases.case_comment, name="case-comment"),
    path("dossiers/<int:case_id>/statut/", cases.case_status, name="case-status"),
    path("dossiers/<int:case_id>/attribution/", cases.case_assign, name="case-assign"),
    path("dossiers/<int:case_id>/partage/", cases.case_share, name="case-share"),
    path("dossiers/<int:case_id>/pieces/", cases.case_attachment_add, name="case-attachment-add"),
    path("dossiers/<int:case_id>/pieces/<int:attachment_id>/", cases.case_attachment, name="case-attachment"),
    path("signaux/", risk.signal_load, name="signal-load"),
    path("alertes/", risk.alert_list, name="alert-list"),
    path("tableau-de-bord/", dashboards.dashboard, name="dashboard"),
    path("tableau-de-bord/national/", dashboards.dashboard_national, name="dashboard-national"),
    path("tableau-de-bord/<str:code>/", dashboards.dashboard_fund, name="dashboard-fund"),
]
