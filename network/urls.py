from django.urls import path

from network import site_pages, views

urlpatterns = [
    path("", views.home, name="home"),
    path("reseau/", views.fund_list, name="fund-list"),
    path("caisses/<str:code>/", views.fund_detail, name="fund-detail"),
    path("plan-du-site/", site_pages.site_map, name="site-map"),
    path("accessibilite/", site_pages.accessibility, name="accessibility"),
    path("mentions-legales/", site_pages.legal_notice, name="legal-notice"),
    path("donnees-personnelles/", site_pages.personal_data, name="personal-data"),
]
