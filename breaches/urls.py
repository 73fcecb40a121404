from django.urls import path

from breaches.views import cohorts, lookup, registry

app_name = "breaches"
urlpatterns = [
    path("", registry.breach_list, name="breach-list"),
    path("nouvelle/", registry.breach_create_view, name="breach-create"),
    path("verification/", lookup.lookup, name="lookup"),
    path("journal/", lookup.access_log, name="access-log"),
    path("caisses/<str:code>/personnes/", lookup.fund_people, name="fund-people"),
    path("caisses/<str:code>/export/", lookup.fund_export, name="fund-export"),
    path("cohortes/<int:pk>/", cohorts.cohort_detail, name="cohort-detail"),
    path("cohortes/<int:pk>/progression/", cohorts.cohort_progress, name="cohort-progress"),
    path("cohortes/<int:pk>/rejets/", cohorts.cohort_report, name="cohort-report"),
    path("cohortes/<int:pk>/relancer/", cohorts.cohort_retry, name="cohort-retry"),
    path("<str:reference>/", registry.breach_detail, name="breach-detail"),
    path("<str:reference>/modifier/", registry.breach_edit, name="breach-edit"),
    path("<str:reference>/statut/", registry.breach_status, name="breach-status"),
    path("<str:reference>/cohortes/", cohorts.cohort_create, name="cohort-create"),
    path("<str:reference>/a-repartir/", cohorts.unassigned, name="unassigned"),
]
