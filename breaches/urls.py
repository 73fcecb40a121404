from django.urls import path

from breaches.views import cohorts, gdpr, lookup, registry

app_name = "breaches"
urlpatterns = [
    path("", registry.breach_list, name="breach-list"),
    path("nouvelle/", registry.breach_create_view, name="breach-create"),
    path("verification/", lookup.lookup, name="lookup"),
    path("journal/", lookup.access_log, name="access-log"),
    path("caisses/<str:code>/personnes/", lookup.fund_people, name="fund-people"),
    path("caisses/<str:code>/export/", lookup.fund_export, name="fund-export"),
    path("registre/", gdpr.breach_register, name="breach-register"),
    path("registre/export/<str:fmt>/", gdpr.breach_register_export, name="breach-register-export"),
    path("cohortes/<int:pk>/", cohorts.cohort_detail, name="cohort-detail"),
    path("cohortes/<int:pk>/progression/", cohorts.cohort_progress, name="cohort-progress"),
    path("cohortes/<int:pk>/rejets/", cohorts.cohort_report, name="cohort-report"),
    path("cohortes/<int:pk>/relancer/", cohorts.cohort_retry, name="cohort-retry"),
    path("<str:reference>/", registry.breach_detail, name="breach-detail"),
    path("<str:reference>/modifier/", registry.breach_edit, name="breach-edit"),
    path("<str:reference>/statut/", registry.breach_status, name="breach-status"),
    path("<str:reference>/dossier/", gdpr.breach_record, name="breach-record"),
    path("<str:reference>/chronologie/", gdpr.breach_event_create, name="breach-event-create"),
    path("<str:reference>/chronologie/<int:event_id>/document/", gdpr.breach_event_document,
         name="breach-event-document"),
    path("<str:reference>/clore/", gdpr.breach_close, name="breach-close"),
    path("<str:reference>/rouvrir/", gdpr.breach_reopen_view, name="breach-reopen"),
    path("<str:reference>/cohortes/", cohorts.cohort_create, name="cohort-create"),
    path("<str:reference>/a-repartir/", cohorts.unassigned, name="unassigned"),
]
