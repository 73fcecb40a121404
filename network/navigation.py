"""The national menu of the header and the site map: one definition, by role, at most seven entries.

The pages of the apps above are named by their URL name only (as config does), so this module imports none of them.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    fund_code: bool = False  # the URL takes the user's fund code
    key: str = ""  # lets the header add something of its own (the inbox's unread count)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    links: tuple[Link, ...]


HOME = Link(_("Accueil"), "home")
ADMIN = Link(_("Administration"), "admin:index")

NATIONAL_MENU = (
    HOME,
    Group("fuites", _("Fuites"), (
        Link(_("Fuites de données"), "breaches:breach-list"),
        Link(_("Registre des violations"), "breaches:breach-register"),
        Link(_("Vérifier un NIR"), "breaches:lookup"),
    )),
    Group("consignes", _("Consignes"), (
        Link(_("Consignes de vigilance"), "notifications:list"),
        Link(_("Rédiger une consigne"), "notifications:compose"),
        Link(_("Modèles de consignes"), "notifications:templates"),
        Link(_("Suivi du réseau"), "notifications:network"),
    )),
    Group("dossiers", _("Dossiers"), (
        Link(_("Vue nationale"), "dashboard-national"),
        Link(_("Dossiers"), "case-queue"),
        Link(_("Charger des signaux"), "signal-load"),
        Link(_("Alertes comptes partagés"), "alert-list"),
    )),
    Group("reseau", _("Réseau"), (
        Link(_("Caisses du réseau"), "fund-list"),
        Link(_("Carte du réseau"), "network-map"),
    )),
    Group("controle", _("Contrôle"), (
        Link(_("Journal des accès"), "access-log-list"),
        Link(_("Historique des modifications"), "history-list"),
    )),
)

FUND_MENU = (
    HOME,
    Link(_("Vérifier un NIR"), "breaches:lookup"),
    Group("dossiers", _("Dossiers"), (
        Link(_("Tableau de bord de la caisse"), "dashboard-fund", fund_code=True),
        Link(_("Mes dossiers"), "my-cases"),
        Link(_("Vérifications"), "check-list"),
        Link(_("Dossiers"), "case-queue"),
        Link(_("Alertes comptes partagés"), "alert-list"),
    )),
    Group("fuites", _("Fuites"), (
        Link(_("Fuites de données"), "breaches:breach-list"),
        Link(_("Personnes exposées"), "breaches:fund-people", fund_code=True),
    )),
    Link(_("Consignes reçues"), "notifications:inbox", key="inbox"),
)


# A regional coordination reads its region's picture: the map (whose links lead to the funds' pages and boards).
REGION_MENU = (
    HOME,
    Link(_("Vue régionale"), "dashboard-national"),
    Link(_("Carte de la région"), "network-map"),
)


def menu_for(*, user, is_national: bool, fund, path: str, region: str = "") -> list[dict]:
    """The header's entries for this user, as dicts ready for the template: a link {label, url, current, key} or a
    group {key, label, links, current}. The link of the page being shown (the longest URL that starts the path) is
    marked current, and so is its group. Empty for a user with neither national role nor fund."""
    entries = (NATIONAL_MENU if is_national else FUND_MENU if fund is not None
               else REGION_MENU if region else ())
    if user.is_staff:
        entries = (*entries, ADMIN)
    menu = [_entry(entry, fund) for entry in entries]
    _mark_current(menu, path)
    return menu


def _entry(entry, fund) -> dict:
    if isinstance(entry, Group):
        return {"key": entry.key, "label": entry.label, "links": [_link(link, fund) for link in entry.links]}
    return _link(entry, fund)


def _link(link: Link, fund) -> dict:
    kwargs = {"code": fund.code} if link.fund_code else {}
    return {"label": link.label, "url": reverse(link.url_name, kwargs=kwargs), "key": link.key}


def _mark_current(menu: list[dict], path: str) -> None:
    candidates = [(link, entry) for entry in menu for link in entry.get("links", [entry])]
    matching = [(link, entry) for link, entry in candidates
                if link["url"] == path or (link["url"] != "/" and path.startswith(link["url"]))]
    if matching:
        link, entry = max(matching, key=lambda pair: len(pair[0]["url"]))
        link["current"] = entry["current"] = True
