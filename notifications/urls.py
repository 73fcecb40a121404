from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.instruction_list, name="list"),
    path("nouvelle/", views.instruction_compose, name="compose"),
    path("reseau/", views.network, name="network"),
    path("reseau/relancer/", views.network_chase, name="network-chase"),
    path("modeles/", views.template_list, name="templates"),
    path("modeles/nouveau/", views.template_edit, name="template-create"),
    path("modeles/<int:template_id>/", views.template_edit, name="template-edit"),
    path("modeles/<int:template_id>/supprimer/", views.template_delete, name="template-delete"),
    path("recues/", views.inbox, name="inbox"),
    path("recues/<int:delivery_id>/", views.delivery_detail, name="delivery"),
    path("recues/<int:delivery_id>/accuser-reception/", views.delivery_acknowledge, name="acknowledge"),
    path("recues/<int:delivery_id>/attester/", views.delivery_attest, name="attest"),
    path("envois/<int:delivery_id>/renvoyer/", views.delivery_resend, name="resend"),
    path("<int:instruction_id>/", views.instruction_detail, name="instruction"),
    path("<int:instruction_id>/modifier/", views.instruction_edit, name="edit"),
    path("<int:instruction_id>/emettre/", views.instruction_issue, name="issue"),
    path("<int:instruction_id>/amender/", views.instruction_amend, name="amend"),
    path("<int:instruction_id>/retirer/", views.instruction_withdraw, name="withdraw"),
    path("<int:instruction_id>/suivi/", views.board, name="board"),
    path("<int:instruction_id>/suivi.<str:fmt>", views.board_export, name="board-export"),
    path("<int:instruction_id>/suivi/donnees/", views.board_data, name="board-data"),
    path("<int:instruction_id>/suivi/relancer/", views.board_chase, name="board-chase"),
]
